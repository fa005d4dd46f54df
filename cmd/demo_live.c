/* The demo's screen: one board with every model's panel (report/gantt_board.c), drawn over itself
 * with the cursor moves of a plain ANSI terminal as the cases run; on a terminal too small for it,
 * each panel alone, one after another; into a pipe, a file or TERM=dumb, a line per finished
 * case and the board once at the end. */
#include "cmd/demo_live.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/term_width.h"
#include "common/termsafe.h"
#include "report/report_text.h"
#include "runners/runner.h"

/* Rows of the terminal ($LINES, else the terminal's, else 24). */
static int terminal_rows(void)
{
    const char *env = getenv("LINES");
    struct winsize ws;

    if (env != NULL && atoi(env) >= 5)
        return atoi(env);
    return ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 ? ws.ws_row : 24;
}

static int is_dumb(void)
{
    const char *term = getenv("TERM");

    return term != NULL && strcmp(term, "dumb") == 0;
}

/* The axis the run will likely need, from the planned times: their sum for a model that runs
 * tasks one after another, a wave per -j workers, the longest alone otherwise; no later than
 * the scenario's deadline. 0 when the scenario has no plan. */
static double planned_span(const struct demo_scenario *s, const struct rm_file *f, double scale)
{
    double sum = 0, longest = 0, span = 0;

    for (int i = 0; i < s->tasks; i++) {
        double t = demo_planned_s(s, i, scale);
        if (t < 0)
            return 0;
        sum += t;
        longest = fmax(longest, t);
    }
    for (int i = 0; i < f->ncases; i++) {
        double waves = s->workers > 0 ? ceil((double)s->tasks / s->workers) : 1;
        span = fmax(span, runner_is_serial(f->cases[i].model) ? sum : waves * longest);
    }
    if (s->cancel_after_ms > 0)
        span = fmin(span, s->cancel_after_ms * scale / 1000.0);
    return span;
}

/* Draws the frame (the board of panels p..p+n, then status) over the last one. The axis keeps
 * its length while the tasks fit it, so that bars grow rather than shrink; a task that passes
 * its end makes it a quarter longer. */
static void frame(struct demo_live *live, const struct gantt_panel *p, int n, const char *status)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    struct gantt_board bd = live->board;
    int lines = 0;

    if (mem == NULL)
        return;
    if (live->board.tmax >= 0 && gantt_board_latest(live->panels, live->npanels) > live->board.tmax)
        live->board.tmax = 1.25 * gantt_board_latest(live->panels, live->npanels);
    bd.tmax = live->board.tmax;
    if (live->one_by_one && gantt_board_fit(&bd, p, n, live->rows - 2) != 0)
        bd.max_rows = 3, bd.in_flight = 0;
    gantt_board_draw(&bd, p, n, mem);
    if (status != NULL)
        fprintf(mem, "%s\n", status);
    fclose(mem);
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    if (live->lines > 0)
        printf("\033[%dA\r\033[J", live->lines);
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    live->lines = lines;
    free(text);
}

/* The frame for case k: the whole board, or k's panel alone when the board does not fit. */
static void draw(struct demo_live *live, int k, const char *status)
{
    if (live->one_by_one)
        frame(live, &live->panels[k], 1, status);
    else
        frame(live, live->panels, live->npanels, status);
}

static void on_run_started(void *arg, const struct rm_file *f, int rounds)
{
    struct demo_live *live = arg;
    char note[256];
    int need;

    (void)rounds;
    live->npanels = f->ncases;
    live->panels = calloc((size_t)f->ncases, sizeof(*live->panels));
    if (live->panels == NULL) {
        live->tty = 0;
        return;
    }
    for (int i = 0; i < f->ncases; i++)
        live->panels[i] = (struct gantt_panel){.c = &f->cases[i], .state = GANTT_TO_COME};
    /* 5% over the plan: starting the tasks takes a little time too */
    live->board.tmax = 1.05 * planned_span(live->scenario, f, live->scale);
    if (!live->tty)
        return;
    /* the board, a status line and the line the cursor waits on */
    if (gantt_board_fit(&live->board, live->panels, live->npanels, live->rows - 2) != 0) {
        live->board.in_flight = 0;
        live->board.max_rows = 3;
        need = gantt_board_lines(&live->board, live->panels, live->npanels) + 2;
        live->one_by_one = 1;
        snprintf(note, sizeof(note),
                 "(The %d panels need at least %d rows to stay on screen together; this terminal "
                 "has %d: each is drawn as it runs, one after another.)",
                 live->npanels, need, live->rows);
        text_print_wrapped_at(stdout, note, "", "", (size_t)live->style.width);
        printf("\n");
        return;
    }
    draw(live, 0, "");
}

/* The running case's tasks so far: its panel grows, about 20 frames a second. */
static void on_progress(void *arg, const struct rm_file *f, int k, const struct rm_case *now)
{
    struct demo_live *live = arg;
    double latest = 0;
    char status[160], label[96];

    if (live->panels == NULL || !live->tty)
        return;
    for (int i = 0; i < now->ntimeline; i++)
        if (now->timeline[i].worker >= 0)
            latest = fmax(latest, now->timeline[i].end_s);
    live->panels[k] = (struct gantt_panel){.c = now, .state = GANTT_RUNNING, .now_s = latest};
    snprintf(status, sizeof(status), "running %s (%d of %d)",
             term_safe(f->cases[k].label, 60, label, sizeof(label)), k + 1, f->ncases);
    draw(live, k, status);
    live->panels[k].c = &f->cases[k]; /* now is gone after this call */
}

static void on_case_done(void *arg, const struct rm_file *f, int k)
{
    struct demo_live *live = arg;
    const struct rm_case *c = &f->cases[k];

    if (live->panels == NULL)
        return;
    live->panels[k] = (struct gantt_panel){.c = c, .state = GANTT_DONE};
    if (!live->tty) {
        char wl[TERM_SAFE_GROWTH * 64 + 1], label[TERM_SAFE_GROWTH * 256 + 1], up[64];

        printf("  %s · %s: done in %.2f s%s\n", term_safe(c->workload, 64, wl, sizeof(wl)),
               term_safe(c->label, 256, label, sizeof(label)), rm_median(c),
               gantt_startup_text(c, up, sizeof(up)));
        fflush(stdout);
        return;
    }
    draw(live, k, live->one_by_one ? NULL : "");
    if (live->one_by_one)
        live->lines = 0; /* the finished panel stays; the next is drawn below it */
}

/* One line from stdin: 0, or -1 at its end (or when a signal cut the read short). */
static int read_enter(void)
{
    char c;
    ssize_t n;

    while ((n = read(STDIN_FILENO, &c, 1)) == 1)
        if (c == '\n')
            return 0;
    return -1;
}

void demo_live_pause(struct demo_live *live, const char *what)
{
    char line[256];

    if (!live->step)
        return;
    snprintf(line, sizeof(line), "Press Enter: %s", what);
    if (live->tty && live->panels != NULL && !live->one_by_one) {
        draw(live, 0, line);
    } else {
        printf("%s\n", line);
        fflush(stdout);
    }
    if (read_enter() != 0)
        live->step = 0; /* the script or the teacher is done: the rest runs on */
    else if (live->tty && isatty(STDIN_FILENO))
        live->lines++; /* the terminal echoed the Enter */
}

static void on_rep_started(void *arg, const struct rm_file *f, int k, int round, int measured)
{
    struct demo_live *live = arg;
    char what[160], label[96];

    (void)round;
    if (!measured || live->panels == NULL)
        return;
    snprintf(what, sizeof(what), "run %s (%d of %d)",
             term_safe(f->cases[k].label, 60, label, sizeof(label)), k + 1, f->ncases);
    demo_live_pause(live, what);
    live->panels[k].state = GANTT_RUNNING;
    snprintf(what, sizeof(what), "running %s (%d of %d)",
             term_safe(f->cases[k].label, 60, label, sizeof(label)), k + 1, f->ncases);
    if (live->tty)
        draw(live, k, what);
}

void demo_live_init(struct demo_live *live, const struct demo_scenario *s, double scale, int ascii,
                    int step, struct bench *b)
{
    int width = term_width(STDOUT_FILENO), n;

    memset(live, 0, sizeof(*live));
    live->scenario = s;
    live->scale = scale;
    live->step = step;
    gantt_style_init(&live->style, stdout, ascii);
    live->style.width = width >= 40 ? width : 80;
    live->tty = isatty(STDOUT_FILENO) && !is_dumb();
    live->rows = terminal_rows();
    demo_row_names(s, scale, live->row_names, live->planned, &n);
    live->names = (struct gantt_names){.name = live->row_names, .planned_s = live->planned, .n = n};
    live->board = (struct gantt_board){
        .st = &live->style, .names = &live->names, .in_flight = 1, .max_rows = GANTT_MAX_ROWS};
    live->observer = (struct bench_observer){
        .run_started = on_run_started,
        .rep_started = on_rep_started,
        .rep_progress = live->tty ? on_progress : NULL, /* the run polled only to be drawn */
        .case_updated = on_case_done,
        .arg = live};
    bench_observe(b, &live->observer);
}

void demo_live_finish(struct demo_live *live, const struct rm_file *f)
{
    if (live->panels == NULL)
        return;
    for (int i = 0; i < live->npanels; i++)
        live->panels[i].c = &f->cases[i];
    if (!live->tty || live->one_by_one) {
        struct gantt_board bd = live->board;
        bd.in_flight = 1;
        bd.max_rows = GANTT_MAX_ROWS;
        bd.tmax = 0; /* the latest end */
        printf("\nEvery model on one time axis:\n\n");
        gantt_board_draw(&bd, live->panels, live->npanels, stdout);
    } else {
        live->board.tmax = -1; /* the final frame: the axis ends where the last task did */
        draw(live, 0, NULL);
    }
    printf("\n");
    gantt_legend(&live->style, stdout);
    for (int i = 0; i < f->ncases; i++)
        if (f->cases[i].cancelled > 0 || !rm_valid(&f->cases[i])) {
            printf("x after a row: the task was cancelled; !: it failed\n");
            break;
        }
}

void demo_live_free(struct demo_live *live)
{
    free(live->panels);
    live->panels = NULL;
}
