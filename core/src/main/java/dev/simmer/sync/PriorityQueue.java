package dev.simmer.sync;

import java.util.Comparator;
import java.util.Objects;

/**
 * A {@link Queue} that hands out the smallest item first (asyncio's {@code PriorityQueue}):
 * by natural ordering, or by the {@link Comparator} given. Stable: items that compare equal
 * come out in the order they were put (asyncio needs {@code (priority, count, item)} tuples
 * for that; here it is built in).
 *
 * <pre>{@code
 * record Job(int priority, String name) {}
 * PriorityQueue<Job> jobs = new PriorityQueue<>(Comparator.comparingInt(Job::priority));
 * jobs.put(new Job(2, "sweep"));
 * jobs.put(new Job(1, "cook"));
 * jobs.get();   // Job[priority=1, name=cook]
 * }</pre>
 *
 * <p>Everything else (bounds, fairness, cancellation safety, {@code taskDone}/{@code join},
 * shutdown) is {@link Queue}'s. An item a cancelled getter gives back returns to its place by
 * priority and by when it was first put.
 *
 * <p>Must be called from the loop thread. Bound to the loop that first uses it.
 *
 * @param <T> the item type
 */
public final class PriorityQueue<T> extends Queue<T> {
    /** An unbounded queue ordered by the items' natural ordering (they must be {@link Comparable}). */
    public PriorityQueue() {
        this(0);
    }

    /**
     * A queue of at most {@code maxsize} items ({@code 0} or less: unbounded), ordered by the
     * items' natural ordering (they must be {@link Comparable}; putting another item is a
     * {@link ClassCastException}).
     *
     * @param maxsize the most items it holds before {@code put} waits; 0 or less for no bound
     */
    public PriorityQueue(int maxsize) {
        super(maxsize, new PriorityItems<>(null));
    }

    /**
     * An unbounded queue ordered by {@code comparator}.
     *
     * @param comparator orders the items, smallest first; not {@code null}
     */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(0, comparator);
    }

    /**
     * A queue of at most {@code maxsize} items ({@code 0} or less: unbounded), ordered by {@code comparator}.
     *
     * @param maxsize the most items it holds before {@code put} waits; 0 or less for no bound
     * @param comparator orders the items, smallest first; not {@code null}
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(maxsize, new PriorityItems<>(Objects.requireNonNull(comparator, "comparator")));
    }
}
