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
     * then the serial (volatile, last); the watchdog wakes every quarter threshold, and if the
     * serial it sees has been running longer than the threshold and was not reported yet, it
     * reports it once. stepEnded clears the task. Races only affect diagnostics: a step that
     * ends just as it is reported is reported once, by whichever side sees it first
     * (claimReport).
     */
    private final long thresholdNanos;
    private final Thread loopThread;
    private final Consumer<ErrorReport> sink;
    private final Thread thread;

    private volatile Task<?> task;
    private volatile long began;
    private volatile long serial;
    private volatile long reportedSerial;
    private volatile boolean closed;

    StepWatchdog(long thresholdNanos, Thread loopThread, Consumer<ErrorReport> sink) {
        this.thresholdNanos = Math.max(thresholdNanos, TimeUnit.MILLISECONDS.toNanos(1));
        this.loopThread = loopThread;
        this.sink = sink;
        this.thread = Thread.ofPlatform().daemon().name("simmer-watchdog").unstarted(this::watch);
        thread.start();
    }

    void stepBegan(Task<?> t) {
        task = t;
        began = System.nanoTime();
        serial++; // only the loop thread writes it
    }

    /** The step ended; true if it was reported while it ran (so the loop need not report it again). */
    boolean stepEnded() {
        task = null;
        return !claimReport(serial);
    }

    void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    private void watch() {
        long tick = Math.max(thresholdNanos / 4, TimeUnit.MILLISECONDS.toNanos(5));
        while (!closed) {
            LockSupport.parkNanos(this, tick);
            long s = serial;
            Task<?> t = task;
            if (t == null || System.nanoTime() - began <= thresholdNanos || s != serial) {
                continue;
            }
            Thread runner = t.stepThread(loopThread);
            if (runner == null) {
                continue; // its thread has not started yet
            }
            Thread.State state = runner.getState();
            StackTraceElement[] where = runner.getStackTrace();
            if (state == Thread.State.RUNNABLE || state == Thread.State.NEW || state == Thread.State.TERMINATED
                    || handingOver(where)) {
                continue; // computing (reported by the loop when the step ends), or suspending right now
            }
            if (task != t || s != serial || !claimReport(s)) {
                continue; // the step ended meanwhile
            }
            Throwable stack = new Throwable("where the step is now (thread '" + runner.getName() + "', " + state + ")");
            stack.setStackTrace(where);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            sink.accept(new ErrorReport("Task '" + t.name() + "' has run for " + ms + " ms without suspending and still"
                    + " runs: it is blocking the loop. " + hint(state), stack, t));
        }
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
