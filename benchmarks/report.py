#!/usr/bin/env python3
"""Turns a JMH JSON result file of the Simmer suite into Markdown tables, one per workload.

Usage:  python3 benchmarks/report.py benchmarks/results/<date>.json

Each row is one runtime (benchmark method): score ± error (99.9% CI, as JMH reports it),
the ratio to the workload's rawContinuation floor, and gc.alloc.rate.norm when the run used
-prof gc. Only the standard library is used.
"""
import json
import sys

ORDER = ["rawContinuation", "simmerContinuation", "simmerThreads", "virtualThreads"]
LABEL = {
    "rawContinuation": "raw Continuation (floor)",
    "simmerContinuation": "Simmer, continuation engine",
    "simmerThreads": "Simmer, threads engine",
    "virtualThreads": "virtual threads (1 carrier)",
}


def fmt(x):
    x = float(x)  # JMH writes "NaN" as a string when there are too few samples for an error
    if x != x:
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def main(path):
    with open(path) as f:
        results = json.load(f)
    if not results:
        sys.exit(f"{path}: no results")
    first = results[0]
    print(f"JDK {first.get('jdkVersion')} ({first.get('vmName')} {first.get('vmVersion')}); "
          f"forks {first.get('forks')}, warmup {first.get('warmupIterations')} x {first.get('warmupTime')}, "
          f"measurement {first.get('measurementIterations')} x {first.get('measurementTime')}\n")

    by_workload = {}
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        by_workload.setdefault(cls, {})[method] = r

    for workload in sorted(by_workload):
        rows = by_workload[workload]
        floor = rows.get("rawContinuation")
        floor_score = floor["primaryMetric"]["score"] if floor else None
        unit = next(iter(rows.values()))["primaryMetric"]["scoreUnit"]
        print(f"### {workload}\n")
        print(f"| runtime | score ({unit}) | ± error | × floor | alloc (B/op) |")
        print("|---|---:|---:|---:|---:|")
        methods = [m for m in ORDER if m in rows] + sorted(m for m in rows if m not in ORDER)
        for m in methods:
            pm = rows[m]["primaryMetric"]
            ratio = f"{pm['score'] / floor_score:.2f}" if floor_score else "n/a"
            alloc = rows[m].get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            alloc_s = fmt(alloc["score"]) if alloc else "-"
            print(f"| {LABEL.get(m, m)} | {fmt(pm['score'])} | {fmt(pm['scoreError'])} | {ratio} | {alloc_s} |")
        print()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
