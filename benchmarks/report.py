#!/usr/bin/env python3
"""Runs the suite beside its peers and writes the report: docs/performance.md and
docs/performance-ratios.png, with every result kept as JSON under benchmarks/results/.

Usage (from anywhere; paths are relative to the project root):

    python3 benchmarks/report.py quick            # about 10 minutes on 2 cores
    python3 benchmarks/report.py full             # about 50 minutes
    python3 benchmarks/report.py quick --only Echo   # re-run some workloads, keep the rest
    python3 benchmarks/report.py --from benchmarks/results/<file>.json   # re-render only

Options: --no-build (use benchmarks/target/benchmarks.jar as it is; otherwise the jar is
rebuilt first with ./mvnw -B -q -DskipTests package), --only REGEX (JMH benchmarks, e.g.
'YieldRoundTrip|Timers'; the Python and heap runs follow the same workload names). A run with
--only merges its results into the newest merged results file of the same mode (or the one
given with --merge FILE; --no-merge: none): the figures it re-ran replace the old ones, the
others are kept as they were, and the report lists each run that contributed.

What it runs, in one session so the ratios compare like with like:
  1. JMH, every benchmark (Simmer on both engines, the raw continuation, kotlinx.coroutines,
     virtual threads, CompletableFuture), with -prof gc. quick: -f 1 -wi 4 -i 4 -w 1s -r 1s;
     full: -f 3 -wi 5 -i 5 -w 1s -r 1s. Then, in a JMH run of its own, the loopback echo (Simmer,
     Netty, virtual threads): quick -f 1 -wi 2 -i 3 -w 1s -r 1s without the extra all-cores
     virtual-thread line; full as above, with it. Then, with the echo's depth, the echo server
     on a group of one and of two loops (ShardedEcho, Simmer and Netty).
  2. SuspendedHeap (heap bytes per suspended task, 1,000,000 tasks) in fresh JVMs per runtime,
     with the same flags as its JMH forks: warm (the JVM ran the workload once first; 3 JVMs)
     and cold (the JVM's first tasks; 5 JVMs), the median kept for each.
  3. benchmarks/python/workloads.py under CPython asyncio and uvloop, when an interpreter
     has them (python3 on the PATH, then /usr/bin/python3); an absent one is reported absent.
JMH's own JSON is kept as benchmarks/results/<date>-<mode>-jmh.json; everything (JMH, heap,
Python, and the run's facts) is merged into benchmarks/results/<date>-<mode>.json. It writes the chart with
RatioChart (XChart, in the benchmarks jar) and the Markdown report, which ends with the
hand-written notes in benchmarks/report-notes.md. Needs Python 3.8+, the standard library only.
"""
import datetime
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JAR = os.path.join(HERE, "target", "benchmarks.jar")
RESULTS = os.path.join(HERE, "results")
REPORT = os.path.join(ROOT, "docs", "performance.md")
CHART = os.path.join(ROOT, "docs", "performance-ratios.png")
NOTES = os.path.join(HERE, "report-notes.md")
PY_SCRIPT = os.path.join(HERE, "python", "workloads.py")

EXPORT = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"
ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1"
JMH_OPTS = {
    "quick": ["-f", "1", "-wi", "4", "-i", "4", "-w", "1s", "-r", "1s"],
    "full": ["-f", "3", "-wi", "5", "-i", "5", "-w", "1s", "-r", "1s"],
}
# The echo benchmarks (Echo: 4 parameter sets x 5 runtimes) run in a JMH invocation of their own,
# shorter in quick mode (and without the extra virtualThreadsAllCores line) to keep quick near 10 min.
IO_CLASS = "Echo"
IO_JMH_OPTS = {
    "quick": ["-f", "1", "-wi", "2", "-i", "3", "-w", "1s", "-r", "1s"],
    "full": ["-f", "3", "-wi", "5", "-i", "5", "-w", "1s", "-r", "1s"],
}
IO_SELECT = {
    "quick": r"\.Echo\.(simmerContinuation|simmerThreads|netty|virtualThreads)$",
    "full": r"\.Echo\.",
}
# SuspendedHeap in two variants, the median of several fresh JVMs kept for each. "warm" (the
# headline figure, workload SuspendedHeap): the JVM has run the same workload once before, so the
# tasks freeze in the code the JIT settles on; one JVM's figure then mostly moves by a few bytes. "cold"
# (SuspendedHeapCold): the JVM's first tasks, whose stack chunks are sized by whatever code the JIT
# has ready when each one first suspends (whether the task's body was compiled on its own first,
# how many tasks froze before the compiled code was in), which moves one JVM's figure by up to a sixth.
HEAP_RUNS = {"warm": 3, "cold": 5}
HEAP_TASKS = 1_000_000
HEAP_JVMS = {  # runtime -> (SuspendedHeap argument, JVM flags), the same flags as the JMH forks
    "rawContinuation": ("raw", [EXPORT]),
    "simmerContinuation": ("simmer", [EXPORT, "-Dsimmer.engine=continuation"]),
    "simmerThreads": ("simmer", ["-Dsimmer.engine=threads"]),
    "virtualThreads": ("virtualThreads", [ONE_CARRIER]),
    "kotlinx": ("kotlinx", []),
}

BASE = "simmerContinuation"
RUNTIMES = [
    ("simmerContinuation", "Simmer, fast path"),
    ("simmerThreads", "Simmer, threads engine"),
    ("rawContinuation", "raw Continuation (floor)"),
    ("kotlinx", "kotlinx.coroutines"),
    ("virtualThreads", "virtual threads"),
    ("completableFuture", "CompletableFuture"),
    ("netty", "Netty (NIO, 1 thread)"),
    ("virtualThreadsAllCores", "virtual threads, all cores"),
    ("asyncio", "CPython asyncio"),
    ("uvloop", "uvloop"),
]
LABEL = dict(RUNTIMES)

# (key, title, what one operation is, unit shown)
WORKLOADS = [
    ("YieldRoundTrip", "Yield round trip A->B->A", "two tasks yield in turn; one op = one round trip (2 switches)", "ns"),
    ("CreateAwait", "Create + await one task (of 100,000)", "create an empty task and await it, 100,000 in a row", "ns"),
    ("Gather@1000", "Gather of 1,000, per child", "gather 1,000 trivial tasks (100 gathers per invocation); per child", "ns"),
    ("Gather@100000", "Gather of 100,000, per child", "gather 100,000 trivial tasks; per child", "ns"),
    ("Timers", "100,000 timers, overhead", "100,000 tasks sleep 0-100 ms (fixed seed); time of the whole run minus 100 ms; B/op per sleeping task", "ms"),
    ("QueuePingPong", "Queue ping-pong round trip", "put into one queue, the other side takes it and puts it back in a second", "ns"),
    ("BoundedQueue", "Bounded queue, per item", "a producer puts into a queue that holds one item, a consumer takes; per item", "ns"),
    ("LockUncontended", "Lock, uncontended acquire + release", "one task, a free lock", "ns"),
    ("LockContended", "Lock, 100 tasks contending", "100 tasks: acquire, yield while holding, release; per acquisition", "ns"),
    ("SuspendedHeap", "Heap per suspended task (1,000,000 sleeping)", "used heap after GC, growth / 1,000,000, in a JVM that ran the same workload with 200,000 tasks first (CPython: RSS)", "B"),
    ("SuspendedHeapCold", "Heap per suspended task, cold JVM (1,000,000 sleeping)", "the same in a fresh JVM, whose first tasks these are: the median of five JVMs", "B"),
]
# The loopback echo (class Echo): (key, connections, bytes per message, title). Not in the chart or
# the CPU tables: it has a section of its own, with its targets.
IO_WORKLOADS = [
    ("Echo@1@64", 1, 64, "1 connection, 64 B messages (latency)"),
    ("Echo@1@16384", 1, 16384, "1 connection, 16 KiB messages (latency)"),
    ("Echo@100@64", 100, 64, "100 connections, 64 B messages (throughput)"),
    ("Echo@100@16384", 100, 16384, "100 connections, 16 KiB messages (throughput)"),
]
# Several loops: the cross-loop channel ping-pong (in the CPU run) and the sharded echo (a JMH run
# of its own, with the echo's depth). Each uses several threads, so neither is in the one-thread
# tables or the chart.
LOOPS_RUNTIMES = [("simmerContinuation", "Simmer, fast path"), ("simmerThreads", "Simmer, threads engine"),
                  ("platformThreads", "two platform threads, SynchronousQueue"),
                  ("kotlinx", "kotlinx.coroutines, Dispatchers.Default")]
SHARDED_CLASS = "ShardedEcho"
SHARDED_SIZES = [(64, "64 B"), (16384, "16 KiB")]
SHARDED_SPEEDUP = 1.6  # target: two server loops at least 1.6x the throughput of one
SHARDED_NETTY_FACTOR = 1.25  # target: two Simmer loops within 1.25x of Netty's two-thread group
IO_NETTY_FACTOR = 1.5  # target: Simmer's throughput within 1.5x of Netty's
IO_RUNTIMES = ["simmerContinuation", "simmerThreads", "netty", "virtualThreads", "virtualThreadsAllCores"]
TIMER_FLOOR_MS = 100
TIMERS = 100_000

# Simmer's targets (fast path) and the peers' figures the issue quotes (not measured here).
TARGETS = {
    "YieldRoundTrip": (220, "under 220 ns", "kotlinx 79 ns, virtual threads 362 ns, asyncio 2,590 ns, uvloop 1,464 ns"),
    "CreateAwait": (150, "under 150 ns", "kotlinx 205 ns, virtual threads 486 ns, asyncio 7,186 ns, uvloop 6,197 ns"),
    "Timers": (50, "under 50 ms", "kotlinx 58 ms, virtual threads 53 ms, asyncio 2,473 ms, uvloop 2,276 ms"),
    "QueuePingPong": (280, "under 280 ns", "kotlinx 247 ns, virtual threads 413 ns, asyncio 6,077 ns, uvloop 4,434 ns"),
    "SuspendedHeap": (400, "under 400 B", "kotlinx 321 B, virtual threads 704 B, asyncio 1,452 B (RSS), uvloop 1,758 B (RSS)"),
}

# The hot path's targets, set later than the ones above: each judged on medians, a ratio one
# against the peer measured in the same run. (workload, peer or None, limit, text)
HOT_PATH_TARGETS = [
    ("QueuePingPong", "kotlinx", 1.15, "at most 1.15x kotlinx.coroutines"),
    ("Timers", None, 40, "under 40 ms"),
    ("SuspendedHeap", None, 420, "at most 420 B"),
]


# ----------------------------------------------------------------------------- running

def java():
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "java") if home else "java"


def require_java():
    """Stops with a clear message unless java() is a JDK 21 or newer."""
    try:
        out = subprocess.run([java(), "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
    except OSError:
        out = ""
    m = re.search(r"java\.specification\.version = (\d+)", out)
    if not m or int(m.group(1)) < 21:
        sys.exit(f"report.py needs a JDK 21 or newer, and {java()} is "
                 f"{'Java ' + m.group(1) if m else 'not runnable'}: set JAVA_HOME to one, for example\n"
                 "    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64")


def busy_jiffies():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]


class Load:
    """Cores kept busy by processes other than ours while a step ran (Linux /proc)."""

    def __init__(self):
        self.t, self.busy = time.time(), busy_jiffies()
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.own = ru.ru_utime + ru.ru_stime

    def others(self):
        tick = os.sysconf("SC_CLK_TCK")
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = ru.ru_utime + ru.ru_stime - self.own
        wall = max(1e-9, time.time() - self.t)
        return max(0.0, ((busy_jiffies() - self.busy) / tick - own) / wall)


def build():
    print("building benchmarks/target/benchmarks.jar (./mvnw -B -q -DskipTests package)", flush=True)
    mvnw = os.path.join(ROOT, "mvnw")
    subprocess.run([mvnw, "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True)


def jmh_matches(select):
    """Whether the JMH selection (include/exclude arguments) matches any benchmark of the jar."""
    out = subprocess.run([java(), "-jar", JAR, "-l"] + select, cwd=ROOT, capture_output=True, text=True).stdout
    return any(line.strip().startswith("dev.simmer.") for line in out.splitlines())


def wait_for_jmh_lock():
    """JMH refuses to start while another JMH run on the machine holds /tmp/jmh.lock: wait for it to end."""
    try:
        import fcntl
    except ImportError:
        return
    path = os.path.join(tempfile.gettempdir(), "jmh.lock")
    told = False
    while True:
        try:
            with open(path, "a") as f:
                fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                fcntl.lockf(f, fcntl.LOCK_UN)
                return
        except (BlockingIOError, PermissionError):
            if not told:
                print("  another JMH run holds /tmp/jmh.lock: waiting for it to end", flush=True)
                told = True
            time.sleep(5)
        except OSError:
            return


def run_jmh(select, opts, out):
    wait_for_jmh_lock()
    cmd = [java(), "-jar", JAR] + select + opts + [
        "-prof", "gc", "-foe", "true", "-rf", "json", "-rff", out]
    print("JMH: " + " ".join(cmd[1:]), flush=True)
    load = Load()
    with open(out + ".log", "w") as log:
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=log, stderr=subprocess.STDOUT)
    with open(out) as f:
        results = json.load(f)
    others = load.others()
    for r in results:
        r.setdefault("userData", {})["otherProcessesCores"] = round(others, 2)
    with open(out + ".log") as f:
        stalls = sum("SimmerEcho: no answer from the loop" in line for line in f)
    if stalls:  # SimmerEcho's work-around for a lost selector wake-up fired: keep the evidence
        print(f"  SimmerEcho re-posted a wake-up {stalls} time(s): see {os.path.relpath(out, ROOT)}.log", flush=True)
    else:
        os.unlink(out + ".log")
    print(f"  {len(results)} results; other processes kept {others:.2f} cores busy meanwhile", flush=True)
    return results, others


def run_heap(mode, only):
    results = []
    for variant, workload in (("warm", "SuspendedHeap"), ("cold", "SuspendedHeapCold")):
        for runtime, (arg, flags) in HEAP_JVMS.items():
            if only and not re.search(only, f"{workload}.{runtime}"):
                continue
            samples = []
            for _ in range(HEAP_RUNS[variant]):
                out = subprocess.run([java()] + flags + ["-cp", JAR, "dev.simmer.benchmarks.SuspendedHeap", arg,
                                                         str(HEAP_TASKS), variant], cwd=ROOT, check=True,
                                     capture_output=True, text=True).stdout
                line = [x for x in out.splitlines() if x.startswith("{")][-1]
                samples.append(json.loads(line)["bytesPerTask"])
            samples.sort()
            median = samples[len(samples) // 2]
            print(f"  {workload}.{runtime}: {median:,.0f} B/task", flush=True)
            results.append({
                "benchmark": f"dev.simmer.benchmarks.{workload}.{runtime}", "mode": "memory",
                "jvmArgs": flags + [variant],
                "primaryMetric": {"score": median, "scoreError": (samples[-1] - samples[0]) / 2 if len(samples) > 1
                                  else "NaN", "scoreUnit": "B/task", "rawData": [samples]},
                "secondaryMetrics": {},
            })
    return results


def python_for(module):
    """The first interpreter (python3 on the PATH, /usr/bin/python3) that imports module, or None."""
    seen = []
    for exe in [shutil.which("python3"), "/usr/bin/python3"]:
        if not exe or not os.path.exists(exe) or os.path.realpath(exe) in seen:
            continue
        seen.append(os.path.realpath(exe))
        ok = subprocess.run([exe, "-c", f"import {module}"], capture_output=True).returncode == 0
        if ok:
            return exe
    return None


def run_python(mode, only):
    results, absent = [], []
    # Prefer one interpreter for both, so asyncio and uvloop are measured on the same CPython.
    uv = python_for("uvloop")
    asy = uv or python_for("asyncio")
    names = sorted({w[0].split("@")[0] for w in WORKLOADS})
    wanted = [n for n in names if not only or re.search(only, n)]
    if only and not wanted:
        return results, absent
    for loop, exe in (("asyncio", asy), ("uvloop", uv)):
        if exe is None:
            absent.append(loop)
            print(f"  {loop}: absent (no python3 that imports it)", flush=True)
            continue
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            path = tmp.name
        print(f"Python: {exe} {os.path.relpath(PY_SCRIPT, ROOT)} {loop} {mode}", flush=True)
        subprocess.run([exe, PY_SCRIPT, loop, mode, path] + (wanted if only else []), check=True)
        with open(path) as f:
            results.extend(json.load(f))
        os.unlink(path)
    return results, absent


# ----------------------------------------------------------------------------- reading

def num(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return float("nan")
    return x


def fmt(x, unit=""):
    x = num(x)
    if x != x:
        return "n/a"
    if abs(x) >= 100:
        s = f"{x:,.0f}"
    elif abs(x) >= 10:
        s = f"{x:,.1f}"
    else:
        s = f"{x:,.2f}"
    return s + (f" {unit}" if unit else "")


def key_of(r):
    cls, method = r["benchmark"].rsplit(".", 2)[-2:]
    params = r.get("params") or {}
    if "serverLoops" in params:  # ShardedEcho
        return f"{cls}@{params['serverLoops']}@{params['connections']}@{params['size']}", method
    if "connections" in params:
        return f"{cls}@{params['connections']}@{params['size']}", method
    return (cls + (f"@{params['width']}" if "width" in params else "")), method


def table_of(results):
    """{workload: {runtime: (mean, error, alloc B/op or None, median)}}, timers as overhead."""
    t = {}
    for r in results:
        w, m = key_of(r)
        pm = r["primaryMetric"]
        score, err = num(pm["score"]), num(pm["scoreError"])
        samples = sorted(num(x) for fork in (pm.get("rawData") or [[score]]) for x in fork)
        mid = len(samples) // 2
        median = samples[mid] if len(samples) % 2 else (samples[mid - 1] + samples[mid]) / 2
        if w == "Timers":
            score -= TIMER_FLOOR_MS
            median -= TIMER_FLOOR_MS
        alloc = (r.get("secondaryMetrics") or {}).get("gc.alloc.rate.norm")
        alloc = num(alloc["score"]) if alloc else None
        if w == "Timers" and alloc is not None:
            alloc /= TIMERS  # per sleeping task, not per run
        t.setdefault(w, {})[m] = (score, err, alloc, median)
    return t


def verdict(score, err, limit):
    """Met if the whole confidence interval is under the limit, missed if it is all above."""
    if err != err:  # no interval (one sample)
        return "**yes**" if score < limit else "**no**"
    if score + err < limit:
        return "**yes**"
    if score - err >= limit:
        return "**no**"
    return ("not sure: " + ("under" if score < limit else "over") + ", but the interval spans the target")


def noisy(score, err):
    """An interval wider than half the score: the figure says little on its own."""
    return err == err and score > 0 and err > score / 2


def ratio(t, w, m):
    """Median over median: a burst of load in one iteration moves a mean, much less a median."""
    base = t.get(w, {}).get(BASE)
    mine = t.get(w, {}).get(m)
    if not base or not mine or base[3] <= 0 or mine[3] <= 0:
        return None
    return mine[3] / base[3]


def results_path(path):
    """A results file as the report names it, relative to the project root (older metas kept absolute paths)."""
    if not path:
        return "?"
    return os.path.relpath(os.path.join(RESULTS, os.path.basename(path)), ROOT)


def runs_of(meta):
    """Every JMH run that contributed to a merged results file: the first (the meta's own fields), then the later ones."""
    first = {"what": "JMH", "date": meta["date"], "commit": meta["commit"], "jmhOpts": meta["jmhOpts"],
             "othersCores": meta["othersCores"], "json": meta.get("jmhJson"), "io": meta.get("io", False)}
    return [first] + list(meta.get("runs", []))


def rate(x):
    """A rate per second, short: 1.2M, 95.3k."""
    if x != x:
        return "n/a"
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:,.3g}{suffix}"
    return f"{x:,.3g}"


def write_io_section(w_, t, runs):
    """The loopback echo: Simmer beside Netty and virtual threads, against the I/O issue's targets."""
    rows = [row for row in IO_WORKLOADS if t.get(row[0], {}).get(BASE)]
    if not rows:
        return
    io_runs = [r for r in runs if r.get("io")]
    w_("## Loopback I/O: echo\n")
    w_("An echo server and its clients in one process on loopback TCP (`Echo`): each client sends a "
       "message and reads the whole echo back before sending the next, one message in flight per "
       "connection. With 1 connection the time per message is the round-trip latency; with 100, all "
       "busy at once, it is the inverse of the throughput across them. Server and clients share one "
       "thread in every runtime: Simmer's loop (a `LoopThread`), Netty's single NIO event loop, virtual "
       "threads on one carrier (blocking `java.net.Socket`s); so each round trip costs the runtime its "
       "path twice, as client and as server. Throughput: messages per second, and message bytes per "
       "second one way (the echo carries as many back).\n")
    if io_runs:
        r = io_runs[-1]
        w_(f"Measured {r['date']} (`{' '.join(r['jmhOpts'])}`); other processes kept {r['othersCores']:.2f} "
           "cores busy meanwhile" + (": the machine was shared, so read the same-run ratios rather than the "
                                    "absolute figures." if r["othersCores"] > 0.25 else ".") + "\n")
    w_("Targets (Simmer's fast path): throughput **within 1.5x of Netty's** (its time per message at most "
       "1.5x Netty's) and **ahead of virtual threads** (one carrier). Judged on the medians; \"clear\" when "
       "the 99.9% intervals agree too.\n")
    w_("| workload | Simmer, fast path | Netty | Simmer ÷ Netty | within 1.5x of Netty? | virtual threads | "
       "ahead of virtual threads? |")
    w_("|---|---:|---:|---:|---|---:|---|")

    def cell(w, m, size):
        v = t[w].get(m)
        if not v:
            return "not run"
        per_s = 1e9 / v[3]
        return f"{fmt(v[3] / 1000)} µs ({rate(per_s)} msg/s, {fmt(per_s * size / 1e6)} MB/s)"

    def judge(w, bound_of, factor):
        """Simmer's time <= factor x peer's time: by the medians, and whether the intervals agree."""
        s, p = t[w].get(BASE), t[w].get(bound_of)
        if not s or not p:
            return ""
        ok = s[3] <= factor * p[3]
        if s[1] == s[1] and p[1] == p[1]:
            clear = (s[0] + s[1] <= factor * (p[0] - p[1])) if ok else (s[0] - s[1] > factor * (p[0] + p[1]))
        else:
            clear = False
        return ("**yes**" if ok else "**no**") + (", clear" if clear else ", the intervals overlap")

    for w, conns, size, title in rows:
        s, n = t[w].get(BASE), t[w].get("netty")
        r = f"{s[3] / n[3]:.2f}x" if s and n else ""
        w_(f"| {title} | {cell(w, BASE, size)} | {cell(w, 'netty', size)} | {r} | {judge(w, 'netty', IO_NETTY_FACTOR)} | "
           f"{cell(w, 'virtualThreads', size)} | {judge(w, 'virtualThreads', 1.0)} |")
    w_("")
    w_("Every runtime, per workload: time per message (JMH mean ± 99.9% interval, and the median), the "
       "throughput from the median, the ratio to Simmer's median (above 1: Simmer is faster) and the "
       "bytes allocated per message (`-prof gc`).\n")
    for w, conns, size, title in rows:
        w_(f"#### Echo, {title}\n")
        w_("| runtime | mean, ns per message | ± error | median | messages/s | MB/s one way | × Simmer (medians) | B/op |")
        w_("|---|---:|---:|---:|---:|---:|---:|---:|")
        for m in IO_RUNTIMES:
            v = t[w].get(m)
            if not v:
                continue
            score, err, alloc, median = v
            r = ratio(t, w, m)
            name = f"**{LABEL.get(m, m)}**" if m == BASE else LABEL.get(m, m)
            flag = " (noisy)" if noisy(score, err) else ""
            per_s = 1e9 / median
            w_(f"| {name} | {fmt(score)}{flag} | {fmt(err)} | {fmt(median)} | {fmt(per_s)} | {fmt(per_s * size / 1e6)} | "
               f"{'' if r is None else f'{r:.2f}'} | {'' if alloc is None else fmt(alloc)} |")
        w_("")


def write_loops_section(w_, t, runs):
    """Several loops: the cross-loop channel round trip, and the echo server sharded over a group."""
    ping = t.get("CrossLoopPingPong", {})
    sharded = [(size, label) for size, label in SHARDED_SIZES
               if any(t.get(f"{SHARDED_CLASS}@{n}@100@{size}") for n in (1, 2))]
    if not ping and not sharded:
        return
    w_("## Several loops\n")
    w_("Two workloads that use more than one thread, so neither is in the one-thread tables above.\n")
    if ping:
        w_("**Round trip between two loops** (`CrossLoopPingPong`): a task on one loop puts an item into a "
           "`Channel`, a task on a second loop takes it and puts it into another, the first takes it back; "
           "one operation is one round trip, two hand-overs each waking a thread. Beside it, two platform "
           "threads with `SynchronousQueue`s, and kotlinx coroutines on `Dispatchers.Default`, which may run "
           "the coroutine it wakes on the waking thread (no thread crossed).\n")
        w_("| runtime | mean, ns per round trip | ± error | median | B/op |")
        w_("|---|---:|---:|---:|---:|")
        for m, label in LOOPS_RUNTIMES:
            v = ping.get(m)
            if v:
                score, err, alloc, median = v
                flag = " (noisy)" if noisy(score, err) else ""
                w_(f"| {label} | {fmt(score)}{flag} | {fmt(err)} | {fmt(median)} | "
                   f"{'' if alloc is None else fmt(alloc)} |")
        w_("")
    if sharded:
        sharded_runs = [r for r in runs if r.get("what", "").startswith("Sharded echo")]
        w_("**Echo server on a group of loops** (`ShardedEcho`): `Echo`'s workload with 100 connections, the "
           "server on `serverLoops` loops of its own (a `ShardedServer` over a `LoopGroup`, `SO_REUSEPORT` "
           "where the system has it) and the clients on one more loop; Netty with a server group of as many "
           "threads and a client group of one. Time per message (the median); the speed-up is one server "
           "loop's time over two loops'.\n")
        if sharded_runs:
            r = sharded_runs[-1]
            w_(f"Measured {r['date']} (`{' '.join(r['jmhOpts'])}`); other processes kept {r['othersCores']:.2f} "
               "cores busy meanwhile.\n")
        w_(f"Targets: two server loops at least **{SHARDED_SPEEDUP}x** the throughput of one, within "
           f"**{SHARDED_NETTY_FACTOR}x** of Netty's two-thread group, and ahead of virtual threads on the "
           "default scheduler (a carrier per core).\n")
        w_("| messages | Simmer, 1 loop | Simmer, 2 loops | speed-up | Netty, 1 thread | Netty, 2 threads | "
           "Netty's speed-up | Simmer 2 loops ÷ Netty 2 threads | virtual threads, all cores |")
        w_("|---|---:|---:|---:|---:|---:|---:|---:|---:|")

        def med(n, size, m):
            v = t.get(f"{SHARDED_CLASS}@{n}@100@{size}", {}).get(m)
            return v[3] if v else None

        def us(x):
            return "not run" if x is None else f"{fmt(x / 1000)} µs"

        def over(a, b):
            return "" if a is None or b is None or b <= 0 else f"{a / b:.2f}x"

        for size, label in sharded:
            s1, s2 = med(1, size, BASE), med(2, size, BASE)
            n1, n2 = med(1, size, "netty"), med(2, size, "netty")
            vt = med(2, size, "virtualThreads") or med(1, size, "virtualThreads")
            w_(f"| {label} | {us(s1)} | {us(s2)} | {over(s1, s2)} | {us(n1)} | {us(n2)} | {over(n1, n2)} | "
               f"{over(s2, n2)} | {us(vt)} |")
        w_("")
        w_("The clients run in the same process on the same machine: with N cores, the server's loops and "
           "the clients' loop share them, so a second server loop gains only where a core is left idle. On a "
           "machine with two cores, Netty's speed-up in the same run shows that ceiling.\n")


# ----------------------------------------------------------------------------- writing

def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout.strip()
    except OSError:
        return ""


def pom_property(name):
    with open(os.path.join(HERE, "pom.xml")) as f:
        m = re.search(f"<{re.escape(name)}>([^<]+)</", f.read())
    return m.group(1) if m else "?"


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return cpu, os.cpu_count(), mem_kb / 1024 / 1024


def heap_runs(meta):
    runs = meta["heapRuns"]
    if isinstance(runs, dict):  # since the warm and cold variants
        return f"{runs['warm']} warm and {runs['cold']} cold JVMs per runtime"
    return f"{runs} JVM(s) per runtime"


def write_chart(t, runtimes):
    rows = [w for w, *_ in WORKLOADS if w in t and t[w].get(BASE)]
    cols = [m for m in runtimes if m != BASE and any(ratio(t, w, m) for w in rows)]
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("workload\t" + "\t".join(LABEL.get(m, m) for m in cols) + "\n")
        titles = {w: title for w, title, *_ in WORKLOADS}
        for w in rows:
            cells = []
            for m in cols:
                r = ratio(t, w, m)
                cells.append(f"{r:.4g}" if r else "")
            f.write(titles[w].split(" (")[0] + "\t" + "\t".join(cells) + "\n")
        path = f.name
    subprocess.run([java(), "-Djava.awt.headless=true", "-cp", JAR, "dev.simmer.benchmarks.RatioChart", path, CHART],
                   check=True, cwd=ROOT)
    os.unlink(path)


def write_report(results, meta):
    t = table_of(results)
    cpu_keys = {w for w, *_ in WORKLOADS}
    present = {m for w, row in t.items() if w in cpu_keys for m in row}
    runtimes = [m for m, _ in RUNTIMES if m in present] + sorted(present - set(LABEL))
    runs = runs_of(meta)
    jmh = [r for r in results if "jmhVersion" in r]
    first = jmh[0] if jmh else {}
    py = {key_of(r)[1]: r.get("vmName") for r in results if key_of(r)[1] in ("asyncio", "uvloop")}
    cpu, ncpu, mem = machine()
    out = []
    w_ = out.append
    w_("# Performance\n")
    w_("Simmer beside the runtimes a user would pick instead, on the same workloads, **measured in "
       "the same run** by one command (`python3 benchmarks/report.py quick|full`, see "
       "[benchmarks/README.md](../benchmarks/README.md)). Everything runs on one thread: Simmer's loop "
       "thread, kotlinx.coroutines' `runBlocking`, virtual threads on one carrier, a single-thread "
       "executor, an asyncio loop. This file is generated; the notes at the end are "
       "`benchmarks/report-notes.md`.\n")
    w_(f"![ratio of each runtime to Simmer, per workload](performance-ratios.png)\n")
    w_("*Each bar: the runtime's median divided by Simmer's (fast path) on the same workload, in the same "
       "run, on a log scale; up means slower (or more heap) than Simmer, down means faster.*\n")

    w_("## Run\n")
    w_("| | |\n|---|---|")
    w_(f"| Date | {meta['date']} |")
    w_(f"| Mode | `{meta['mode']}`: JMH `{' '.join(meta['jmhOpts'])} -prof gc`; heap: {heap_runs(meta)} |")
    w_(f"| Commit | `{meta['commit']}` |")
    w_(f"| Machine | {cpu}, {ncpu} cores, {mem:.0f} GiB; {platform.system()} {platform.release()} {platform.machine()} |")
    w_(f"| JDK | {first.get('jdkVersion', '?')} ({first.get('vmName', '?')} {first.get('vmVersion', '?')}), "
       f"JVM defaults plus each fork's flags |")
    w_(f"| JMH | {first.get('jmhVersion', '?')}; average time per operation (timers: per whole run, in ms) |")
    w_(f"| Peers | kotlinx.coroutines {meta['kotlinx']} (Kotlin {meta['kotlin']}); virtual threads and "
       f"CompletableFuture of the JDK above; "
       + (f"Netty {meta['netty']} (NIO transport); " if meta.get("netty") else "")
       + "; ".join(f"{LABEL[k]}: {v}" for k, v in sorted(py.items()))
       + ("; absent: " + ", ".join(meta["absent"]) if meta["absent"] else "") + " |")
    w_(f"| Chart | XChart {meta['xchart']} |")
    w_(f"| Load | other processes kept **{meta['othersCores']:.2f} cores** busy on average during the JMH run"
       + (" (the run above; the later runs below)" if len(runs) > 1 else "") + " |")
    for run in runs[1:]:
        w_(f"| {run['what'].replace('|', chr(92) + '|')} | JMH `{' '.join(run['jmhOpts'])} -prof gc`, on {run['date']} at commit `{run['commit']}`; "
           f"other processes kept **{run['othersCores']:.2f} cores** busy meanwhile |")
    w_("")
    busiest = max(r["othersCores"] for r in runs)
    if busiest > 0.25:
        w_(f"**The machine was busy**: other processes (builds and test runs of other sessions) kept "
           f"{'up to ' if len(runs) > 1 else ''}{busiest:.1f} of its {ncpu} cores busy while the suite ran. Absolute figures are "
           f"therefore noisy and pessimistic (by 30% and more, and unevenly across runtimes); the ratios, taken "
           f"from one run in which every runtime suffered the same machine, are the figures to read. A "
           f"`full` run on an idle machine gives the reference numbers.\n")

    w_("## Against the targets (Simmer's fast path)\n")
    w_("Met means the whole 99.9% interval lies under the target; missed, all of it above it.\n")
    w_("| workload | target | Simmer: mean ± error | met? | peers measured here (medians) | the issue's peer figures |")
    w_("|---|---|---:|---|---|---|")
    titles = {w: (title, unit) for w, title, _, unit in WORKLOADS}
    for w, (limit, text, quoted) in TARGETS.items():
        title, unit = titles[w]
        mine = t.get(w, {}).get(BASE)
        if not mine:
            w_(f"| {title} | {text} | not run | | | {quoted} |")
            continue
        met = verdict(mine[0], mine[1], limit)
        if met.startswith("not sure"):
            met += f"; the median, {fmt(mine[3], unit)}, is {'under' if mine[3] < limit else 'over'}"
        peers = ", ".join(f"{LABEL.get(m, m)} {fmt(t[w][m][3], unit)}" for m in runtimes
                          if m in t[w] and m not in (BASE, "simmerThreads"))
        w_(f"| {title} | {text} | {fmt(mine[0], unit)} ± {fmt(mine[1])} | {met} | {peers} | {quoted} |")
    w_("")
    w_("The hot path's later targets, judged on the medians (a ratio: Simmer's median over the peer's, "
       "both from this run):\n")
    w_("| workload | target | Simmer (median) | the peer (median) | figure | met? |")
    w_("|---|---|---:|---:|---:|---|")
    for w, peer, limit, text in HOT_PATH_TARGETS:
        title, unit = titles[w]
        mine = t.get(w, {}).get(BASE)
        other = t.get(w, {}).get(peer) if peer else None
        if not mine or (peer and not other):
            w_(f"| {title} | {text} | not run | | | |")
            continue
        figure = mine[3] / other[3] if peer else mine[3]
        shown = f"{figure:.2f}x" if peer else fmt(figure, unit)
        w_(f"| {title} | {text} | {fmt(mine[3], unit)} | "
           + (f"{LABEL.get(peer, peer)} {fmt(other[3], unit)}" if peer else "") + f" | {shown} | "
           + ("**yes**" if figure <= limit else "**no**") + " |")
    w_("")
    y = t.get("YieldRoundTrip", {}).get(BASE)
    if y and y[2] is not None:
        w_(f"\nAllocation per suspension on the fast path: {fmt(y[2] / 2)} B (JMH `-prof gc`, "
           f"`gc.alloc.rate.norm` of the yield round trip, {fmt(y[2])} B per round trip of two suspensions).\n")

    write_io_section(w_, t, runs)
    write_loops_section(w_, t, runs)

    w_("## Ratios at a glance\n")
    w_("Each runtime's median divided by Simmer's (fast path) on the same workload (medians of the "
       "measured iterations, which a burst of load from other processes moves less than a mean): above 1, "
       "Simmer is faster (or smaller); below 1, the peer is. Blank: the runtime has no such workload.\n")
    w_("| workload | " + " | ".join(LABEL.get(m, m) for m in runtimes) + " |")
    w_("|---|" + "---:|" * len(runtimes))
    for w, title, _, _ in WORKLOADS:
        if w not in t:
            continue
        cells = []
        for m in runtimes:
            r = ratio(t, w, m)
            cells.append("" if r is None else (f"**{r:.2f}**" if m == BASE else f"{r:.2f}"))
        w_(f"| {title} | " + " | ".join(cells) + " |")
    w_("")

    w_("## Every workload by runtime\n")
    w_("Score ± error: JMH's mean and 99.9% confidence interval (Python: the same over its repetitions; "
       "heap: the spread of the JVMs, n/a for one); \"(noisy)\" marks an interval wider than half "
       "the score. \"× Simmer\": score / Simmer fast path. "
       "B/op: bytes allocated per operation (`-prof gc`), JVM runtimes only.\n")
    for w, title, what, unit in WORKLOADS:
        if w not in t:
            continue
        if w == "SuspendedHeap" and not isinstance(meta["heapRuns"], dict):  # a run from before the warm variant
            what = f"used heap after GC, growth / 1,000,000, in a fresh JVM: the median of {meta['heapRuns']} (CPython: RSS)"
        w_(f"### {title}\n")
        w_(f"{what}.\n")
        w_(f"| runtime | mean, {unit} per op | ± error | median | × Simmer (medians) | B/op |")
        w_("|---|---:|---:|---:|---:|---:|")
        for m in runtimes:
            if m not in t[w]:
                continue
            score, err, alloc, median = t[w][m]
            r = ratio(t, w, m)
            name = f"**{LABEL.get(m, m)}**" if m == BASE else LABEL.get(m, m)
            flag = " (noisy)" if noisy(score, err) else ""
            w_(f"| {name} | {fmt(score)}{flag} | {fmt(err)} | {fmt(median)} | {'' if r is None else f'{r:.2f}'} | "
               f"{'' if alloc is None else fmt(alloc)} |")
        w_("")

    w_("## How each runtime runs\n")
    w_("- **Simmer, fast path**: `Async.run` on the system clock, continuations on the loop thread "
       f"(`{EXPORT} -Dsimmer.engine=continuation`). **Threads engine**: `-Dsimmer.engine=threads`, "
       "the JVM's default virtual-thread scheduler.")
    w_("- **raw Continuation**: bare `jdk.internal.vm.Continuation`s driven by a plain loop, no event "
       "loop or task object: the floor under Simmer's fast path (only where it has a meaning).")
    w_("- **kotlinx.coroutines**: the same programs in Kotlin (`benchmarks/src/main/kotlin`) in "
       "`runBlocking` on the benchmark thread: `yield()`, `async {}.await()`, `awaitAll`, `delay`, "
       "`Channel(UNLIMITED)`, `Mutex`.")
    w_(f"- **virtual threads**: one carrier (`{ONE_CARRIER}`): park/unpark baton, start + join, "
       "`Thread.sleep`, `SynchronousQueue`, fair `ReentrantLock` + `Thread.yield()`.")
    w_("- **CompletableFuture**: stages on one single-thread (scheduled) executor: a yield is a "
       "re-submitted step, a task `supplyAsync`, its await a dependent stage, timers "
       "`schedule(...)`; no queue or lock form.")
    if any(w in t for w, *_ in IO_WORKLOADS):
        w_("- **Echo** (loopback I/O): Simmer streams (`Streams.startServer`, `openConnection`, `read`, "
           "`write`, `drain`, `readExactly`, into one reused `byte[]` per connection side, as the "
           "virtual threads' program does) on one `LoopThread`, on either engine; **Netty**: NIO transport, "
           "one event-loop thread for the server and the clients, pooled direct buffers; **virtual threads**: "
           "blocking `Socket`/`ServerSocket`, a thread per connection on each side, one carrier (the JDK's "
           "I/O poller has a platform thread of its own), and **all cores**: the same on the default scheduler, "
           "an extra line. In each the JMH thread hands an invocation over and waits, idle.")
    w_("- **CPython asyncio / uvloop**: `benchmarks/python/workloads.py`, each repetition in a fresh "
       "`asyncio.run`; `asyncio.sleep(0)`, `create_task`, `gather`, `asyncio.Queue`, `asyncio.Lock`. "
       "Heap is the growth of the resident set.")
    w_("")
    w_(f"Raw results: `{results_path(meta['json'])}` (JMH JSON; the Python and heap entries use "
       f"the same shape)" + "".join(f"; {r['what']}: `{results_path(r['json'])}`" for r in runs[1:] if r.get("json"))
       + ".\n")
    if os.path.exists(NOTES):
        with open(NOTES) as f:
            w_(f.read().rstrip() + "\n")
    with open(REPORT, "w") as f:
        f.write("\n".join(out))
    write_chart(t, runtimes)
    print(f"wrote {os.path.relpath(REPORT, ROOT)} and {os.path.relpath(CHART, ROOT)}", flush=True)


def merge_target(mode):
    """The newest merged results file of this mode (by the date in its name, then its mtime), or None."""
    pat = re.compile(rf"^(\d{{4}}-\d\d-\d\d)-{mode}(-[\w.-]+)?\.json$")
    found = []
    for name in os.listdir(RESULTS) if os.path.isdir(RESULTS) else []:
        m = pat.match(name)
        if m and not name.endswith("-jmh.json"):
            path = os.path.join(RESULTS, name)
            found.append((m.group(1), os.path.getmtime(path), path))
    return max(found)[2] if found else None


def result_id(r):
    return r["benchmark"], json.dumps(r.get("params") or {}, sort_keys=True)


def merge(old, results, runs, meta):
    """old's results with the re-run ones replaced, and its runs followed by the new ones."""
    fresh = {result_id(r) for r in results}
    kept = [r for r in old["results"] if result_id(r) not in fresh]
    merged = dict(old["meta"])
    merged["runs"] = list(merged.get("runs", [])) + runs
    for k in ("json", "netty", "kotlin", "kotlinx", "xchart"):
        merged[k] = meta[k]
    if meta.get("ranPython"):
        merged["absent"] = meta["absent"]
    print(f"  kept {len(kept)} results of the earlier run(s), replaced {len(old['results']) - len(kept)}, "
          f"added {len(results) - (len(old['results']) - len(kept))}", flush=True)
    return kept + results, merged


def main(argv):
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return
    if not argv:
        sys.exit(__doc__)
    require_java()
    if argv[0] == "--from":
        if not os.path.exists(JAR):  # RatioChart draws the chart: check before anything is written
            sys.exit(f"{os.path.relpath(JAR, ROOT)} is missing: the chart is drawn with it. Build it first with "
                     "./mvnw -B -q -DskipTests package")
        with open(argv[1]) as f:
            data = json.load(f)
        write_report(data["results"], data["meta"])
        return
    mode = argv[0]
    if mode not in JMH_OPTS:
        sys.exit(__doc__)
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    merge_from = None
    if only and "--no-merge" not in argv:
        merge_from = argv[argv.index("--merge") + 1] if "--merge" in argv else merge_target(mode)
    if "--no-build" not in argv:
        build()
    if not os.path.exists(JAR):
        sys.exit(f"{JAR} is missing: build it with ./mvnw -B -q -DskipTests package")
    started = time.time()
    date = datetime.date.today().isoformat()
    os.makedirs(RESULTS, exist_ok=True)
    slug = ("-" + re.sub(r"[^a-z0-9]+", "-", only.lower()).strip("-")) if only else ""
    prefix = os.path.join(RESULTS, f"{date}-{mode}{slug}")
    out = prefix + ".json"
    dirty = " (with uncommitted changes)" if sh(["git", "status", "--porcelain", "--", "core", "benchmarks/src"]) else ""
    commit = sh(["git", "rev-parse", "--short", "HEAD"]) + dirty
    # Two JMH runs: the single-thread CPU workloads, then the loopback echo with its own depth.
    only_sel = [only] if only else []
    runs, jmh = [], []
    cpu_sel = only_sel + ["-e", rf"\.({IO_CLASS}|{SHARDED_CLASS})\."]
    io_sel = [IO_SELECT[mode]] + (["-e", f"^(?!.*({only}))"] if only else [])
    sharded_sel = [rf"\.{SHARDED_CLASS}\."] + (["-e", f"^(?!.*({only}))"] if only else [])
    for what, sel, opts, path, io in (
            ("CPU workloads", cpu_sel, JMH_OPTS[mode], prefix + "-jmh.json", False),
            ("Loopback echo", io_sel, IO_JMH_OPTS[mode], prefix + "-io-jmh.json", True),
            ("Sharded echo", sharded_sel, IO_JMH_OPTS[mode], prefix + "-sharded-jmh.json", False)):
        if not jmh_matches(sel):
            continue
        results, others = run_jmh(sel, opts, path)
        jmh += results
        runs.append({"what": what + (f" (`--only {only}`)" if only else ""), "date": date, "commit": commit,
                     "jmhOpts": opts, "othersCores": others, "json": os.path.relpath(path, ROOT), "io": io})
    print("SuspendedHeap:", flush=True)
    heap = run_heap(mode, only)
    py, absent = run_python(mode, only)
    if not runs:
        sys.exit(f"--only {only} matches no JMH benchmark")
    first = runs[0]
    meta = {
        "date": date, "mode": mode, "jmhOpts": first["jmhOpts"], "heapRuns": HEAP_RUNS,
        "commit": commit, "netty": pom_property("netty.version"),
        "kotlin": pom_property("kotlin.version"), "kotlinx": pom_property("kotlinx.coroutines.version"),
        "xchart": pom_property("xchart.version"), "absent": absent, "othersCores": first["othersCores"],
        "json": os.path.relpath(out, ROOT), "jmhJson": first["json"], "io": first["io"], "runs": runs[1:],
        "ranPython": bool(py) or bool(absent), "minutes": round((time.time() - started) / 60, 1),
    }
    everything = jmh + heap + py
    if merge_from:
        print(f"merging into the results of {os.path.relpath(merge_from, ROOT)}", flush=True)
        with open(merge_from) as f:
            everything, meta = merge(json.load(f), everything, runs, meta)
    with open(out, "w") as f:
        json.dump({"meta": meta, "results": everything}, f, indent=2)
    print(f"wrote {os.path.relpath(out, ROOT)} ({round((time.time() - started) / 60, 1)} min)", flush=True)
    write_report(everything, meta)


if __name__ == "__main__":
    main(sys.argv[1:])
