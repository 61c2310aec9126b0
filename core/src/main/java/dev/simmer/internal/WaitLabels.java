package dev.simmer.internal;

/**
 * Lets Simmer's own packages (such as {@code dev.simmer.sync}) say what a waiter promise stands
 * for, so that task dumps and the deadlock error read "awaiting Event.await() (Event@1b6d3586
 * [unset, waiters:1])" rather than "awaiting Promise@1b6d3586 (pending)". {@code dev.simmer.Promise}
 * installs the sink when it is first loaded, which is before any promise exists to be labelled.
 * Not API.
 */
public final class WaitLabels {
    private static volatile Sink sink;

    private WaitLabels() {
    }

    /** What {@code dev.simmer.Promise} installs: sets a promise's label. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Sets the label of {@code promise}.
         *
         * @param promise a {@code dev.simmer.Promise}
         * @param what    what a task waiting on it is doing, such as "Event.await()"
         * @param on      the primitive it waits on, described only when a dump is made; may be null
         */
        void accept(Object promise, String what, Object on);
    }

    /**
     * Called once, by {@code dev.simmer.Promise}'s class initializer.
     *
     * @param promiseLabels sets a promise's label
     */
    public static void install(Sink promiseLabels) {
        sink = promiseLabels;
    }

    /**
     * Labels {@code promise}: dumps show a task waiting on it as "awaiting {@code what}
     * ({@code on})". {@code what} should be a constant, so that no string is built per wait.
     *
     * @param promise a {@code dev.simmer.Promise}
     * @param what    what a task waiting on it is doing, such as "Event.await()"
     * @param on      the primitive it waits on; may be null
     * @param <P>     the promise's type
     * @return {@code promise}
     */
    public static <P> P label(P promise, String what, Object on) {
        sink.accept(promise, what, on);
        return promise;
    }
}
