package dev.simmer;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Async#wait(java.util.Collection, WaitMode)} returns: the tasks that have ended
 * and those still running, each in the order they were given (asyncio's
 * {@code (done, pending)} pair). Both sets are unmodifiable.
 *
 * <pre>{@code
 * WaitResult r = Async.wait(List.of(a, b, c), WaitMode.FIRST_COMPLETED);
 * for (Task<?> t : r.done()) {
 *     System.out.println(t.name() + " ended");
 * }
 * for (Task<?> t : r.pending()) {
 *     t.cancel();   // wait() never cancels anything itself
 * }
 * }</pre>
 *
 * <p>Thread-safe to read (immutable); the tasks in it are loop objects.
 *
 * @param done    the tasks that had ended when the wait returned
 * @param pending the tasks still running then
 */
public record WaitResult(Set<Task<?>> done, Set<Task<?>> pending) {

    /** Copies both sets, keeping their order, into unmodifiable ones. */
    public WaitResult {
        done = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(done, "done")));
        pending = Collections.unmodifiableSet(new LinkedHashSet<>(Objects.requireNonNull(pending, "pending")));
    }
}
