package dev.simmer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Always on (no debug mode needed): notices a loop that has been stuck for a few seconds in
 * one task step whose thread is blocked entering a {@code synchronized} block or method, and
 * reports it once, naming the monitor, the blocked task, and the suspended tasks, one of which
 * holds it. That is what happens when a task suspends inside {@code synchronized} and another
 * task then enters the same monitor: the holder can only release it once it runs again, and it
 * never runs again, because the blocked task holds the loop (the loop thread on the fast path,
 * the baton on the threads engine). Without this report the program hangs in silence.
 *
 * <p>One daemon thread per JVM, started by the first loop; it samples only while loops run,
 * and sleeps for good (parked) while none does. Time here is real time, whatever the loops'
 * clocks. Thread-safe: loops register and unregister from their own threads.
 */
final class MonitorWatchdog {
    /*
     * Overview: a loop registers when it starts running (runMain) and unregisters when it
     * closes. Every TICK the watchdog reads, for each registered loop, its step counter and
     * the task whose step runs. Those are the loop's plain fields, written by the loop's side
     * only; this thread reads them without synchronization, so the loop's hot path pays
     * nothing: a stale read only delays a report, and a report needs the step's thread to have
     * been seen BLOCKED (on a monitor) at every tick, at the same frame, for THRESHOLD (the
     * loop does not move meanwhile, so its fields hold still). Only then, on this slow path,
     * are the stacks read and ThreadMXBean asked about the monitor, and the report goes
     * through the loop's exception handler (default: a System.Logger warning). A step is
     * reported at most once.
     */
    static final long THRESHOLD_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private static final Set<EventLoop> LOOPS = ConcurrentHashMap.newKeySet();
    private static volatile Thread thread; // set once, by the first register (under MonitorWatchdog.class)
    private static volatile boolean idle; // the watchdog is parked (or about to be) until a loop registers

    private MonitorWatchdog() {
    }

    /** What the watchdog knows of one loop between ticks; its own thread only. */
    private static final class Watch {
        long steps = -1;          // the loop's step count when its current step was first seen blocked
        Task<?> task;
        StackTraceElement at;     // where the step's thread was blocked then
        long since;               // System.nanoTime() of that first sight
        long reportedSteps = -1;
    }

    /** The loop is running: watch it. From the loop's thread. */
    static void register(EventLoop loop) {
        LOOPS.add(loop);
        if (idle) {
            LockSupport.unpark(thread); // idle is set only by the running watchdog, so thread is set
            return;
        }
        if (thread == null) {
            synchronized (MonitorWatchdog.class) {
                if (thread == null) {
                    Thread t = Thread.ofPlatform().daemon().name("simmer-monitor-watchdog").unstarted(MonitorWatchdog::watch);
                    thread = t;
                    t.start();
                }
            }
        }
    }

    /** The loop has closed. From the loop's thread. */
    static void unregister(EventLoop loop) {
        LOOPS.remove(loop);
    }

    private static void watch() {
        Map<EventLoop, Watch> watches = new IdentityHashMap<>();
        while (true) {
            if (LOOPS.isEmpty()) {
                watches.clear();
                idle = true; // before looking again: a loop that registers from now on sees it and unparks us
                if (LOOPS.isEmpty()) {
                    LockSupport.park(MonitorWatchdog.class);
                }
                idle = false;
                continue;
            }
            LockSupport.parkNanos(MonitorWatchdog.class, TICK_NANOS);
            watches.keySet().retainAll(LOOPS);
            for (EventLoop loop : LOOPS) {
                try {
                    look(loop, watches.computeIfAbsent(loop, l -> new Watch()));
                } catch (RuntimeException e) {
                    // The loop moved on while we read its state: nothing is stuck.
                }
            }
        }
    }

    private static void look(EventLoop loop, Watch w) {
        long steps = loop.stepCount();
        Task<?> task = loop.currentTask();
        Thread runner = task == null ? null : task.stepThread(loop.thread());
        if (runner == null || runner.getState() != Thread.State.BLOCKED) {
            w.steps = -1;
            return;
        }
        StackTraceElement[] where = runner.getStackTrace();
        StackTraceElement at = where.length == 0 ? null : where[0];
        long now = System.nanoTime();
        if (w.steps != steps || w.task != task || at == null || !at.equals(w.at)) {
            w.steps = steps; // first sight of this step blocked here: it must stay so for THRESHOLD
            w.task = task;
            w.at = at;
            w.since = now;
            return;
        }
        if (now - w.since < THRESHOLD_NANOS || w.reportedSteps == steps) {
            return;
        }
        if (loop.stepCount() != steps || loop.currentTask() != task || runner.getState() != Thread.State.BLOCKED) {
            w.steps = -1;
            return;
        }
        w.reportedSteps = steps;
        long seconds = TimeUnit.NANOSECONDS.toSeconds(now - w.since);
        Throwable stack = new Throwable("where task '" + task.name() + "' is blocked (thread '" + runner.getName()
                + "', BLOCKED)");
        stack.setStackTrace(where);
        java.lang.management.ThreadInfo info = runner.isVirtual() ? null // ThreadMXBean does not see virtual threads
                : java.lang.management.ManagementFactory.getThreadMXBean().getThreadInfo(runner.threadId());
        String monitor = info == null || info.getLockInfo() == null ? null : info.getLockInfo().toString();
        String owner = info == null || info.getLockOwnerId() < 0 || info.getLockOwnerName() == null ? null
                : info.getLockOwnerName();
        // The suspended tasks are listed only when no thread owns the monitor: then one of them
        // does, and the loop cannot move while we read their stacks. An owning thread may let go
        // at any moment, and the loop would resume them under our feet.
        List<String> suspended = owner == null ? suspendedTasks(loop, task) : List.of();
        loop.report(new ErrorReport(diagnosis(task, at, seconds, monitor, owner, suspended), stack, task));
    }

    /** The loop's tasks suspended now, but {@code blocked}, each with what it waits on and where. */
    private static List<String> suspendedTasks(EventLoop loop, Task<?> blocked) {
        List<String> out = new ArrayList<>();
        for (Task<?> t = loop.liveHeadForDiagnostics(); t != null && out.size() < 20; t = t.nextLive) {
            if (t == blocked || t.phase != Task.WAITING) {
                continue;
            }
            StackTraceElement at = callerOfSimmer(t.suspendedStack());
            out.add("'" + t.name() + "' (" + t.describeWait() + ")" + (at == null ? "" : " at " + at));
        }
        return out;
    }

    /** The first frame below Simmer's own (the waiting call): where the task's code waits; null if none. */
    private static StackTraceElement callerOfSimmer(StackTraceElement[] frames) {
        for (StackTraceElement frame : frames) {
            if (!isSimmers(frame.getClassName())) {
                return frame;
            }
        }
        return frames.length == 0 ? null : frames[0];
    }

    /** Whether {@code className} is one of Simmer's classes (not merely in a dev.simmer package, as tests are). */
    private static boolean isSimmers(String className) {
        if (!className.startsWith("dev.simmer.")) {
            return false;
        }
        Class<?> simmer = MonitorWatchdog.class;
        Class<?> c;
        try {
            c = Class.forName(className, false, simmer.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        if (simmer.getModule().isNamed()) {
            return c.getModule() == simmer.getModule();
        }
        java.security.CodeSource ours = simmer.getProtectionDomain().getCodeSource();
        java.security.CodeSource theirs = c.getProtectionDomain().getCodeSource();
        return ours == null || theirs == null ? c.getClassLoader() == simmer.getClassLoader()
                : java.util.Objects.equals(ours.getLocation(), theirs.getLocation());
    }

    /**
     * The report's text: the blocked task and where, the monitor, the suspended tasks (the
     * holder among them), what to do instead.
     *
     * @param monitor   the monitor as ThreadMXBean names it, or null if it cannot tell
     * @param owner     the thread that holds it, if ThreadMXBean can tell (a thread, not a suspended task), else null
     * @param suspended the suspended tasks, each already described
     */
    static String diagnosis(Task<?> blocked, StackTraceElement at, long seconds, String monitor, String owner,
                            List<String> suspended) {
        StringBuilder s = new StringBuilder();
        s.append("The loop has been stuck for ").append(seconds).append(" s: task '").append(blocked.name())
                .append("' is blocked entering ").append(monitor == null ? "a monitor" : "the monitor of " + monitor)
                .append(" ('synchronized') at ").append(at).append(", and it holds the loop, so no other task can run.");
        if (owner != null) {
            s.append(" The monitor is held by thread '").append(owner).append("': the loop waits until that thread leaves")
                    .append(" it. Keep 'synchronized' sections that tasks share with other threads short, or move the")
                    .append(" call into Async.toThread(...).");
            return s.toString();
        }
        if (suspended.isEmpty()) {
            s.append(" No other task of this loop is suspended: the monitor is held by another thread.");
        } else {
            s.append(" If the monitor is held by a task that suspended inside 'synchronized', that task can release it")
                    .append(" only by running again, which it never will: the loop is stuck for good.")
                    .append(suspended.size() == 1 ? " The one suspended task: " : " The suspended tasks: ")
                    .append(String.join("; ", suspended)).append('.');
        }
        s.append(" Between tasks, use dev.simmer.sync.Lock (its acquire suspends instead of blocking the loop), and")
                .append(" never suspend (sleep, await, ...) inside 'synchronized'.");
        return s.toString();
    }
}
