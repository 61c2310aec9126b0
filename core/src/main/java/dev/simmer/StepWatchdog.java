package dev.simmer;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Debug mode: a daemon thread that reports a task step whose thread has been blocked past
 * the slow-step threshold <em>while the step still runs</em>, with that thread's stack. A
 * step that never ends (a task blocked on a monitor that a suspended task holds, a blocking
 * call that never returns) is otherwise never reported, because the loop that would report
 * it is the one that is stuck. Time here is real time, whatever the loop's clock: a step that
 * blocks the loop thread blocks it for real, on a virtual clock too. Only a thread that is
 * blocked or waiting is reported from here; one that computes (or is in native I/O, which
 * the JDK shows as running) is reported by the loop once the step ends, in loop time, so a
 * slow machine or a long first class-load never makes a test on virtual time fail.
 *
 * <p>The loop calls {@link #stepBegan} and {@link #stepEnded} from its thread; the watchdog
 * reads what they publish from its own. Reports are made on the watchdog's thread.
 */
final class StepWatchdog {
    /*
     * Overview: each step gets a serial number. stepBegan publishes (task, start time) and
     * then the serial (volatile, last); the watchdog wakes every quarter threshold and looks at
     * the thread running the step. It reports a step once its thread has been seen blocked or
     * waiting, at the same innermost frame, at every tick for a whole threshold (four ticks at
     * least: after a pause of the whole process, such as a long garbage collection, the next
     * look may come a threshold after the last one, with the step not yet run on), and (where
     * the JDK measures it: platform threads) has used next to no processor time meanwhile
     * and, if blocked on a monitor, has not entered it meanwhile (the JDK counts the times a
     * thread blocked on one): a sample alone could catch a computing thread in a brief wait
     * for a contended monitor, and on a loaded machine such a thread may get so little of the
     * processor that its time alone does not tell. On the threads engine, which runs steps
     * on virtual threads, these last checks are not available, so a step that contends for a
     * monitor all through a threshold is reported as blocked (which, for the loop, it is).
     * stepEnded clears
     * the task. A step that ends just as it is reported is reported once, by whichever side
     * claims it first (claimReport). Reports are made on the watchdog's thread, and close()
     * waits for it, so none arrives after the loop has closed.
     */
    private final long slowStepNanos;  // a step longer than this, in loop time, is reported as it ends
    private final long thresholdNanos; // blocked this long, in real time, and it is reported while it runs
    private final Thread loopThread;
    private final Consumer<ErrorReport> sink;
    private final Thread thread;

    private volatile Task<?> task;
    private volatile long began;
    private volatile long serial;
    private volatile long reportedSerial;
    private volatile boolean closed;
    private long stepStart;   // loop clock; loop thread only
    private long longestStep; // loop clock; loop thread only

    StepWatchdog(long thresholdNanos, Thread loopThread, Consumer<ErrorReport> sink) {
        this.slowStepNanos = thresholdNanos;
        this.thresholdNanos = Math.max(thresholdNanos, TimeUnit.MILLISECONDS.toNanos(1));
        this.loopThread = loopThread;
        this.sink = sink;
        this.thread = Thread.ofPlatform().daemon().name("simmer-watchdog").unstarted(this::watch);
        thread.start();
    }

    /** A step of {@code t} begins, at {@code loopNow} on the loop's clock. */
    void stepBegan(Task<?> t, long loopNow) {
        stepStart = loopNow;
        task = t;
        began = System.nanoTime();
        serial++; // only the loop thread writes it
    }

    /**
     * The step of {@code t} ended, at {@code loopNow} on the loop's clock: a step that took
     * longer than the threshold in loop time, and was not reported while it ran, is reported now.
     */
    void stepEnded(Task<?> t, long loopNow) {
        task = null;
        long took = loopNow - stepStart;
        if (took > longestStep) {
            longestStep = took;
        }
        boolean reportedWhileRunning = !claimReport(serial);
        if (took > slowStepNanos && !reportedWhileRunning) {
            Throwable where = new Throwable("where the step ended");
            where.setStackTrace(t.suspendedStack());
            sink.accept(new ErrorReport("Task '" + t.name() + "' ran for " + TimeUnit.NANOSECONDS.toMillis(took)
                    + " ms without suspending: it is blocking the loop (use Async.toThread for blocking work)",
                    where, t));
        }
    }

    /** The longest step so far, in loop time (for the loop's stats). Loop thread only. */
    long longestStep() {
        return longestStep;
    }

    /** Stops the watchdog and waits for it, so that a report it is making reaches the handler first. */
    void close() {
        closed = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch() {
        long tick = Math.max(thresholdNanos / 4, TimeUnit.MILLISECONDS.toNanos(2));
        long stuckSerial = -1;      // the step seen blocked at every tick since stuckSince, at the same place
        long stuckSince = 0;
        long stuckCpu = -1;
        long stuckBlockings = -1;
        int stuckSightings = 0;
        StackTraceElement stuckAt = null;
        while (!closed) {
            LockSupport.parkNanos(this, tick);
            long s = serial;
            Task<?> t = task;
            Thread runner = t == null ? null : t.stepThread(loopThread);
            if (runner == null || s != serial) {
                stuckSerial = -1; // no step, or its thread has not started yet
                continue;
            }
            Thread.State state = runner.getState();
            StackTraceElement[] where = runner.getStackTrace();
            boolean blocked = state == Thread.State.BLOCKED || state == Thread.State.WAITING
                    || state == Thread.State.TIMED_WAITING;
            if (!blocked || where.length == 0 || handingOver(where)) {
                stuckSerial = -1; // computing (the loop reports it when the step ends), or suspending right now
                continue;
            }
            long now = System.nanoTime();
            long cpu = cpuTime(runner);
            long blockings = state == Thread.State.BLOCKED ? monitorBlockings(runner) : -1;
            if (stuckSerial != s || !where[0].equals(stuckAt)) {
                stuckSerial = s; // first sight of it blocked here: it must stay so for a whole threshold
                stuckSince = now;
                stuckAt = where[0];
                stuckCpu = cpu;
                stuckBlockings = blockings;
                stuckSightings = 1;
                continue;
            }
            if (++stuckSightings <= 4 || now - stuckSince < thresholdNanos) {
                continue; // a whole threshold, seen at every tick: not two looks either side of a pause of the process
            }
            if (cpu >= 0 && stuckCpu >= 0 && cpu - stuckCpu > (now - stuckSince) / 10) {
                stuckSerial = -1; // it used the processor meanwhile: computing, with brief waits
                continue;
            }
            if (blockings >= 0 && stuckBlockings >= 0 && blockings != stuckBlockings) {
                stuckSerial = -1; // it entered the monitor meanwhile and now waits for it again: contended, not stuck
                continue;
            }
            if (task != t || s != serial || !claimReport(s)) {
                continue;
            }
            Throwable stack = new Throwable("where the step is now (thread '" + runner.getName() + "', " + state + ")");
            stack.setStackTrace(where);
            long ms = TimeUnit.NANOSECONDS.toMillis(now - began);
            sink.accept(new ErrorReport("Task '" + t.name() + "' has run for " + ms + " ms without suspending and still"
                    + " runs: it is blocking the loop. " + hint(state), stack, t));
        }
    }

    /**
     * The processor time {@code runner} has used, in ns, or -1 where the JDK does not measure
     * it (virtual threads): a blocked thread uses none, one that computes between brief waits
     * for a contended monitor uses a lot. Without it, the stack and state alone decide.
     */
    private static long cpuTime(Thread runner) {
        if (runner.isVirtual()) {
            return -1;
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(runner.threadId()) : -1;
    }

    /**
     * How many times {@code runner} has blocked entering a monitor, or -1 where the JDK does
     * not count it (virtual threads): unchanged while it stays blocked on one entry, grown if
     * it got the monitor and blocked again.
     */
    private static long monitorBlockings(Thread runner) {
        if (runner.isVirtual()) {
            return -1;
        }
        java.lang.management.ThreadInfo info = java.lang.management.ManagementFactory.getThreadMXBean()
                .getThreadInfo(runner.threadId());
        return info == null ? -1 : info.getBlockedCount();
    }

    /** Whether the innermost frame outside the JDK is Simmer's own (the threads engine handing the baton back). */
    private static boolean handingOver(StackTraceElement[] where) {
        for (StackTraceElement frame : where) {
            String c = frame.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun."))) {
                return c.startsWith("dev.simmer.internal.");
            }
        }
        return false;
    }

    /** Whoever claims a serial first reports it. */
    private synchronized boolean claimReport(long s) {
        if (reportedSerial == s) {
            return false;
        }
        reportedSerial = s;
        return true;
    }

    private static String hint(Thread.State state) {
        return switch (state) {
            case BLOCKED -> "Its thread is blocked entering a synchronized block or method. If the monitor is held by a"
                    + " task that suspended inside 'synchronized', it is never released and the loop is stuck for good:"
                    + " use dev.simmer.sync.Lock between tasks, and never suspend inside 'synchronized'.";
            case WAITING, TIMED_WAITING -> "Its thread waits in a blocking call (a JDK lock, latch, sleep, join or"
                    + " blocking I/O): run blocking work with Async.toThread(...), and coordinate tasks with"
                    + " dev.simmer.sync.";
            default -> "It computes or does blocking I/O: move that into Async.toThread(...), or let others run now and"
                    + " then with Async.yieldNow().";
        };
    }
}
