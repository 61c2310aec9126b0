package dev.simmer;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * {@link Async#wait}: wait for some or all of several tasks without touching them (asyncio's
 * {@code asyncio.wait}). Built on the kernel's callbacks and promises, outside the loop.
 *
 * <p>Must be called from inside a task.
 */
final class Waiting {
    /*
     * Overview (asyncio's _wait): each task gets a done-callback that counts it off and, when
     * the mode is satisfied, completes `wake`; an optional timer completes it too. The caller
     * waits on `wake` without passing a cancellation on (the tasks are not the caller's to
     * cancel). As in asyncio, a task that has already ended reports through a callback on the
     * next pass, so wait() always suspends at least once: it is a cancellation point even when
     * everything is done.
     *
     * When wait() returns, its callbacks are removed from the tasks still running, so calling
     * wait() in a loop on long-lived tasks leaves nothing behind.
     */
    private Waiting() {
    }

    static WaitResult wait(Collection<? extends Task<?>> tasks, WaitMode mode, Duration timeout) {
        EventLoop loop = EventLoop.runningLoop("Async.wait");
        Task<?> current = loop.requireTask("Async.wait");
        Objects.requireNonNull(mode, "mode");
        Set<Task<?>> all = distinctTasks(loop, current, tasks, "Async.wait");
        if (all.isEmpty()) {
            throw new IllegalArgumentException("Async.wait needs at least one task to wait for (asyncio raises ValueError).");
        }

        Promise<Void> wake = new Promise<>(loop);
        int[] running = {all.size()};
        java.util.Map<Task<?>, Runnable> watches = new java.util.LinkedHashMap<>();
        for (Task<?> t : all) {
            Runnable watch = () -> {
                running[0]--;
                if (!wake.isDone() && (running[0] == 0 || mode == WaitMode.FIRST_COMPLETED
                        || mode == WaitMode.FIRST_EXCEPTION && !t.isCancelled() && t.peekFailure() != null)) {
                    wake.complete0(null);
                }
            };
            watches.put(t, watch);
            t.addCallback(watch);
        }
        TimerHandle timer = timeout == null ? null
                : loop.callAt(Timeouts.saturatedAdd(loop.clock.nanoTime(), timeout), () -> wake.complete0(null));
        try {
            current.waitFor(wake, false);
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            watches.forEach((t, watch) -> t.removeCallback(watch)); // nothing left behind on tasks still running
        }

        Set<Task<?>> done = new LinkedHashSet<>();
        Set<Task<?>> pending = new LinkedHashSet<>();
        for (Task<?> t : all) {
            (t.isDone() ? done : pending).add(t);
        }
        return new WaitResult(done, pending);
    }

    /**
     * The tasks in their first-seen order, without duplicates; every one of {@code loop},
     * none of them the caller.
     */
    static <E extends Task<?>> Set<E> distinctTasks(EventLoop loop, Task<?> current, Collection<? extends E> tasks,
                                                    String call) {
        Objects.requireNonNull(tasks, "tasks");
        Set<E> all = new LinkedHashSet<>();
        for (E t : tasks) {
            Objects.requireNonNull(t, "task");
            if (t.loop != loop) {
                throw new IllegalStateException(call + " was given " + t + " of another event loop;"
                        + " a task can only be waited for on its own loop.");
            }
            if (t == current) {
                throw new IllegalStateException("Task '" + current.name() + "' cannot wait for itself with " + call
                        + ": it would wait forever.");
            }
            all.add(t);
        }
        return all;
    }
}
