package dev.simmer.internal;

import dev.simmer.EventLoop;
import dev.simmer.Task;

/**
 * Lets Simmer's own primitives (such as {@code dev.simmer.sync.Queue}) suspend a task until
 * they wake it, without a {@code Promise} per wait: a waiter record of the primitive's own
 * holds the task and what it is handed. {@code dev.simmer.Task} installs the kernel when it
 * is first loaded, which is before any loop runs a task. Not API; loop thread only.
 *
 * <p>Cancellation works as for a task awaiting a promise: a cancelled parked task is woken
 * and {@link Kernel#park} throws {@code CancelledException}; {@link Kernel#unpark} then
 * returns false, so the primitive skips that waiter as it would skip a cancelled promise. A
 * task unparked and cancelled in the same pass also throws, and the primitive, seeing its
 * record was handed something, gives it back.
 */
public final class Parking {
    private static volatile Kernel kernel;

    static { // a primitive may be made before any task: Task's class initializer installs the kernel
        try {
            Class.forName(Task.class.getName(), true, Parking.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Parking() {
    }

    /** What {@code dev.simmer.Task} installs. */
    public interface Kernel {
        /**
         * The task running now on {@code loop}, or null in a plain callback; the caller has
         * checked it runs on {@code loop} (no ThreadLocal look-up).
         *
         * @param loop the loop the caller is bound to
         * @return the running task, or null
         */
        Task<?> currentTask(EventLoop loop);

        /**
         * Suspends {@code task} (the running one) until {@link #unpark}; throws
         * {@code CancelledException} if it is cancelled meanwhile.
         *
         * @param task  the running task
         * @param label what dumps say it waits in ("awaiting " and the label's text)
         */
        void park(Task<?> task, WaitLabels.Label label);

        /**
         * Wakes a parked task: its {@link #park} returns on a later pass.
         *
         * @param task a task that parked
         * @return false if it is no longer parked (a cancellation has woken it already)
         */
        boolean unpark(Task<?> task);

        /**
         * Whether {@code task} is parked and not woken yet (for assertions).
         *
         * @param task a task that parked
         * @return true while {@link #unpark} would wake it
         */
        boolean isParked(Task<?> task);
    }

    /**
     * Called once, by {@code dev.simmer.Task}'s class initializer.
     *
     * @param k the kernel's side
     */
    public static void install(Kernel k) {
        kernel = k;
    }

    /**
     * The kernel's side; primitives keep it in a {@code static final} field.
     *
     * @return what {@code dev.simmer.Task} installed
     */
    public static Kernel kernel() {
        return kernel;
    }
}
