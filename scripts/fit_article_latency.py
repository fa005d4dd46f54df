#!/usr/bin/python3
"""Fits the article's latency profile (results/published/latency_article.txt).

The article (shared/seeds/003_*, results/published/article_003.json) ran io_bound as N=10
tasks, each GETting google.com, yahoo.com, linkedin.com and facebook.com one after another. It
published one wall time per model: sync 31.4 s, and 7.9 s (threads), 7.22 s (processes),
6.85 s (gevent), 4.37 s (asyncio) for the concurrent ones. Two figures constrain a profile:

  * the sequential total, the sum of all 40 delays: its expectation is set to 31.4 s;
  * the concurrent makespan, max over the 10 tasks of the sum of their 4 delays: the least time
    any concurrent model can take. Its expectation is set to the fastest concurrent figure,
    asyncio's 4.37 s; the slower models paid for more than waiting (a new connection per
    urlopen, threads, processes), which a latency profile cannot describe.

The article gives no per-site figure, so the four sites get one shape: lognormal with the same
sigma, medians in the ratios --ratios (default all equal; the totals cannot tell the sites
apart). For a sigma, the medians follow from the total in closed form (a lognormal's mean is
median * exp(sigma^2 / 2)); sigma is then found by bisection so that the Monte Carlo mean of
the makespan, over --runs seeds of the very generator concbench uses (concbench_py.py's copy of
common/latency.c), equals the target. Everything is deterministic: the same arguments print the
same profile. Standard library only.

    scripts/fit_article_latency.py                 # print the profile
    scripts/fit_article_latency.py --write results/published/latency_article.txt
"""

import argparse
import importlib.util
import math
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SITES = ("google.com", "yahoo.com", "linkedin.com", "facebook.com")
TASKS = 10


def load_concbench_py():
    spec = importlib.util.spec_from_file_location(
        "concbench_py", os.path.join(HERE, "python", "concbench_py.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


CB = load_concbench_py()


def dists_for(sigma, ratios, total_ms):
    """Lognormal medians whose means add up to total_ms / TASKS per task, in the given ratios."""
    per_task = total_ms / TASKS
    unit = per_task / (sum(ratios) * math.exp(sigma * sigma / 2.0))
    return [("lognormal", round(r * unit, 1), round(sigma, 4)) for r in ratios]


def parsed(dists):
    return [CB.latency_parse("%s:median=%r,sigma=%r" % d, 0) for d in dists]


def bounds(dists, seed):
    """(makespan, total) in ms of one run of TASKS tasks drawn with seed."""
    plan = CB.LatencyPlan("", 0, parsed(dists), seed)
    sums = [sum(plan.delay_ms(i, k) for k in range(len(dists))) for i in range(TASKS)]
    return max(sums), sum(sums)


def expected(dists, runs):
    pairs = [bounds(dists, seed) for seed in range(1, runs + 1)]
    return (statistics.fmean(p[0] for p in pairs), statistics.fmean(p[1] for p in pairs),
            statistics.stdev(p[0] for p in pairs), statistics.stdev(p[1] for p in pairs))


def fit(total_ms, makespan_ms, ratios, runs):
    lo, hi = 0.0, 2.0
    for _ in range(40):
        mid = (lo + hi) / 2.0
        if expected(dists_for(mid, ratios, total_ms), runs)[0] < makespan_ms:
            lo = mid
        else:
            hi = mid
    return dists_for((lo + hi) / 2.0, ratios, total_ms)


def profile_text(args, dists):
    mk, tot, mk_sd, tot_sd = expected(dists, args.runs)
    one_mk, one_tot = bounds(dists, 1)
    lines = [
        "# The article's io_bound (shared/seeds/003_*): N=10 tasks, each GETting four sites in",
        "# a row. Written by scripts/fit_article_latency.py --total-s %g --makespan-s %g "
        "--runs %d" % (args.total_s, args.makespan_s, args.runs),
        "# --ratios %s; see that script and results/README.md for how and what it cannot say."
        % ",".join("%g" % r for r in args.ratios),
        "# Fitted, over seeds 1..%d: expected sequential total %.2f s (sd %.2f s, target %g s),"
        % (args.runs, tot / 1000.0, tot_sd / 1000.0, args.total_s),
        "# expected makespan %.2f s (sd %.2f s, target %g s: the article's fastest concurrent run,"
        % (mk / 1000.0, mk_sd / 1000.0, args.makespan_s),
        "# asyncio). Seed 1 (io_bound's default) draws a total of %.2f s and a makespan of %.2f s."
        % (one_tot / 1000.0, one_mk / 1000.0),
        "name article_003",
    ]
    for site, d in zip(SITES, dists):
        lines.append("%-13s %s:median=%r,sigma=%r" % ((site,) + d))
    return "\n".join(lines) + "\n"


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--total-s", type=float, default=31.4, help="sequential total (article: 31.4)")
    p.add_argument("--makespan-s", type=float, default=4.37,
                   help="concurrent makespan (article's fastest, asyncio: 4.37)")
    p.add_argument("--ratios", default="1,1,1,1",
                   help="medians of google, yahoo, linkedin, facebook relative to each other")
    p.add_argument("--runs", type=int, default=2000, help="Monte Carlo seeds (default 2000)")
    p.add_argument("--write", metavar="PATH", help="write the profile there instead of stdout")
    args = p.parse_args(argv)
    try:
        args.ratios = [float(x) for x in args.ratios.split(",")]
    except ValueError:
        p.error("--ratios: four numbers, e.g. 1,1.5,1,2")
    if len(args.ratios) != 4 or min(args.ratios) <= 0:
        p.error("--ratios: four positive numbers, one per site")
    if not 0 < args.total_s / TASKS < args.makespan_s < args.total_s or args.runs < 10:
        p.error("need total/10 < makespan < total, and --runs >= 10")
    dists = fit(args.total_s * 1000.0, args.makespan_s * 1000.0, args.ratios, args.runs)
    text = profile_text(args, dists)
    if args.write:
        with open(args.write, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
