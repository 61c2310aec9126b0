package dev.simmer.internal;

import dev.simmer.EngineKind;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * The portable path: each coroutine body runs on its own virtual thread, and a baton passes
 * between threads, so exactly one of them runs at a time and only the loop decides who runs
 * next. Needs no JVM flag.
 *
 * <p>The loop's thread resumes a fiber and waits ({@link Home}). When that fiber's step ends,
 * its own thread asks the loop ({@link Fiber#stepEnded}) for the next fiber: the loop may run
 * its pass right there, on that thread, up to the next task step, and the baton goes straight
 * to that task's thread (direct hand-off: one wake-up per switch, not two). When the loop
 * names no next fiber (it must wait, or the pass must be run by its own thread), control goes
 * back to the thread that waits.
 *
 * <p>A child that takes its first step while its parent waits for nothing but the child's end
 * (an untimed await: {@link Fiber#mayHost}) runs on the parent's thread, as a guest on top of
 * the parent's frames, instead of starting a thread of its own: a child that never suspends
 * costs no thread and no hand-off. If the guest suspends, the thread is the guest's until the
 * guest's body ends; the parent could not be woken meanwhile anyway, except by a cancellation
 * that comes back to it round a cycle of awaits, which {@link #hostsGuest} lets the task see.
 * Guests nest up to {@link #MAX_GUESTS} deep on one thread.
 *
 * <p>A thread that has handed control to another task's thread may busy-wait a few
 * microseconds for its turn before it parks, when its recent waits were that short and a
 * second carrier runs the other thread meanwhile (see "Spinning before parking" below).
 */
public final class ThreadEngine implements Engine {
    static final ThreadEngine INSTANCE = new ThreadEngine();

    /** How many guests may run on one thread, one on top of the other (each adds its body's frames). */
    static final int MAX_GUESTS = 16;

    private ThreadEngine() {
    }

    @Override
    public EngineKind kind() {
        return EngineKind.THREADS;
    }

    /**
     * The loop itself runs on a virtual thread too: a hand-over between two virtual threads
     * stays inside the scheduler's queues (the parking side frees its carrier for the other),
     * where a platform loop thread would pay an OS wake-up for every switch. The caller
     * waits; interrupting it interrupts the loop, which cancels its main task.
     */
    @Override
    public <T> T hostLoop(Callable<T> loop) throws Exception {
        if (Thread.currentThread().isVirtual()) {
            return loop.call();
        }
        Object[] outcome = new Object[1];
        boolean[] failed = new boolean[1];
        Thread host = Thread.ofVirtual().name("simmer-loop").start(() -> {
            try {
                outcome[0] = loop.call();
            } catch (Throwable e) {
                outcome[0] = e;
                failed[0] = true;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                host.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                host.interrupt();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failed[0]) {
            Throwable e = (Throwable) outcome[0];
            if (e instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e;
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    /**
     * Starts or wakes {@code fiber}'s thread and waits until control comes back to the caller:
     * when a body's step ends and {@link Fiber#stepEnded} names no next fiber. With a direct
     * hand-off that may be many steps (of other fibers too) later; the result then tells
     * whether the last body to hand back had finished.
     */
    @Override
    public boolean resume(Fiber fiber) {
        Home home = new Home(Thread.currentThread());
        transfer(fiber, home);
        home.parkUntilGo();
        return home.finished;
    }

    @Override
    public void suspend(Fiber fiber) {
        ((Baton) fiber.state).suspend();
    }

    /** Hands control to {@code next}'s thread (starting it on its first step); it hands back to {@code home}. */
    private static void transfer(Fiber next, Home home) {
        Baton baton = (Baton) next.state;
        if (baton == null) {
            next.state = baton = new Baton(next);
        }
        baton.home = home;
        Thread t = baton.thread;
        if (t == null) {
            baton.thread = t = Thread.ofVirtual().name("simmer-" + next.name()).unstarted(baton::runBody);
            baton.go = true;
            t.start();
        } else {
            baton.go = true;
            LockSupport.unpark(t); // also when it spins: a flag read first would delay this thread's own parking (awaitTurn)
        }
    }

    /*
     * Spinning before parking. A hand-over to a parked virtual thread costs a scheduler
     * submit and, with more than one carrier, an idle carrier woken by the OS (the scheduler
     * signals one for every submit to an empty queue): about 650 ns per switch on two cores,
     * against about 200 ns on one carrier. A thread that has just handed control to
     * another task's thread, and whose own turn comes back within a few microseconds (two
     * tasks passing control back and forth: yields, a queue's producer and consumer, a
     * contended lock), does better to busy-wait for it on its carrier while the other thread
     * runs on another.
     *
     * Spinning pays only if a free carrier runs the thread control went to and the turn
     * comes back soon. With one carrier it never does, and is never tried; the loop never
     * spins either (a step that hands control back to it, which must wait for I/O or a
     * timer, parks at once). Otherwise each baton learns from its own waits, on its own
     * thread (no other thread reads these counters):
     *
     *   last wait            next wait
     *   parked, took less    spins for up to SPIN_NANOS, unless backing off
     *   than SPIN_NANOS
     *   parked, took longer  parks at once (a task that sleeps, or waits for I/O, never spins)
     *   spun, turn came      spins again; backing off ends
     *   spun, turn did not   parks; the next `backoff` short waits park too, and backoff
     *                        doubles (up to MAX_BACKOFF): more runnable threads than carriers
     *
     * A wrong guess costs one SPIN_NANOS of a carrier, once per backoff period.
     */

    /** The longest a waiting thread busy-waits for its turn before it parks. */
    static final long SPIN_NANOS = 4_000;

    /** The most short waits a baton parks at once, without spinning, after a spin that did not pay. */
    static final int MAX_BACKOFF = 1024;

    /** Whether there is more than one carrier for virtual threads; see the overview above. */
    static final boolean SPINNING = carriers() > 1;

    private static int carriers() {
        String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (p != null) {
            try {
                return Integer.parseInt(p.trim());
            } catch (NumberFormatException e) {
                return 1; // the JDK refuses it at its first virtual thread; never spin meanwhile
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * On {@code b}'s thread, which handed control to another task's at {@code handedAt}
     * ({@link System#nanoTime}): waits for its {@code go}. Between the hand-over and the park
     * nothing is timed: the scheduler submitted the other thread to this carrier's queue, and
     * the sooner this one parks, the likelier the carrier runs it itself rather than an idle
     * carrier woken for it (which moves the loop's state to another core: about 10% on an
     * echo server with 100 connections for two clock reads there).
     */
    private static void awaitTurn(Baton b, long handedAt) {
        if (b.skips > 0) {
            b.skips--;
        } else if (b.quick) {
            for (int i = 1; ; i++) {
                if (b.go) {
                    b.backoff = 0;
                    return;
                }
                Thread.onSpinWait();
                if ((i & 15) == 0 && System.nanoTime() - handedAt > SPIN_NANOS) {
                    break;
                }
            }
            b.backoff = Math.min(MAX_BACKOFF, Math.max(1, 2 * b.backoff));
            b.skips = b.backoff;
            b.parkUntilGo();
            return;
        }
        b.parkUntilGo();
        b.quick = System.nanoTime() - handedAt < SPIN_NANOS;
    }

    /** Gives control to {@code next}, or, if null, back to {@code home} (its {@code finished} told). */
    private static void pass(Fiber next, Home home, boolean finished) {
        if (next != null) {
            transfer(next, home);
        } else {
            home.finished = finished;
            home.go = true;
            LockSupport.unpark(home.thread);
        }
    }

    /**
     * The thread's frames that are {@code fiber}'s: those of the guests running on top of it
     * are cut off (each guest's frames end at a {@code Baton.runGuest} frame).
     */
    @Override
    public StackTraceElement[] stackTrace(Fiber fiber) {
        Baton baton = (Baton) fiber.state;
        Thread t = baton == null ? null : baton.thread;
        if (t == null) {
            return new StackTraceElement[0];
        }
        StackTraceElement[] frames = t.getStackTrace();
        int above = 0;
        for (Baton g = baton.guest; g != null; g = g.guest) {
            above++;
        }
        int first = 0;
        while (above > 0 && first < frames.length) {
            StackTraceElement f = frames[first++];
            if (f.getMethodName().equals("runGuest") && f.getClassName().equals(Baton.class.getName())) {
                above--;
            }
        }
        return first == 0 ? frames : java.util.Arrays.copyOfRange(frames, first, frames.length);
    }

    /** Whether a guest runs on {@code fiber}'s thread on top of it: its body cannot be resumed before the guest ends. */
    @Override
    public boolean hostsGuest(Fiber fiber) {
        Baton baton = (Baton) fiber.state;
        return baton != null && baton.guest != null;
    }

    @Override
    public Thread thread(Fiber fiber, Thread loopThread) {
        Baton baton = (Baton) fiber.state;
        return baton == null ? null : baton.thread;
    }

    /**
     * What a thread parks for until another thread hands it control: the volatile {@code go},
     * which the handing side writes last, after every write of its own, and the waiting side
     * reads first, so each sees the other's writes.
     */
    private abstract static class Turn {
        volatile boolean go;

        /** On the waiting thread: parks until {@code go}; an interrupt meanwhile is kept, not lost. */
        final void parkUntilGo() {
            boolean interrupted = false;
            while (!go) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The thread that resumed a chain of steps and waits for control to come back. */
    private static final class Home extends Turn {
        final Thread thread;
        boolean finished; // written before the volatile go, read after it

        Home(Thread thread) {
            this.thread = thread;
        }
    }

    /**
     * A fiber's virtual thread and its baton (the {@link Turn}'s {@code go}). A guest's baton
     * names its host's thread; each body on a thread waits for its own {@code go}.
     */
    private static final class Baton extends Turn {
        private final Fiber body;
        private volatile Thread thread; // the body's virtual thread, started on the first resume (a guest's: its host's)
        private Home home;              // who waits at the end of the chain this step belongs to
        private boolean quick;          // see awaitTurn: the last wait was short enough to spin through
        private int backoff;
        private int skips;
        private Baton guest;            // the body running on this thread on top of this one, or null
        private final int depth;        // 0 for the body that started the thread, n for its n-th guest

        Baton(Fiber body) {
            this(body, 0);
        }

        private Baton(Fiber body, int depth) {
            this.body = body;
            this.depth = depth;
        }

        /**
         * On the body's thread: the step ends; the loop runs on this thread up to the next
         * fiber (direct hand-off), which is resumed before this thread parks, unless it is
         * this very one, which then simply carries on.
         */
        void suspend() {
            Fiber next = body.stepEnded(false);
            if (next != body) {
                handOver(next, false);
            }
        }

        /**
         * This body cannot go on ({@code finished}: the last step to end was a guest's that
         * finished): {@code next} runs here as a guest if it may, else control goes to it (or,
         * if null, back home), and this thread parks until this body's turn comes back.
         */
        private void handOver(Fiber next, boolean finished) {
            Home h = home;
            while (next != null && next.state == null && depth < MAX_GUESTS && body.mayHost(next)) {
                Baton g = new Baton(next, depth + 1);
                g.thread = thread;
                g.home = h;
                next.state = g;
                next = runGuest(g);
                h = g.home; // the chain the guest's last step belonged to
                finished = true;
                if (next == body) {
                    home = h;
                    return; // the guest's end woke this body, and the loop runs it next: it carries on
                }
            }
            go = false; // before handing over: whoever hands control back sets it
            if (next == null || !SPINNING) { // the loop waits (for I/O, a timer): that may be long
                pass(next, h, finished);
                parkUntilGo();
            } else {
                long handedAt = System.nanoTime(); // read before the hand-over: see awaitTurn
                pass(next, h, finished);
                awaitTurn(this, handedAt);
            }
        }

        /** Runs the guest's body on this thread, from its first step to its end; the fiber the loop names next. */
        private Fiber runGuest(Baton g) {
            guest = g;
            try {
                g.body.run();
            } catch (Throwable e) { // a body records its own outcome; this is what a thread of its own would die of
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            } finally {
                guest = null;
            }
            return g.body.stepEnded(true);
        }

        private void runBody() {
            Fiber next = null;
            try {
                body.run();
            } finally {
                Home h = home;
                try {
                    next = body.stepEnded(true);
                } finally {
                    pass(next, h, true);
                }
            }
        }
    }
}
