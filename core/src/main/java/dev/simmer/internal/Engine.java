package dev.simmer.internal;

import dev.simmer.EngineKind;

/**
 * How coroutines are run, resumed and suspended. Two implementations, with the same
 * observable behaviour: {@link ContinuationEngine} (fast path) and {@link ThreadEngine}
 * (portable path). {@link Engines#selected()} picks one at start.
 *
 * <p>Nothing outside {@code dev.simmer.internal} knows which engine runs: the loop only
 * sees {@link Fiber}s.
 */
public interface Engine {

    /** Which engine this is, as users see it. */
    EngineKind kind();

    /**
     * Runs {@code loop} (a whole event loop, from start to close) on a thread that suits the
     * engine, and returns its result or rethrows its exception. Blocks the caller meanwhile.
     */
    <T> T hostLoop(java.util.concurrent.Callable<T> loop) throws Exception;

    /**
     * Runs {@code fiber}'s body until it suspends or finishes (the first call starts it).
     * Returns true once the body has finished. Called on the loop's turn only (by the loop,
     * or by a task running ahead for it), never for a fiber that is running.
     */
    boolean resume(Fiber fiber);

    /** From inside {@code fiber}'s body: gives control back until the next {@link #resume}. */
    void suspend(Fiber fiber);

    /** Where {@code fiber}'s body is suspended, innermost frame first; empty if unknown or not suspended. */
    StackTraceElement[] stackTrace(Fiber fiber);

    /**
     * The thread that runs {@code fiber}'s body while it runs: {@code loopThread} (the fast
     * path), or the body's own (threads engine; null before it started). For diagnostics: any
     * thread may ask.
     */
    default Thread thread(Fiber fiber, Thread loopThread) {
        return loopThread;
    }

    /**
     * Whether another body runs on {@code fiber}'s thread on top of it (a guest: see
     * {@link Fiber#mayHost}), so that {@code fiber} cannot be resumed before that body ends.
     * Asked on the loop's turn.
     */
    default boolean hostsGuest(Fiber fiber) {
        return false;
    }

    /**
     * A coroutine: a body ({@link #run()}) and the engine's state for it, in one object, so a
     * task pays for one object beside the engine's own (the JDK's continuation, or a thread).
     * It is also the task's timer for sleeps (see {@link TimerHeap#rearm}).
     * Making one runs nothing. Between {@link Engine#resume} and the body's suspension or end,
     * exactly one side runs, and the hand-over publishes every write made on either side.
     */
    non-sealed abstract class Fiber extends Timer implements Runnable {
        Object state; // the engine's: a jdk.internal.vm.Continuation, or a ThreadEngine baton

        /**
         * For subclasses: the task's body. Its timer is not armed.
         *
         * @param owner what the loop wakes when the fiber's timer fires: its task, until {@link #release}
         */
        protected Fiber(Object owner) {
            super(0, -1, owner);
        }

        /** The body: what the coroutine runs. */
        @Override
        public abstract void run();

        /**
         * Called by an engine that runs bodies on threads of their own, on the body's thread,
         * as a step ends: the body has suspended ({@code finished} false) or returned. The loop
         * ends the step there and may run on, on that same thread, up to its next task step:
         * the fiber it returns, whose step has begun, is resumed next (this very fiber to carry
         * on at once). Null gives control back to the thread that resumed the chain.
         *
         * @param finished whether the body has returned
         * @return the fiber to resume next, or null
         */
        protected Fiber stepEnded(boolean finished) {
            return null;
        }

        /**
         * Asked of a suspended fiber by an engine that runs bodies on threads of their own, when
         * {@code next} is about to take its first step: whether {@code next} may run on this
         * fiber's thread, on top of its frames, from that step to its end. True only if this
         * body waits for {@code next}'s end and can be woken by nothing else.
         *
         * @param next the fiber the loop resumes next; it has not run yet
         * @return whether this fiber's thread may host it
         */
        protected boolean mayHost(Fiber next) {
            return false;
        }

        /**
         * For a fiber whose body has ended and whose task has let go of it: drops the owner and
         * the engine's state, so that a cancelled arming of its timer, waiting in the heap to be
         * dropped, keeps neither reachable. The fiber is of no use afterwards.
         */
        public final void release() {
            callback = null;
            state = null;
        }

        /** A name for the body's thread, if the engine gives it one; asked only then. */
        public abstract String name();
    }
}
