package dev.simmer.internal;

import dev.simmer.EngineKind;

/**
 * How coroutines are made, resumed and suspended. Two implementations, with the same
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
     * A new coroutine that will run {@code body} when first {@linkplain Fiber#resume()
     * resumed}. Creating it runs nothing.
     */
    Fiber newFiber(Body body);

    /** What a fiber runs; its {@link #name()} is asked only when needed (a thread's name). */
    interface Body extends Runnable {
        String name();
    }

    /**
     * Runs {@code loop} (a whole event loop, from start to close) on a thread that suits the
     * engine, and returns its result or rethrows its exception. Blocks the caller meanwhile.
     */
    <T> T hostLoop(java.util.concurrent.Callable<T> loop) throws Exception;

    /**
     * A coroutine as the loop sees it. {@link #resume()} is called by the loop thread only,
     * never re-entrantly; {@link #suspend()} only from inside the body. Between them, exactly
     * one side runs: a resume returns only after the body suspended or finished, and that
     * hand-over publishes every write made on either side.
     */
    interface Fiber {

        /** Runs the body until it suspends or finishes. Returns true once the body has finished. */
        boolean resume();

        /** From inside the body: gives control back to the loop until the next {@link #resume()}. */
        void suspend();

        /** Where the body is suspended, innermost frame first; empty if unknown or not suspended. */
        StackTraceElement[] stackTrace();

        /**
         * The thread that runs the body while it runs: {@code loopThread} (the fast path), or
         * the body's own (threads engine; null before it started). For diagnostics: any thread
         * may ask.
         */
        default Thread thread(Thread loopThread) {
            return loopThread;
        }
    }
}
