package dev.simmer;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR events for task steps ({@link Runner#jfrEvents}): each step of a task becomes a
 * {@code dev.simmer.TaskStep} event with the task's name and what it waits on afterwards, so
 * Java Mission Control and {@code jfr print} show which task ran when, and for how long.
 *
 * <p>Loop thread only.
 */
final class JfrTaskSteps implements TaskObserver {

    /** One step of one task: from its resumption to its next suspension or its end. */
    @Name("dev.simmer.TaskStep")
    @Label("Task Step")
    @Category("Simmer")
    @Description("A Simmer task ran on the event loop from one suspension point to the next")
    @StackTrace(false)
    static final class TaskStep extends Event {
        @Label("Task")
        String task;

        @Label("Then")
        @Description("What the task waits on after the step, or how it ended")
        String then;
    }

    private TaskStep step;

    @Override
    public void created(Task<?> task, long now) {
    }

    @Override
    public void stepBegan(Task<?> task, long now) {
        TaskStep e = new TaskStep();
        if (e.isEnabled()) {
            e.begin();
            step = e;
        }
    }

    @Override
    public void stepEnded(Task<?> task, long now) {
        TaskStep e = step;
        if (e != null) {
            step = null;
            e.end();
            if (e.shouldCommit()) {
                e.task = task.name();
                e.then = task.isDone() ? task.stateName() : task.describeWait();
                e.commit();
            }
        }
    }

    @Override
    public void finished(Task<?> task, long now) {
    }
}
