#!/usr/bin/python3
"""Python reference variants of concbench's cpu_bound and io_bound workloads.

One invocation runs one workload under one Python execution model, a few times, and prints
exactly one JSON case object on stdout, in the shape of a case of concbench's results file
(results/README.md), marked "implementation": "python". `concbench reproduce --with-python`
runs it with --reps 1 once per model and workload after every round of its C cases (each
repetition a fresh interpreter) and merges the outputs into one case per model and workload.

    sequential       a plain loop
    threading        one threading.Thread per task
    multiprocessing  one multiprocessing.Process per task (results come back over a queue)
    gevent           one greenlet per task, the standard library monkey-patched
    asyncio          one coroutine per task: cpu through loop.run_in_executor, io with aiohttp

cpu_bound computes BASE ** EXPONENT per task; io_bound GETs URL REQUESTS times one after
another per task (urllib's urlopen, as in the article; aiohttp under asyncio), and checks that
every body is the embedded server's deterministic body (server/body.h).

Written for Debian's /usr/bin/python3 with python3-gevent and python3-aiohttp. Exit status:
0 when the case ran (failed tasks are reported in the JSON, not by the status), 2 for bad
usage, 3 when a module the model needs is missing.
"""

import sys


def _wants_gevent(argv):
    for i, arg in enumerate(argv):
        if arg == "--model=gevent" or (arg == "--model" and argv[i + 1 : i + 2] == ["gevent"]):
            return True
    return False


# gevent must patch the standard library before anything else imports socket, threading or
# time; so this happens first, and only for the gevent model.
if _wants_gevent(sys.argv):
    try:
        from gevent import monkey

        monkey.patch_all()
    except ImportError as exc:
        sys.stderr.write("concbench_py: the gevent model needs python3-gevent: %s\n" % exc)
        sys.exit(3)

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import zlib  # noqa: E402
from urllib.request import urlopen  # noqa: E402  (after gevent's patching, when there is one)

MODELS = ("sequential", "threading", "multiprocessing", "gevent", "asyncio")
# Which concbench model each Python model stands next to in the tables.
C_MODEL = {
    "sequential": "sequential",
    "threading": "pthreads",
    "multiprocessing": "processes",
    "gevent": "green",
    "asyncio": "evloop",
}
LIBRARY = {
    "sequential": "for loop",
    "threading": "threading.Thread",
    "multiprocessing": "multiprocessing.Process",
    "gevent": "gevent.spawn + gevent.monkey.patch_all",
    "asyncio": "asyncio.gather (cpu: loop.run_in_executor; io: aiohttp)",
}
MAX_MESSAGES = 20
STEP_MARKS = 8
FNV_OFFSET = 1469598103934665603
FNV_PRIME = 1099511628211
MASK64 = (1 << 64) - 1


def body_bytes(n):
    """The embedded server's body: byte i is 'a' + (i + i // 26) % 26 (server/body.h)."""
    return bytes(ord("a") + (i + i // 26) % 26 for i in range(n))


def fnv1a64(h, data):
    for b in data:
        h = ((h ^ b) * FNV_PRIME) & MASK64
    return h


# ---------------------------------------------------------------------------------------------
# Drawn latencies: the same generator and transforms as common/latency.c, so that for the same
# seed and distribution the delay of task i, request k is the same whole number of ms in C and
# here (the same libm functions in the same order; Python's float is C's double).

LATENCY_KINDS = ("fixed", "uniform", "normal", "lognormal", "pareto")
LATENCY_PARAMS = {"fixed": ("ms", None), "uniform": ("min", "max"), "normal": ("mean", "sd"),
                  "lognormal": ("median", "sigma"), "pareto": ("min", "alpha")}
LATENCY_MAX_MS = 60000


def splitmix64(z):
    z = (z + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def latency_key(seed, task, request):
    return splitmix64(splitmix64(splitmix64(seed) ^ task) ^ request)


def latency_uniform(key, j):
    return (float(splitmix64(key ^ j) >> 11) + 0.5) * 2.0 ** -53


def std_normal(key):
    u0, u1 = latency_uniform(key, 0), latency_uniform(key, 1)
    return math.sqrt(-2.0 * math.log(u0)) * math.cos(2.0 * math.pi * u1)


def latency_parse(text, fixed_ms):
    """(kind, a, b, floor, cap) from the text form of common/latency.h; ValueError if bad."""
    kind, _, rest = text.partition(":")
    if kind not in LATENCY_PARAMS:
        raise ValueError("unknown distribution '%s' (valid: %s)" % (kind, "|".join(LATENCY_KINDS)))
    names = LATENCY_PARAMS[kind]
    vals = {"floor": 0.0, "cap": float(LATENCY_MAX_MS), names[0]: float(fixed_ms)}
    given = set()
    for pair in filter(None, rest.split(",")):
        key, eq, value = pair.partition("=")
        if key not in names + ("floor", "cap") or not eq:
            raise ValueError("%s: bad parameter '%s'" % (kind, pair))
        vals[key] = float(value)
        if not math.isfinite(vals[key]):
            raise ValueError("%s: %s=%s is not a number" % (kind, key, value))
        given.add(key)
    if (kind != "fixed" and names[0] not in given) or (names[1] and names[1] not in given):
        raise ValueError("%s needs its parameters %s" % (kind, names))
    a, b = vals[names[0]], vals.get(names[1], 0.0) if names[1] else 0.0
    lo, hi = vals["floor"], vals["cap"]
    ok = {"fixed": 0 <= a <= LATENCY_MAX_MS, "uniform": 0 <= a <= b <= LATENCY_MAX_MS,
          "normal": 0 <= a <= LATENCY_MAX_MS and b >= 0,
          "lognormal": 0 < a <= LATENCY_MAX_MS and 0 <= b <= 5,
          "pareto": 0 < a <= LATENCY_MAX_MS and b > 0}[kind]
    if not ok or not 0 <= lo <= hi <= LATENCY_MAX_MS:
        raise ValueError("%s: parameters out of range: %s" % (kind, text))
    return (kind, a, b, lo, hi)


def latency_draw_ms(dist, seed, task, request):
    kind, a, b, lo, hi = dist
    key = latency_key(seed, task, request)
    x = a
    if kind == "uniform":
        x = a + (b - a) * latency_uniform(key, 0)
    elif kind == "normal":
        x = a + b * std_normal(key)
    elif kind == "lognormal":
        x = a * math.exp(b * std_normal(key))
    elif kind == "pareto":
        x = a / math.pow(latency_uniform(key, 0), 1.0 / b)
    x = min(max(x, lo), hi)
    return int(math.floor(x + 0.5))


class LatencyPlan:
    """Where io_bound's request k of task i goes: SERVER/delay/<drawn ms>/bytes/<n>. Plain data,
    so multiprocessing can pickle it."""

    def __init__(self, server, nbytes, dists, seed):
        self.server, self.nbytes, self.dists, self.seed = server.rstrip("/"), nbytes, dists, seed

    def delay_ms(self, task, request):
        return latency_draw_ms(self.dists[request], self.seed, task, request)

    def url(self, task, request):
        return "%s/delay/%d/bytes/%d" % (self.server, self.delay_ms(task, request), self.nbytes)

    def digest(self, tasks):
        """FNV-1a over every delay as 8 little-endian bytes (io_latency_digest in C)."""
        h = FNV_OFFSET
        for i in range(tasks):
            for k in range(len(self.dists)):
                h = fnv1a64(h, self.delay_ms(i, k).to_bytes(8, "little"))
        return h


def t975(df):
    """Two-sided 95% quantile of Student's t (the same table as rmodel/stats.c)."""
    table = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
             2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074,
             2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
    if df < 1:
        return 0.0
    if df <= 30:
        return table[df - 1]
    return 2.000 if df <= 60 else 1.980 if df <= 120 else 1.960


def figure(samples):
    """{median, mean, stddev, min, max, ci95, samples} as in the C results."""
    if not samples:
        return {"median": 0.0, "mean": 0.0, "stddev": 0.0, "min": 0.0, "max": 0.0,
                "ci95": [0.0, 0.0], "samples": []}
    n = len(samples)
    mean = statistics.fmean(samples)
    sd = statistics.stdev(samples) if n > 1 else 0.0
    half = t975(n - 1) * sd / math.sqrt(n) if n > 1 else 0.0
    return {"median": statistics.median(samples), "mean": mean, "stddev": sd,
            "min": min(samples), "max": max(samples), "ci95": [mean - half, mean + half],
            "samples": list(samples)}


# ---------------------------------------------------------------------------------------------
# Tasks. Each returns a plain record (picklable, so multiprocessing can send it back):
# task, worker id, start/end on time.monotonic() (CLOCK_MONOTONIC, shared by all processes),
# end of each step, a digest of the result, and the first error instead of an exception.


def new_record(index):
    return {"task": index, "thread": threading.get_ident(), "pid": os.getpid(),
            "start": time.monotonic(), "end": None, "steps": [], "digest": 0, "error": None,
            "bits": None, "hash": None}


def cpu_task(index, a, b):
    rec = new_record(index)
    try:
        x = a ** b
        rec["bits"] = x.bit_length()
        rec["hash"] = hash(x)  # int hashes are not randomised: the same in every process
        rec["digest"] = (rec["hash"] ^ (rec["bits"] << 1)) & MASK64
    except Exception as exc:  # MemoryError included: reported, not raised
        rec["error"] = "%s: %s" % (type(exc).__name__, exc)
    rec["end"] = time.monotonic()
    rec["steps"] = [rec["end"]]
    return rec


def request_url(target, index, k):
    """The URL of request k of task index: target itself, or the plan's drawn-delay URL."""
    return target.url(index, k) if isinstance(target, LatencyPlan) else target


def io_task(index, target, requests, expected, timeout_s):
    rec = new_record(index)
    digest = 0
    try:
        for k in range(requests):
            url = request_url(target, index, k)
            with urlopen(url, timeout=timeout_s) as resp:
                status = resp.status
                body = resp.read()
            if status != 200:
                rec["error"] = "request %d: HTTP status %d from %s" % (k + 1, status, url)
                break
            if body != expected:
                rec["error"] = "request %d: body of %d bytes differs from the %d expected" % (
                    k + 1, len(body), len(expected))
                break
            digest = zlib.crc32(body, digest)
            rec["steps"].append(time.monotonic())
    except Exception as exc:
        rec["error"] = "request %d: %s: %s" % (len(rec["steps"]) + 1, type(exc).__name__, exc)
    rec["digest"] = digest
    rec["end"] = time.monotonic()
    return rec


# ---------------------------------------------------------------------------------------------
# Models: run N tasks, return their records (index order). What is timed is everything in here:
# creating, running and joining the tasks.


def run_sequential(n, task, args):
    return [task(i, *args) for i in range(n)]


def run_threading(n, task, args):
    records = [None] * n

    def body(i):
        records[i] = task(i, *args)

    jobs = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for job in jobs:
        job.start()
    for job in jobs:
        job.join()
    return records


def _mp_child(queue, task, i, args):
    queue.put(task(i, *args))


def run_multiprocessing(n, task, args, deadline_s):
    import multiprocessing
    import queue as queue_mod

    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_mp_child, args=(q, task, i, args)) for i in range(n)]
    for p in procs:
        p.start()
    records = [None] * n
    got, deadline = 0, time.monotonic() + deadline_s
    # Drain the queue before joining: a child cannot exit while its result sits in the pipe.
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        try:
            rec = q.get(timeout=min(left, 1.0))
        except queue_mod.Empty:
            if all(not p.is_alive() for p in procs) and q.empty():
                break
            continue
        records[rec["task"]] = rec
        got += 1
    for i, p in enumerate(procs):
        p.join(timeout=max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join()
        if records[i] is None:
            records[i] = {"task": i, "never_ran": True,
                          "error": "process exited with code %s before reporting" % p.exitcode}
    return records


def run_gevent(n, task, args):
    import gevent

    jobs = [gevent.spawn(task, i, *args) for i in range(n)]
    gevent.joinall(jobs)
    records = []
    for i, job in enumerate(jobs):
        if job.successful():
            records.append(job.value)
        else:
            records.append({"task": i, "never_ran": True, "error": repr(job.exception)})
    return records


def run_asyncio(n, workload, args):
    import asyncio

    if workload == "cpu_bound":
        a, b = args

        async def one(i):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, cpu_task, i, a, b)

    else:
        import aiohttp

        target, requests, expected, timeout_s = args

        async def one(i):
            rec = new_record(i)
            digest = 0
            try:
                timeout = aiohttp.ClientTimeout(total=timeout_s)
                async with aiohttp.ClientSession(timeout=timeout) as session:
                    for k in range(requests):
                        url = request_url(target, i, k)
                        async with session.get(url) as resp:
                            status = resp.status
                            body = await resp.read()
                        if status != 200:
                            rec["error"] = "request %d: HTTP status %d from %s" % (
                                k + 1, status, url)
                            break
                        if body != expected:
                            rec["error"] = "request %d: body of %d bytes differs from the %d " \
                                           "expected" % (k + 1, len(body), len(expected))
                            break
                        digest = zlib.crc32(body, digest)
                        rec["steps"].append(time.monotonic())
            except Exception as exc:
                rec["error"] = "request %d: %s: %s" % (len(rec["steps"]) + 1,
                                                       type(exc).__name__, exc)
            rec["digest"] = digest
            rec["end"] = time.monotonic()
            return rec

    async def main():
        results = await asyncio.gather(*(one(i) for i in range(n)), return_exceptions=True)
        return [r if isinstance(r, dict) else {"task": i, "never_ran": True, "error": repr(r)}
                for i, r in enumerate(results)]

    return asyncio.run(main())


# ---------------------------------------------------------------------------------------------


def rusage_now():
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s, c


def run_once(opts, task, args):
    n = opts.tasks
    s0, c0 = rusage_now()
    t0 = time.monotonic()
    if opts.model == "sequential":
        records = run_sequential(n, task, args)
    elif opts.model == "threading":
        records = run_threading(n, task, args)
    elif opts.model == "multiprocessing":
        records = run_multiprocessing(n, task, args, opts.run_timeout_s)
    elif opts.model == "gevent":
        records = run_gevent(n, task, args)
    else:
        records = run_asyncio(n, opts.workload, args)
    t1 = time.monotonic()
    s1, c1 = rusage_now()
    sample = {
        "wall_s": t1 - t0,
        "user_s": (s1.ru_utime - s0.ru_utime) + (c1.ru_utime - c0.ru_utime),
        "sys_s": (s1.ru_stime - s0.ru_stime) + (c1.ru_stime - c0.ru_stime),
        "max_rss_kib": float(max(s1.ru_maxrss, c1.ru_maxrss)),
        "ctx_voluntary": float(s1.ru_nvcsw - s0.ru_nvcsw + c1.ru_nvcsw - c0.ru_nvcsw),
        "ctx_involuntary": float(s1.ru_nivcsw - s0.ru_nivcsw + c1.ru_nivcsw - c0.ru_nivcsw),
    }
    return sample, records


def check_record(opts, rec, expected):
    """None when the task's result is right, else why not."""
    if rec is None:
        return "task never ran"
    if rec.get("error"):
        return rec["error"]
    if rec.get("never_ran"):
        return "task never ran"
    if opts.workload == "cpu_bound":
        bits, digest = expected
        if rec["bits"] != bits:
            return "result has %s bits, expected %d" % (rec["bits"], bits)
        if rec["hash"] != digest:
            return "result differs from the expected %d-bit power" % bits
    elif len(rec["steps"]) != opts.requests:
        return "%d of %d requests done" % (len(rec["steps"]), opts.requests)
    return None


def worker_ids(opts, records):
    """Small worker numbers for the timeline: the thread, process or greenlet that ran a task."""
    if opts.model == "sequential":
        return [0] * len(records)
    if opts.model == "asyncio":
        if opts.workload == "io_bound":
            return [0] * len(records)  # every coroutine on the loop's thread
        seen = {}
        out = []
        for rec in records:
            key = rec.get("thread") if rec else None
            if key is None:
                out.append(-1)
                continue
            out.append(seen.setdefault(key, len(seen)))
        return out
    return [i for i in range(len(records))]


def timeline(opts, records):
    starts = [r["start"] for r in records if r and r.get("start") is not None]
    t0 = min(starts) if starts else 0.0
    workers = worker_ids(opts, records)
    out = []
    for i, rec in enumerate(records):
        if not rec or rec.get("start") is None or rec.get("end") is None:
            out.append({"task": i, "worker": -1, "start_s": 0.0, "end_s": 0.0,
                        "steps_end_s": [], "ok": False})
            continue
        out.append({"task": i, "worker": workers[i], "start_s": rec["start"] - t0,
                    "end_s": rec["end"] - t0,
                    "steps_end_s": [s - t0 for s in rec["steps"][:STEP_MARKS]],
                    "ok": not rec.get("error")})
    return out


def note(messages, text):
    if text not in messages and len(messages) < MAX_MESSAGES:
        messages.append(text)


def module_version(name):
    try:
        mod = __import__(name)
    except ImportError:
        return None
    return getattr(mod, "__version__", "present")


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="concbench_py.py",
        description="Python reference variants of concbench's cpu_bound and io_bound: one "
                    "model, one workload, one JSON case on stdout.")
    p.add_argument("--model", choices=MODELS, help="the Python execution model")
    p.add_argument("--workload", choices=("cpu_bound", "io_bound"))
    p.add_argument("--tasks", type=int, default=10, help="N tasks per run (default 10)")
    p.add_argument("--reps", type=int, default=5, help="measured repetitions (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="unmeasured repetitions first")
    p.add_argument("--base", type=int, default=7777, help="cpu_bound: base (default 7777)")
    p.add_argument("--exponent", type=int, default=200000,
                   help="cpu_bound: exponent (default 200000)")
    p.add_argument("--url", help="io_bound: URL of the embedded server, "
                                 "http://HOST:PORT/delay/MS/bytes/N")
    p.add_argument("--server", help="io_bound with --latency: base URL of a server that honours "
                                    "/delay/<ms>/bytes/<n>, e.g. http://127.0.0.1:8080")
    p.add_argument("--latency", action="append", metavar="DIST",
                   help="io_bound: delay distribution drawn from --seed (common/latency.h's text "
                        "form, e.g. lognormal:median=120,sigma=0.6); once for every request, or "
                        "once per request position")
    p.add_argument("--seed", type=int, default=1, help="seed of the drawn delays (default 1)")
    p.add_argument("--print-delays", action="store_true",
                   help="print the delays --latency and --seed draw for --tasks x --requests "
                        "(JSON: delays per task, digest) and exit; nothing is run")
    p.add_argument("--requests", type=int, default=4, help="io_bound: GETs per task (default 4)")
    p.add_argument("--bytes", type=int, default=16384,
                   help="io_bound: body size the URL returns (default 16384)")
    p.add_argument("--delay-ms", type=int, default=None,
                   help="io_bound: the server's delay, recorded in params only")
    p.add_argument("--timeout-s", type=float, default=30.0,
                   help="io_bound: limit for one request (default 30)")
    p.add_argument("--run-timeout-s", type=float, default=600.0,
                   help="multiprocessing: how long one run may take before its missing "
                        "results count as failures (default 600)")
    p.add_argument("--check", action="store_true",
                   help="print the interpreter's version and which optional modules it has")
    opts = p.parse_args(argv)
    if opts.latency:
        if len(opts.latency) not in (1, opts.requests):
            p.error("--latency: give it once (every request) or --requests=%d times (one per "
                    "position), not %d times" % (opts.requests, len(opts.latency)))
        if not 0 <= opts.seed <= 2 ** 53 - 1:
            p.error("--seed must be 0..9007199254740991")
        try:
            opts.dists = [latency_parse(t, opts.delay_ms if opts.delay_ms is not None else 100)
                          for t in opts.latency]
        except ValueError as exc:
            p.error("--latency: %s" % exc)
        if len(opts.dists) == 1:
            opts.dists = opts.dists * opts.requests
    if opts.check or opts.print_delays:
        if opts.print_delays and not opts.latency:
            p.error("--print-delays needs --latency")
        return opts
    if opts.model is None or opts.workload is None:
        p.error("--model and --workload are required")
    for name in ("tasks", "reps", "requests"):
        if getattr(opts, name) < 1:
            p.error("--%s must be at least 1" % name)
    if opts.warmup < 0 or opts.bytes < 0 or opts.base < 2 or opts.exponent < 1:
        p.error("--warmup and --bytes must be >= 0, --base >= 2, --exponent >= 1")
    if opts.workload == "io_bound" and not (opts.server if opts.latency else opts.url):
        p.error("io_bound needs --url, or --server with --latency")
    return opts


def print_delays(opts):
    plan = LatencyPlan("", 0, opts.dists, opts.seed)
    delays = [[plan.delay_ms(i, k) for k in range(opts.requests)] for i in range(opts.tasks)]
    print(json.dumps({"seed": opts.seed, "latency": opts.latency, "delays": delays,
                      "digest": "%016x" % plan.digest(opts.tasks)}))
    return 0


def main(argv):
    opts = parse_args(argv)
    if opts.check:
        print(json.dumps({"python": sys.version.split()[0], "executable": sys.executable,
                          "modules": {m: module_version(m) for m in ("gevent", "aiohttp")}}))
        return 0
    if opts.print_delays:
        return print_delays(opts)
    needs = {"gevent": "gevent"}.get(opts.model)
    if opts.model == "asyncio" and opts.workload == "io_bound":
        needs = "aiohttp"
    if needs and module_version(needs) is None:
        sys.stderr.write("concbench_py: the %s model needs python3-%s (apt-get install "
                         "python3-%s)\n" % (opts.model, needs, needs))
        return 3

    # Everything the model imports is imported before anything is timed, as the article's
    # script did at its top: a forked child must not pay for an import either.
    preload = {
        "multiprocessing": ["multiprocessing", "queue"],
        "gevent": ["gevent"],
        "asyncio": ["asyncio", "concurrent.futures"]
        + (["aiohttp"] if opts.workload == "io_bound" else []),
    }.get(opts.model, [])
    for name in preload:
        importlib.import_module(name)

    # What a correct task returns, computed before anything is timed.
    if opts.workload == "cpu_bound":
        x = opts.base ** opts.exponent
        expected = (x.bit_length(), hash(x))
        del x
        task, args = cpu_task, (opts.base, opts.exponent)
        params = {"base": opts.base, "exponent": opts.exponent}
    else:
        body = body_bytes(opts.bytes)
        expected = body
        target = opts.url
        params = {"url": opts.url, "requests": opts.requests, "bytes": opts.bytes}
        if opts.latency:
            target = LatencyPlan(opts.server, opts.bytes, opts.dists, opts.seed)
            params = {"server": opts.server, "requests": opts.requests, "bytes": opts.bytes,
                      "latency": opts.latency, "seed": opts.seed,
                      "latency_digest": "%016x" % target.digest(opts.tasks)}
        task, args = io_task, (target, opts.requests, body, opts.timeout_s)
        if opts.delay_ms is not None:
            params["delay_ms"] = opts.delay_ms

    samples, messages, warnings = [], [], []
    failures = checked = errors = 0
    records = []
    checksum = FNV_OFFSET
    for rep in range(opts.warmup + opts.reps):
        try:
            sample, records = run_once(opts, task, args)
        except Exception as exc:  # a model that could not even start its tasks
            errors += 1
            note(messages, "repetition failed: %s: %s" % (type(exc).__name__, exc))
            records = []
            continue
        if rep < opts.warmup:
            continue
        samples.append(sample)
        checksum = FNV_OFFSET
        for rec in records:
            why = check_record(opts, rec, expected)
            if why is not None:
                failures += 1
                errors += 1
                note(messages, why)
            digest = rec.get("digest", 0) if rec else 0
            checksum = fnv1a64(checksum, int(digest).to_bytes(8, "little"))
        checked += len(records)

    figs = {k: figure([s[k] for s in samples])
            for k in ("wall_s", "user_s", "sys_s", "max_rss_kib", "ctx_voluntary",
                      "ctx_involuntary")}
    wall = figs["wall_s"]
    if 0 < len(samples) < 3:
        note(warnings, "only %d repetition(s): no spread to judge; use -r 5 or more"
             % len(samples))
    elif wall["mean"] > 0 and wall["stddev"] / wall["mean"] > 0.10:
        note(warnings, "unstable: wall-time stddev is %.0f%% of the mean (min %.4g s, max %.4g "
             "s); the machine may be busy, use more repetitions"
             % (100.0 * wall["stddev"] / wall["mean"], wall["min"], wall["max"]))

    case = {
        "implementation": "python",
        "model": C_MODEL[opts.model],
        "label": "python:" + opts.model,
        "workload": opts.workload,
        "tasks": opts.tasks,
        "workers": 0,
        "params": params,
        "model_options": {"python_model": opts.model, "library": LIBRARY[opts.model]},
        "python": {"version": sys.version.split()[0], "executable": sys.executable,
                   "gevent": module_version("gevent") if opts.model == "gevent" else None,
                   "aiohttp": module_version("aiohttp") if opts.model == "asyncio" else None,
                   "isolation": "these repetitions ran in one interpreter process"},
        "reps_done": len(samples),
    }
    case.update(figs)
    case["speedup_vs_sequential"] = None  # filled in by concbench, which has every model
    case["validation"] = {"ok": checked > 0 and failures == 0 and errors == 0,
                          "checksum": "%016x" % checksum, "tasks_checked": checked,
                          "failures": failures}
    case["errors"] = {"count": errors, "messages": messages}
    case["warnings"] = warnings
    case["timeline"] = timeline(opts, records) if records else []
    case["timeline_sampling"] = {"every": 1, "kept": len(case["timeline"]), "of": opts.tasks}
    sys.stdout.write(json.dumps(case) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
