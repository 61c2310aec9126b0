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
        home.await();
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
            LockSupport.unpark(t);
        }
    }

    /** Gives control to {@code next}, or, if null, back to {@code home} (its {@code finished} told). */
    private static void pass(Fiber next, Home home, boolean finished) {
        if (next != null) {
            transfer(next, home);
        } else {
            home.finished = finished;
            home.turn = true;
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

    /** The thread that resumed a chain of steps and waits for control to come back. */
    private static final class Home {
        final Thread thread;
        volatile boolean turn;
        boolean finished; // written before the volatile turn, read after it

        Home(Thread thread) {
            this.thread = thread;
        }

        void await() {
            boolean interrupted = false;
            while (!turn) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt(); // kept for later, not lost
            }
        }
    }

    /**
     * A fiber's virtual thread and its baton. The baton is the volatile {@code go}: the side
     * that hands control over writes it last, after every write of its own, and the side
     * that takes control reads it first, so each sees the other's writes. A guest's baton
     * names its host's thread; each body on a thread waits for its own {@code go}.
     */
    private static final class Baton {
        private final Fiber body;
        private volatile Thread thread; // the body's virtual thread, started on the first resume (a guest's: its host's)
        private Home home;              // who waits at the end of the chain this step belongs to
        private volatile boolean go;
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
            pass(next, h, finished);
            boolean interrupted = false;
            while (!go) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt(); // kept for later, not lost
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
