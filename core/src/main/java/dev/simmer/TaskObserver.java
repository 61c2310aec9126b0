package dev.simmer;

/**
 * Hears about every task's lifecycle, for recordings: {@link Timeline} and
 * {@link JfrTaskSteps}. The loop holds at most one (a null field when nothing records), so a
 * loop that records nothing pays one null check per hook.
 *
 * <p>Called on the loop thread (on the threads engine, {@code created} and {@code finished}
 * run on the task's thread while it holds the loop's baton).
 */
interface TaskObserver {

    /** {@code task} was created; its first step is scheduled. */
    void created(Task<?> task, long now);

    /** A step of {@code task} begins. */
    void stepBegan(Task<?> task, long now);

    /** A step of {@code task} ended: it suspended, or it has ended. */
    void stepEnded(Task<?> task, long now);

    /** {@code task} ended (with a value, a failure or a cancellation). */
    void finished(Task<?> task, long now);

    /** {@code a} and {@code b} both, either of which may be null. */
    static TaskObserver both(TaskObserver a, TaskObserver b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return new TaskObserver() {
            @Override
            public void created(Task<?> task, long now) {
                a.created(task, now);
                b.created(task, now);
            }

            @Override
            public void stepBegan(Task<?> task, long now) {
                a.stepBegan(task, now);
                b.stepBegan(task, now);
            }

            @Override
            public void stepEnded(Task<?> task, long now) {
                a.stepEnded(task, now);
                b.stepEnded(task, now);
            }

            @Override
            public void finished(Task<?> task, long now) {
                a.finished(task, now);
                b.finished(task, now);
            }
        };
    }
}
