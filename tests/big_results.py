#!/usr/bin/env python3
"""Writes a large results file at test time (never committed): from a small one made by
`concbench run`, either its first case with a timeline of N tasks (`timeline N`) or N cases,
each a copy of its first with its own label (`cases N`). Written as it goes, so a 2M-entry
file needs little memory here.

Usage: big_results.py SMALL.json timeline|cases N OUT.json [WORKLOADS]
WORKLOADS (cases only): how many workloads the copies are spread over (1 by default)."""
import json
import sys


def timeline(doc, n, out):
    case = doc["cases"][0]
    case["timeline"] = "@TIMELINE@"
    case["timeline_sampling"] = {"every": 1, "kept": n, "of": n}
    case["tasks"] = n
    doc["cases"] = [case]
    head, tail = json.dumps(doc).split('"@TIMELINE@"')
    out.write(head + "[")
    for i in range(n):
        start = i * 1e-5
        out.write('%s{"task": %d, "worker": %d, "start_s": %.9f, "end_s": %.9f, '
                  '"steps_end_s": [%.9f], "ok": true}'
                  % ("," if i else "", i, i % 4, start, start + 2e-5, start + 1.5e-5))
    out.write("]" + tail)


def cases(doc, n, workloads, out):
    case = doc["cases"][0]
    case.pop("timeline", None)
    case.pop("timeline_sampling", None)
    doc["cases"] = "@CASES@"
    head, tail = json.dumps(doc).split('"@CASES@"')
    out.write(head + "[")
    for i in range(n):
        case["label"] = "%s-%d" % (case["model"], i)
        case["workload"] = "w%d" % (i % workloads) if workloads > 1 else case["workload"]
        out.write(("," if i else "") + json.dumps(case))
    out.write("]" + tail)


def main():
    small, kind, n, path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    workloads = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    with open(small) as f:
        doc = json.load(f)
    with open(path, "w") as out:
        if kind == "timeline":
            timeline(doc, n, out)
        else:
            cases(doc, n, workloads, out)


main()
