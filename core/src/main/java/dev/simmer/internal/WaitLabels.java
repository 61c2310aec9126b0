package dev.simmer.internal;

/**
 * Lets Simmer's own packages (such as {@code dev.simmer.sync}) say what a waiter promise stands
 * for, so that task dumps and the deadlock error read "awaiting Event.await() (Event@1b6d3586
 * [unset, waiters:1])" rather than "awaiting Promise@1b6d3586 (pending)". A primitive makes its
 * {@link Label} once (at its first wait) and hands the same one to every waiter's promise: a
 * wait pays one field store, no allocation, and the text is made only when a dump is.
 * {@code dev.simmer.Promise} installs the sink when it is first loaded, which is before any
 * promise exists to be labelled. Not API.
 */
public final class WaitLabels {
    private static volatile Sink sink;

    private WaitLabels() {
    }

    /** What a task waiting on a labelled promise is doing, told when a dump asks. */
    @FunctionalInterface
    public interface Label {
        /**
         * What a task waiting on {@code promise} is doing, after "awaiting ": "Event.await() (Event@1b6d3586 ...)".
         *
         * @param promise the waiter's promise this label was given to
         * @return the description, made now
         */
        String describe(Object promise);
    }

    /** What {@code dev.simmer.Promise} installs: gives a promise its label. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Gives {@code promise} its label.
         *
         * @param promise a {@code dev.simmer.Promise}
         * @param label   what a task waiting on it is doing
         */
        void accept(Object promise, Label label);
    }

    /**
     * Called once, by {@code dev.simmer.Promise}'s class initializer.
     *
     * @param promiseLabels gives a promise its label
     */
    public static void install(Sink promiseLabels) {
        sink = promiseLabels;
    }

    /**
     * A label that says "{@code what} ({@code on})", or just {@code what} if {@code on} is null;
     * {@code on} (the primitive) is described when a dump is made, so it shows its state then.
     *
     * @param what what a waiting task is doing, such as "Event.await()"
     * @param on   the primitive it waits on; may be null
     * @return a label to hand to every waiter of that call
     */
    public static Label of(String what, Object on) {
        return on == null ? promise -> what : promise -> what + " (" + on + ")";
    }

    /**
     * Gives {@code promise} (a {@code dev.simmer.Promise}) its label: dumps show a task waiting
     * on it as "awaiting " followed by the label's text.
     *
     * @param promise a {@code dev.simmer.Promise}
     * @param label   what a task waiting on it is doing
     * @param <P>     the promise's type
     * @return {@code promise}
     */
    public static <P> P label(P promise, Label label) {
        sink.accept(promise, label);
        return promise;
    }
}
