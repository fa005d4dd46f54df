#ifndef CONCBENCH_PLOT_STYLE_H
#define CONCBENCH_PLOT_STYLE_H

/* The look of the plots, in one place: colours and sizes in pixels. */

#define PLOT_COLOR_C        "#1f5fa8" /* our C models */
#define PLOT_COLOR_PYTHON   "#f08c1e" /* our Python variants */
#define PLOT_COLOR_ARTICLE  "#8c8c8c" /* the article's published figures */
#define PLOT_COLOR_FAILED   "#d62728" /* a failed task in a timeline */
#define PLOT_COLOR_QUEUED   "#d9d9d9" /* a timeline's wait for a pool worker or the loop */
#define PLOT_COLOR_RUNNABLE "#c6dbef" /* on its worker, not on a CPU */
#define PLOT_COLOR_BOUND    "#444444" /* the least time drawn delays allow */

#define PLOT_BARS_PANEL_WIDTH   650 /* one panel per workload */
#define PLOT_BARS_MIN_WIDTH     720
#define PLOT_BARS_HEIGHT        580
#define PLOT_TL_WIDTH_ONE       900  /* a timeline with C only */
#define PLOT_TL_WIDTH_TWO       1300 /* C and Python side by side */
#define PLOT_TL_ROW_HEIGHT      160  /* one row of panels per model */
#define PLOT_TL_ROW_HEIGHT_BIG  200  /* ... with more than 20 tasks */
#define PLOT_TL_TITLE_HEIGHT    90
#define PLOT_SWEEP_WIDTH        1200 /* two panels: time and memory per task */
#define PLOT_SWEEP_ROW_HEIGHT   450  /* one row per workload */
#define PLOT_SWEEP_TITLE_HEIGHT 70
/* plot --slides: a projector's 1080p, every text at least 28 px. Colours from Okabe and Ito's
 * palette for colour-blind readers ("Color Universal Design", Okabe & Ito, 2008): they stay
 * apart under the three kinds of colour blindness and differ in lightness too, so that a washed
 * out projector still tells them apart. */
#define PLOT_SLIDES_WIDTH    1920
#define PLOT_SLIDES_HEIGHT   1080
#define PLOT_SLIDES_TITLE_PX 34
#define PLOT_SLIDES_PANEL_PX 30
#define PLOT_SLIDES_TEXT_PX  28
#define OKABE_ITO_VERMILLION "#d55e00" /* compute: the task holds a CPU */
#define OKABE_ITO_SKY_BLUE   "#56b4e9" /* waiting: a sleep, a socket, a timer */
#define OKABE_ITO_YELLOW     "#f0e442" /* runnable: started by the run, not yet begun */
#define OKABE_ITO_BLUE       "#0072b2" /* bars: our C models */
#define OKABE_ITO_ORANGE     "#e69f00" /* bars: our Python variants */
#define OKABE_ITO_GREY       "#999999" /* step kind not recorded; the article's bars */
#define OKABE_ITO_BLACK      "#000000" /* a failed task */

#define CONFIG_MAX_MODELS_PLOT 32 /* lines per panel (the models of a run, at most) */

#endif
