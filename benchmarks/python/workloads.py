#!/usr/bin/env python3
"""The suite's workloads for CPython asyncio and uvloop, with the same semantics as the JMH
benchmarks (see the Java classes of the same names in benchmarks/src/main/java).

Usage:  python3 workloads.py asyncio|uvloop quick|full OUT.json [WORKLOAD ...]

Writes a JSON list in the shape of JMH's result file (benchmark, mode, primaryMetric with
score, scoreError, scoreUnit, rawData), one entry per workload, named
dev.simmer.benchmarks.<Workload>.<asyncio|uvloop>, so report.py reads both alike. Each
repetition runs the workload in a fresh event loop (asyncio.run), as each JMH invocation runs
one Async.run; the score is the mean over the measured repetitions, the error the 99.9%
interval (Student's t) as JMH reports it. The standard library only (plus uvloop for uvloop).

SuspendedHeap: growth of the resident set size per task with 1,000,000 tasks suspended in
asyncio.sleep (CPython has no separate heap figure; RSS is what the issue quotes).
"""
import asyncio
import gc
import json
import math
import os
import statistics
import sys
import time

# Operations per repetition, and (warm-up, measured) repetitions, per mode.
MODES = {
    "quick": {"reps": (1, 5), "heavy_reps": (1, 3)},
    "full": {"reps": (3, 15), "heavy_reps": (2, 8)},
}
ROUND_TRIPS = 10_000
ITEMS = 10_000  # BoundedQueue: items per repetition
TASKS = 100_000
CHILDREN = 100_000
TIMERS = 100_000
MAX_DELAY_MS = 100
LOCK_OPS = 100_000
LOCK_TASKS, LOCK_ROUNDS = 100, 100
SUSPENDED = 1_000_000


def delays():
    """The timers' delays in ms: the same 64-bit LCG, seed and rule as Timers.delays() in Java."""
    d, x, mask = [], 42, (1 << 64) - 1
    for _ in range(TIMERS):
        x = (x * 6364136223846793005 + 1442695040888963407) & mask
        d.append((x >> 33) % (MAX_DELAY_MS + 1))
    d[-1] = MAX_DELAY_MS
    return d


async def yield_round_trip():
    async def yielder():
        for _ in range(ROUND_TRIPS):
            await asyncio.sleep(0)
    a = asyncio.create_task(yielder())
    b = asyncio.create_task(yielder())
    await a
    await b
    return ROUND_TRIPS


async def empty():
    return 1


async def create_await():
    total = 0
    for _ in range(TASKS):
        total += await asyncio.create_task(empty())
    return TASKS


def gather(width):
    async def run():
        for _ in range(CHILDREN // width):
            await asyncio.gather(*[empty() for _ in range(width)])
        return CHILDREN
    return run


async def timers():
    ds = delays()
    await asyncio.gather(*[asyncio.sleep(d / 1000) for d in ds])
    return 1


async def queue_ping_pong():
    there, back = asyncio.Queue(), asyncio.Queue()

    async def pong():
        for _ in range(ROUND_TRIPS):
            await back.put(await there.get())
    p = asyncio.create_task(pong())
    total = 0
    for i in range(ROUND_TRIPS):
        await there.put(i)
        total += await back.get()
    await p
    return ROUND_TRIPS


async def bounded_queue():
    queue = asyncio.Queue(maxsize=1)

    async def consumer():
        total = 0
        for _ in range(ITEMS):
            total += await queue.get()
        return total
    c = asyncio.create_task(consumer())
    for i in range(ITEMS):
        await queue.put(i)
    await c
    return ITEMS


async def lock_uncontended():
    lock = asyncio.Lock()
    for _ in range(LOCK_OPS):
        await lock.acquire()
        lock.release()
    return LOCK_OPS


async def lock_contended():
    lock = asyncio.Lock()

    async def worker():
        for _ in range(LOCK_ROUNDS):
            async with lock:
                await asyncio.sleep(0)
    await asyncio.gather(*[worker() for _ in range(LOCK_TASKS)])
    return LOCK_TASKS * LOCK_ROUNDS


# name -> (coroutine function, params, ops per repetition, unit, heavy)
WORKLOADS = {
    "YieldRoundTrip": (yield_round_trip, {}, ROUND_TRIPS, "ns/op", False),
    "CreateAwait": (create_await, {}, TASKS, "ns/op", True),
    "Gather@1000": (gather(1000), {"width": "1000"}, CHILDREN, "ns/op", True),
    "Gather@100000": (gather(100_000), {"width": "100000"}, CHILDREN, "ns/op", True),
    "Timers": (timers, {}, 1, "ms/op", True),
    "QueuePingPong": (queue_ping_pong, {}, ROUND_TRIPS, "ns/op", False),
    "BoundedQueue": (bounded_queue, {}, ITEMS, "ns/op", False),
    "LockUncontended": (lock_uncontended, {}, LOCK_OPS, "ns/op", False),
    "LockContended": (lock_contended, {}, LOCK_TASKS * LOCK_ROUNDS, "ns/op", False),
}

# Student's t at 99.95% (two-sided 99.9%) by degrees of freedom; large n -> 3.29.
T999 = {1: 636.6, 2: 31.6, 3: 12.92, 4: 8.61, 5: 6.87, 6: 5.96, 7: 5.41, 8: 5.04, 9: 4.78,
        10: 4.59, 11: 4.44, 12: 4.32, 13: 4.22, 14: 4.14, 15: 4.07, 20: 3.85, 30: 3.65}


def t999(df):
    keys = [k for k in T999 if k <= df]
    return T999[max(keys)] if keys else float("nan")


def result(name, loop, params, mode, unit, samples, extra=None):
    mean = statistics.fmean(samples)
    err = (t999(len(samples) - 1) * statistics.stdev(samples) / math.sqrt(len(samples))
           if len(samples) > 1 else float("nan"))
    r = {
        "benchmark": f"dev.simmer.benchmarks.{name}.{loop}",
        "mode": mode,
        "params": params or None,
        "vmName": f"CPython {sys.version.split()[0]}" + (f" + uvloop {extra}" if extra else ""),
        "primaryMetric": {"score": mean, "scoreError": err, "scoreUnit": unit, "rawData": [samples]},
        "secondaryMetrics": {},
    }
    if not params:
        del r["params"]
    return r


def run_workload(name, loop, mode, uvloop_version):
    fn, params, ops, unit, heavy = WORKLOADS[name]
    warm, meas = MODES[mode]["heavy_reps" if heavy else "reps"]
    samples = []
    for rep in range(warm + meas):
        gc.collect()
        start = time.perf_counter_ns()
        asyncio.run(fn())
        elapsed = time.perf_counter_ns() - start
        if rep >= warm:
            samples.append(elapsed / 1e6 if unit == "ms/op" else elapsed / ops)
    bench = name.split("@")[0]
    return result(bench, loop, params, "avgt", unit, samples, uvloop_version)


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def suspended():
    gc.collect()
    before = rss_bytes()
    tasks = [asyncio.create_task(asyncio.sleep(3600)) for _ in range(SUSPENDED)]
    await asyncio.sleep(0)  # every task runs to its sleep
    gc.collect()
    per_task = (rss_bytes() - before) / SUSPENDED
    for t in tasks:
        t.cancel()
    return per_task


def main(argv):
    if len(argv) < 3 or argv[0] not in ("asyncio", "uvloop") or argv[1] not in MODES:
        sys.exit(__doc__)
    loop, mode, out, only = argv[0], argv[1], argv[2], argv[3:]
    uvloop_version = None
    if loop == "uvloop":
        import uvloop  # absent -> ImportError: report.py checks first and reports uvloop absent
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        uvloop_version = uvloop.__version__
    results = []
    for name in WORKLOADS:
        if only and name.split("@")[0] not in only:
            continue
        results.append(run_workload(name, loop, mode, uvloop_version))
        r = results[-1]
        print(f"  {r['benchmark']} {r.get('params') or ''}: {r['primaryMetric']['score']:,.1f} "
              f"{r['primaryMetric']['scoreUnit']}", flush=True)
    if not only or "SuspendedHeap" in only:
        per_task = asyncio.run(suspended())
        results.append(result("SuspendedHeap", loop, {}, "memory", "B/task", [per_task], uvloop_version))
        print(f"  SuspendedHeap: {per_task:,.0f} B/task (RSS)", flush=True)
    with open(out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1:])
