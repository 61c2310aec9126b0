package dev.simmer.internal;

import dev.simmer.EngineKind;

import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * The portable path: each coroutine body runs on its own virtual thread, and a baton passes
 * between the loop thread and that thread, so exactly one task body runs at a time and only
 * the loop decides who runs next. Needs no JVM flag.
 *
 * <p>The baton is one volatile field, {@code turn}: the loop sets it to {@code BODY} and
 * parks until the body sets it back to {@code LOOP} (by suspending or finishing). The
 * volatile write and read order every other write of either side.
 */
public final class ThreadEngine implements Engine {
    static final ThreadEngine INSTANCE = new ThreadEngine();

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

    @Override
    public boolean resume(Fiber fiber) {
        Baton baton = (Baton) fiber.state;
        if (baton == null) {
            fiber.state = baton = new Baton(fiber);
        }
        return baton.resume();
    }

    @Override
    public void suspend(Fiber fiber) {
        ((Baton) fiber.state).suspend();
    }

    @Override
    public StackTraceElement[] stackTrace(Fiber fiber) {
        Baton baton = (Baton) fiber.state;
        Thread t = baton == null ? null : baton.thread;
        return t == null ? new StackTraceElement[0] : t.getStackTrace();
    }

    @Override
    public Thread thread(Fiber fiber, Thread loopThread) {
        Baton baton = (Baton) fiber.state;
        return baton == null ? null : baton.thread;
    }

    private enum Turn { LOOP, BODY }

    /** A fiber's virtual thread and the baton passed between it and whoever resumes it. */
    private static final class Baton {
        private final Fiber body;
        private volatile Thread thread; // the body's virtual thread, started on the first resume
        private Thread loopThread;    // who resumed us last
        private volatile Turn turn = Turn.LOOP;
        private volatile boolean finished;

        Baton(Fiber body) {
            this.body = body;
        }

        boolean resume() {
            loopThread = Thread.currentThread();
            turn = Turn.BODY;
            if (thread == null) {
                thread = Thread.ofVirtual().name("simmer-" + body.name()).unstarted(this::runBody);
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
            waitFor(Turn.LOOP);
            return finished;
        }

        void suspend() {
            turn = Turn.LOOP;
            LockSupport.unpark(loopThread);
            waitFor(Turn.BODY);
        }

        private void runBody() {
            try {
                body.run();
            } finally {
                finished = true;
                turn = Turn.LOOP;
                LockSupport.unpark(loopThread);
            }
        }

        /** Parks until it is {@code mine}'s turn; an interrupt is kept for later, not lost. */
        private void waitFor(Turn mine) {
            boolean interrupted = false;
            while (turn != mine) {
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
}
