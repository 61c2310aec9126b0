package dev.simmer.sync;

/**
 * A {@link Queue} that hands out the newest item first: a stack (asyncio's
 * {@code LifoQueue}).
 *
 * <pre>{@code
 * LifoQueue<String> plates = new LifoQueue<>();
 * plates.put("first");
 * plates.put("second");
 * plates.get();   // "second"
 * }</pre>
 *
 * <p>Everything else (bounds, fairness between waiting tasks, cancellation safety,
 * {@code taskDone}/{@code join}, shutdown) is {@link Queue}'s. An item a cancelled getter
 * gives back returns to the place it would have had if it had never been taken: below the
 * items put after it.
 *
 * <p>Must be called from the loop thread. Bound to the loop that first uses it.
 *
 * @param <T> the item type
 */
public final class LifoQueue<T> extends Queue<T> {
    /** An unbounded stack. */
    public LifoQueue() {
        this(0);
    }

    /**
     * A stack of at most {@code maxsize} items ({@code 0} or less: unbounded).
     *
     * @param maxsize the most items it holds before {@code put} waits; 0 or less for no bound
     */
    public LifoQueue(int maxsize) {
        super(maxsize, new Queue.SequenceItems<>(true));
    }
}
