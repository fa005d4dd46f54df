/* The HTML report's replay: each workload's task timelines played back as they ran (play, pause,
 * step from event to event, speed, zoom), the offline trace viewer a class can open without a
 * network. The page carries every step as an SVG rectangle with its times in data attributes
 * (numbers we print; text from the file only through html_text); the inline script below only
 * changes widths and states, so it needs no data format of its own. A URL hash sets the clock
 * (#t=0.25), steps (#step=2) or starts playing (#play, #play&speed=0.5): what the browser test
 * drives. */
#include <math.h>
#include <stdlib.h>

#include "report/gantt.h"
#include "report/html_internal.h"

#define RP_W      960
#define RP_X      110 /* the time axis starts here; task names left of it */
#define RP_ROW    22
#define RP_TASKS  64 /* rows per case at most (sampled evenly, first and last kept) */
#define RP_NSPEED 9

static const double rp_speeds[RP_NSPEED] = {0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5};

static const char replay_css[] =
    ".rp{border:3px solid #222;padding:.4em .8em;margin:1em 0}\n"
    ".rp-bar{display:flex;flex-wrap:wrap;gap:.4em;align-items:center;font-size:1.1em}\n"
    ".rp-bar button,.rp-bar select{font:inherit;padding:.2em .7em;min-width:3em}\n"
    ".rp-clock{font-variant-numeric:tabular-nums;font-weight:bold;min-width:11em}\n"
    ".rp-view{overflow-x:auto}.rp svg{width:100%;height:auto;display:block}\n"
    ".rp h4{margin:.5em 0 0}.rp text{font-size:15px;fill:#111}\n"
    /* Okabe-Ito: compute vermillion, waiting sky blue, kind unknown grey (as plot --slides) */
    ".rp-c{fill:#d55e00}.rp-w{fill:#56b4e9}.rp-u{fill:#999}.rp-bad{fill:#000}\n"
    ".rp-task[data-state=pending] text{fill:#aaa}.rp-task[data-state=done] text{fill:#555}\n"
    ".rp-now{stroke:#000;stroke-width:2}.rp-lane{fill:#f2f2f2}\n"
    ".rp-key span{display:inline-block;width:1em;height:1em;vertical-align:middle;"
    "margin:0 .3em 0 1em}\n";

/* The steps of one task as rectangles: start and end of each in data-from and data-to. */
static void rp_task(FILE *out, const struct rm_case *c, const struct rm_task *t, int y,
                    double scale)
{
    double from = t->start_s;

    fprintf(out,
            "<g class=\"rp-task\" data-task=\"%lld\" data-start=\"%.6f\" data-end=\"%.6f\" "
            "data-state=\"done\"><rect class=\"rp-lane\" x=\"%d\" y=\"%d\" width=\"%d\" "
            "height=\"%d\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\">task %lld</text>",
            t->task, t->start_s, t->end_s, RP_X, y, RP_W - RP_X - 10, RP_ROW - 4, RP_X - 8, y + 15,
            t->task);
    for (int k = 0; k <= t->nsteps && from < t->end_s; k++) {
        double to = k < t->nsteps ? fmin(t->steps_end_s[k], t->end_s) : t->end_s;
        char kind = rm_step_kind(c, k);
        if (k == t->nsteps && to - from < 1e-3 * (t->end_s - t->start_s))
            break; /* the rounding after the last recorded step */
        fprintf(out,
                "<rect class=\"seg %s\" data-kind=\"%s\" data-from=\"%.6f\" data-to=\"%.6f\" "
                "x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"/>",
                !t->ok        ? "rp-bad"
                : kind == 'c' ? "rp-c"
                : kind == 'w' ? "rp-w"
                              : "rp-u",
                kind == 'w' ? "wait" : "run", from, to, RP_X + from * scale, y + 1,
                fmax((to - from) * scale, 0.0), RP_ROW - 6);
        from = to;
    }
    fputs("</g>\n", out);
}

static void rp_case(FILE *out, const struct rm_case *c, double tmax)
{
    int rows[RP_TASKS], shown = gantt_pick_rows(c, RP_TASKS, rows), h = shown * RP_ROW + 24;
    double scale = (RP_W - RP_X - 10) / tmax;
    char note[128], up[64];

    fputs("<h4>", out);
    html_text(out, c->label);
    if (shown < c->ntimeline)
        fprintf(out, " (%d of %d tasks, sampled evenly)", shown, c->ntimeline);
    fputs(gantt_startup_text(c, up, sizeof(up)), out);
    if (gantt_align_note(c, 0, note, sizeof(note)))
        fprintf(out, " (%s)", note);
    fprintf(out,
            " <span class=\"rp-count\"></span></h4>\n<svg viewBox=\"0 0 %d %d\" role=\"img\" "
            "class=\"rp-svg\" data-scale=\"%.6f\">\n",
            RP_W, h, scale);
    for (int i = 0; i <= 4; i++) /* the last tick's text ends at the axis' end */
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%.3g s</text>",
                RP_X + tmax * i / 4 * scale, h - 4, i < 4 ? "middle" : "end", tmax * i / 4);
    for (int i = 0; i < shown; i++)
        if (c->timeline[rows[i]].worker >= 0)
            rp_task(out, c, &c->timeline[rows[i]], i * RP_ROW, scale);
    fprintf(out, "<line class=\"rp-now\" x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\"/></svg>\n", RP_X,
            RP_X, h - 20);
}

/* The buttons of one replay; the speed whose playback takes about 10 s is chosen. */
static void rp_controls(FILE *out, double tmax)
{
    int pick = 0;

    for (int i = 0; i < RP_NSPEED; i++)
        if (rp_speeds[i] <= tmax / 10)
            pick = i;
    fputs("<div class=\"rp-bar\"><button type=\"button\" data-rp=\"play\">▶ play</button>"
          "<button type=\"button\" data-rp=\"pause\">❚❚ pause</button>"
          "<button type=\"button\" data-rp=\"back\">◀ step</button>"
          "<button type=\"button\" data-rp=\"step\">step ▶</button>"
          "<button type=\"button\" data-rp=\"restart\">⟲ start</button>"
          "<label>speed <select data-rp=\"speed\">",
          out);
    for (int i = 0; i < RP_NSPEED; i++)
        fprintf(out, "<option value=\"%g\"%s>%g×</option>", rp_speeds[i],
                i == pick ? " selected" : "", rp_speeds[i]);
    fputs("</select></label><label>zoom <input type=\"range\" data-rp=\"zoom\" min=\"1\" "
          "max=\"16\" step=\"1\" value=\"1\"></label><output class=\"rp-clock\">0.000 s</output>"
          "</div>\n",
          out);
}

static void rp_workload(FILE *out, const struct rm_file *f, const char *workload)
{
    int n;
    const struct rm_case **cases = rm_cases_of(f, workload, &n);
    double tmax = 0;

    for (int i = 0; i < n; i++)
        for (int k = 0; k < cases[i]->ntimeline; k++)
            if (cases[i]->timeline[k].worker >= 0)
                tmax = fmax(tmax, cases[i]->timeline[k].end_s);
    if (tmax > 0) {
        fprintf(out, "<div class=\"rp\" data-tmax=\"%.6f\" data-x0=\"%d\"><h3>", tmax, RP_X);
        html_text(out, workload);
        fputs("</h3>\n", out);
        rp_controls(out, tmax);
        fputs("<div class=\"rp-view\">\n", out);
        for (int i = 0; i < n; i++)
            if (cases[i]->ntimeline > 0)
                rp_case(out, cases[i], tmax);
        fputs("</div></div>\n", out);
    }
    free(cases);
}

/* Plays the timelines back: one clock per replay, the rectangles' widths cut at it. */
static const char replay_js[] =
    "(function () {\n"
    "  const hash = new URLSearchParams(location.hash.slice(1));\n"
    "  document.querySelectorAll('.rp').forEach(function (rp) {\n"
    "    const tmax = Number(rp.dataset.tmax), x0 = Number(rp.dataset.x0);\n"
    "    const q = function (s) { return rp.querySelector('[data-rp=' + s + ']'); };\n"
    "    const svgs = Array.from(rp.querySelectorAll('svg.rp-svg')).map(function (svg) {\n"
    "      return { svg: svg, scale: Number(svg.dataset.scale), now: "
    "svg.querySelector('.rp-now'),\n"
    "        count: svg.previousElementSibling.querySelector('.rp-count'),\n"
    "        tasks: Array.from(svg.querySelectorAll('.rp-task')).map(function (g) {\n"
    "          return { g: g, start: Number(g.dataset.start), end: Number(g.dataset.end),\n"
    "            segs: Array.from(g.querySelectorAll('rect.seg')).map(function (r) {\n"
    "              return { r: r, from: Number(r.dataset.from), to: Number(r.dataset.to),\n"
    "                wait: r.dataset.kind === 'wait' }; }) }; }) }; });\n"
    "    const events = [0, tmax];\n"
    "    svgs.forEach(function (s) { s.tasks.forEach(function (t) {\n"
    "      events.push(t.start, t.end);\n"
    "      t.segs.forEach(function (g) { events.push(g.to); }); }); });\n"
    "    events.sort(function (a, b) { return a - b; });\n"
    "    let clock = 0, timer = null;\n"
    "    function draw() {\n"
    "      svgs.forEach(function (s) {\n"
    "        let started = 0, running = 0;\n"
    "        s.tasks.forEach(function (t) {\n"
    "          let state = clock < t.start ? 'pending' : clock >= t.end ? 'done' : 'running';\n"
    "          t.segs.forEach(function (g) {\n"
    "            const w = Math.max(0, Math.min(clock, g.to) - g.from) * s.scale;\n"
    "            g.r.setAttribute('width', w.toFixed(1));\n"
    "            if (state === 'running' && g.wait && clock >= g.from && clock < g.to)\n"
    "              state = 'waiting';\n"
    "          });\n"
    "          t.g.setAttribute('data-state', state);\n"
    "          started += state !== 'pending';\n"
    "          running += state === 'running' || state === 'waiting';\n"
    "        });\n"
    "        const x = (x0 + clock * s.scale).toFixed(1);\n"
    "        s.now.setAttribute('x1', x); s.now.setAttribute('x2', x);\n"
    "        s.count.textContent = '· ' + started + ' of ' + s.tasks.length +\n"
    "          ' started, ' + running + ' in flight';\n"
    "      });\n"
    "      rp.querySelector('.rp-clock').textContent = clock.toFixed(3) + ' s of ' +\n"
    "        tmax.toFixed(3) + ' s';\n"
    "      rp.dataset.clock = clock.toFixed(6);\n"
    "    }\n"
    "    function pause() { clearInterval(timer); timer = null; rp.dataset.playing = 'no'; }\n"
    "    function tick() {\n"
    "      clock = Math.min(tmax, clock + 0.05 * Number(q('speed').value));\n"
    "      draw();\n"
    "      if (clock >= tmax) pause();\n"
    "    }\n"
    "    function play() {\n"
    "      if (clock >= tmax) clock = 0;\n"
    "      if (timer === null) timer = setInterval(tick, 50);\n"
    "      rp.dataset.playing = 'yes';\n"
    "    }\n"
    "    function step(dir) {\n"
    "      pause();\n"
    "      const next = dir > 0 ? events.find(function (e) { return e > clock + 1e-9; })\n"
    "        : events.slice().reverse().find(function (e) { return e < clock - 1e-9; });\n"
    "      clock = next === undefined ? (dir > 0 ? tmax : 0) : next;\n"
    "      draw();\n"
    "    }\n"
    "    q('play').addEventListener('click', play);\n"
    "    q('pause').addEventListener('click', pause);\n"
    "    q('step').addEventListener('click', function () { step(1); });\n"
    "    q('back').addEventListener('click', function () { step(-1); });\n"
    "    q('restart').addEventListener('click', function () { pause(); clock = 0; draw(); });\n"
    "    q('zoom').addEventListener('input', function () {\n"
    "      svgs.forEach(function (s) { s.svg.style.width = (100 * Number(q('zoom').value)) + '%'; "
    "});\n"
    "    });\n"
    "    const speed = hash.get('speed');\n"
    "    if (speed !== null && q('speed').querySelector('option[value=\"' + Number(speed) + "
    "'\"]'))\n"
    "      q('speed').value = String(Number(speed));\n"
    "    const t = Number(hash.get('t'));\n"
    "    clock = hash.has('t') && t >= 0 ? Math.min(t, tmax) : 0;\n"
    "    draw();\n"
    "    for (let i = 0; i < Math.min(Number(hash.get('step')) || 0, events.length); i++) "
    "step(1);\n"
    "    if (hash.has('play')) play(); else pause();\n"
    "  });\n"
    "  document.body.dataset.replay = 'ready';\n"
    "})();\n";

void html_replay(FILE *out, const struct rm_file *f)
{
    int any = 0;

    for (int i = 0; i < f->ncases && !any; i++)
        any = f->cases[i].ntimeline > 0;
    if (!any)
        return;
    fprintf(out,
            "<section class=\"replay\" id=\"replay\"><style>\n%s</style><h2>Replay: the tasks "
            "as they ran</h2>\n<p class=\"rp-key\">Play the last repetition back, step from one "
            "start or end to the next, slow it down or zoom in. <span class=\"rp-c\" "
            "style=\"background:#d55e00\"></span>compute<span style=\"background:#56b4e9\">"
            "</span>waiting<span style=\"background:#999\"></span>kind not recorded<span "
            "style=\"background:#000\"></span>failed</p>\n",
            replay_css);
    for (int i = 0; i < f->ncases; i++)
        if (rm_first_of_workload(f, i))
            rp_workload(out, f, f->cases[i].workload);
    fprintf(out, "<script>\n%s</script></section>\n", replay_js);
}
