package dev.simmer;

import java.time.Duration;

/**
 * A snapshot of an event loop's counters, from {@link EventLoop#stats()}.
 *
 * <pre>{@code
 * LoopStats s = Async.loop().stats();
 * System.out.println(s.tasksCreated() + " tasks, " + s.steps() + " steps, "
 *         + "at most " + s.readyHighWater() + " ready at once");
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param tasksCreated   tasks created since the loop started (the main task included)
 * @param tasksFinished  of those, the ones that have ended
 * @param steps          task steps run: each is one switch into a task and back
 * @param passes         passes of the loop ({@code runOnce}). Both counts are what the loop
 *                       did, not what a program can observe: when a task awaits a child that
 *                       ends at once, the loop runs the child on the spot and spares the
 *                       parent a suspension (design.md, "Running ahead"), so one step and up
 *                       to two passes fewer are counted than the same schedule would take
 *                       step by step
 * @param longestStep    the longest step in loop time, measured in debug mode only
 *                       ({@link Runner#debug}); {@link Duration#ZERO} otherwise
 * @param readyHighWater the most entries (task steps and callbacks) ready at the start of one pass
 */
public record LoopStats(long tasksCreated, long tasksFinished, long steps, long passes, Duration longestStep,
                        int readyHighWater) {

    /**
     * Tasks created and not yet ended.
     *
     * @return {@code tasksCreated - tasksFinished}
     */
    public long tasksAlive() {
        return tasksCreated - tasksFinished;
    }
}
