package dev.simmer.sync;

import dev.simmer.AsyncIterable;
import dev.simmer.AsyncIterator;
import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.Task;
import dev.simmer.internal.Parking;
import dev.simmer.internal.WaitLabels;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A first-in, first-out queue for tasks (asyncio's {@code Queue}, 3.13): {@link #put}
 * suspends while the queue is full, {@link #get()} suspends while it is empty.
 *
 * <pre>{@code
 * Queue<String> orders = new Queue<>(10);          // at most 10 waiting orders
 * Task<Void> cook = Async.createTask(() -> {
 *     while (true) {
 *         String order = orders.get();             // suspends while there is none
 *         try {
 *             prepare(order);
 *         } finally {
 *             orders.taskDone();
 *         }
 *     }
 * });
 * for (String order : List.of("soup", "salad", "pie")) {
 *     orders.put(order);                           // suspends while 10 are waiting
 * }
 * orders.join();                                   // until every order was done
 * cook.cancel();
 * }</pre>
 *
 * <ul>
 *   <li>Bounded by {@code maxsize} ({@code 0} or less: unbounded). Items may not be
 *       {@code null}.
 *   <li>Fair: tasks waiting in {@link #get()} receive items in the order they started
 *       waiting, and tasks waiting in {@link #put} get free slots in the order they started
 *       waiting. An item put while a getter waits is handed straight to the oldest getter,
 *       and a slot freed while a putter waits is granted straight to the oldest putter, so a
 *       task arriving later cannot take either first. A call that can proceed at once does
 *       not suspend.
 *   <li>Cancellation-safe: a {@code get()} cancelled at the moment it was handed an item
 *       (before it ran again) gives the item back, to the next waiting getter or to the queue,
 *       at the place it would have had if it had never been taken (the front, for this FIFO
 *       queue). A {@code put} cancelled at the moment it was granted a slot passes the slot
 *       on; its item is not put. So a {@link CancelledException} out of {@code get} or
 *       {@code put} always means the item did not move: nothing is lost, nothing is
 *       delivered twice.
 *   <li>{@link #taskDone()} and {@link #join()}: each item put counts as unfinished until a
 *       consumer calls {@code taskDone()} for it; {@code join()} suspends until none is
 *       unfinished.
 *   <li>{@link #shutdown(boolean)} (asyncio 3.13): afterwards {@code put} throws
 *       {@link QueueShutDownException}, and {@code get} throws it once the queue is empty;
 *       tasks waiting in {@code get} or {@code put} are woken with it. An immediate shutdown
 *       also discards the items in the queue (each counts as done for {@code join()}).
 * </ul>
 *
 * <p>Orders: this class is FIFO; {@link PriorityQueue} and {@link LifoQueue} are the other
 * two. The hierarchy is sealed: the three share this class's waiting and accounting, and
 * differ only in how the waiting items are stored, which is not an extension point.
 *
 * <p>Use this, not a {@code java.util.concurrent.BlockingQueue}: on the fast path every task
 * runs on the loop thread, and a blocking call would block all of them.
 *
 * <p>Must be called from the loop thread. Bound to the loop that first uses it; use from
 * another loop, or from a thread with no running loop, is an {@link IllegalStateException}.
 * From another thread, hand the work to the loop with {@code EventLoop.callSoonThreadsafe}.
 *
 * @param <T> the item type
 */
public sealed class Queue<T> permits PriorityQueue, LifoQueue {
    /*
     * Overview.
     *
     * Direct hand-over, in both directions. A waiting task is parked (internal.Parking) with
     * a Waiter record in `getters`, `putters` or `joiners`; granting it fills the record and
     * unparks the task (no Promise per wait):
     *  - A getter's record is granted the item and its sequence number: put()
     *    hands the new item to the oldest pending getter (the item never enters `items`, and
     *    no Entry is made for it); shutdown() grants it null ("no item: shut down"). A getter
     *    that got its item leaves its record to the queue for the next wait (`spareGetter`):
     *    a ping-pong through a queue allocates nothing of the queue's own. A putter's
     *    record is kept the same way once it was granted its slot (`sparePutter`).
     *  - When a slot frees, the oldest pending putter is granted it (TRUE): the slot is
     *    reserved for it until it resumes and inserts its item. shutdown() grants it FALSE.
     *
     * Counters:
     *   handed   items handed to getters that have not resumed yet, and an item a
     *            consume() iterator holds between hasNext() and next()
     *   granted  slots granted to putters that have not resumed yet
     *   occupied = items.size() + handed + granted; full <=> maxsize > 0 && occupied >= maxsize
     *
     * Invariants (checked by the asserts and the stress test):
     *   a pending getter exists  => items is empty   (a put hands over instead of storing)
     *   a pending putter exists  => the queue is full, or it is shut down (a freed slot is
     *                               granted at once)
     *
     * Cancellation: Task.cancel() wakes a parked task, which gets CancelledException, unless
     * it was woken already; a task whose record was granted in the same pass as its
     * cancellation gets CancelledException with the record holding its grant. Its catch
     * block sees that (it was granted an item or a slot) and undoes the grant: a getter gives its item
     * back (to the next getter, else into `items` at its original sequence number), a putter
     * passes its slot on. A record whose task a cancellation woke, still in a waiter deque, is
     * skipped when granting (unpark says false), as a cancelled promise would be.
     *
     * Every entry carries the sequence number it got when it was first put, so an item given
     * back returns to the position it would have had if it had never been taken, in every
     * order (FIFO, LIFO, priority with insertion-order ties).
     */

    /** An item and the sequence number it got when it was put (its place among equals). */
    record Entry<T>(T item, long seq) {
    }

    /**
     * A task waiting in get() (or a consume() iterator's hasNext()), put() or join(), and what
     * it was granted; see the overview. A getter's or putter's record whose wait is over serves
     * the queue's next wait of the same kind (`spareGetter`, `sparePutter`).
     */
    private static final class Waiter<V> {
        Task<?> task;
        V value;      // a getter's: the item, or null for "shut down"; a putter's: TRUE, or FALSE for "shut down"
        long seq;     // a getter's: the item's sequence number, to give it back at its place
        boolean granted;

        Waiter(Task<?> task) {
            this.task = task;
        }

        /** Grants {@code v} and wakes the task; false (nothing changes) if a cancellation has woken it already. */
        boolean grant(V v) {
            return grant(v, 0);
        }

        /** Grants a getter item {@code v}, whose sequence number is {@code s}; as {@link #grant(Object)}. */
        boolean grant(V v, long s) {
            if (!KERNEL.unpark(task)) {
                return false;
            }
            value = v;
            seq = s;
            granted = true;
            return true;
        }

        /** Whether its task still waits to be granted (for assertions). */
        boolean pending() {
            return !granted && KERNEL.isParked(task);
        }
    }

    private static final Parking.Kernel KERNEL = SyncSupport.KERNEL;

    /** Where a queue keeps its waiting items: the one thing the three orders differ in. */
    interface Items<T> {
        /** Rejects an item this order cannot hold (before anything has moved). */
        default void check(T item) {
        }

        /** Stores a new entry, or an entry given back (by its original sequence number). */
        void add(Entry<T> entry);

        /** The entry that comes out next; the store is not empty. */
        Entry<T> poll();

        int size();

        void clear();
    }

    private enum State {
        /** Puts and gets work. */
        OPEN,
        /** shutdown(false): puts fail; gets take what is left, then fail. */
        SHUT_DOWN,
        /** shutdown(true): emptied; puts and gets fail; items given back are discarded. */
        SHUT_DOWN_IMMEDIATELY
    }

    private final int maxsize;
    private final Items<T> items;
    private final ArrayDeque<Waiter<T>> getters = new ArrayDeque<>();
    private Waiter<T> spareGetter;       // a getter's record whose wait is over, for the next get()
    private Waiter<Boolean> sparePutter; // the same for put()
    private final ArrayDeque<Waiter<Boolean>> putters = new ArrayDeque<>();
    private final List<Waiter<Void>> joiners = new ArrayList<>();
    private WaitLabels.Label[] waitLabels; // what task dumps say of a getter, putter, joiner; made at the first wait
    private int handed;
    private int granted;
    private int unfinished;
    private long nextSeq;
    private State state = State.OPEN;
    private EventLoop loop;

    /** An unbounded FIFO queue. */
    public Queue() {
        this(0);
    }

    /**
     * A FIFO queue holding at most {@code maxsize} items ({@code 0} or less: unbounded).
     *
     * @param maxsize the most items it holds before {@code put} waits; 0 or less for no bound
     */
    public Queue(int maxsize) {
        this(maxsize, new SequenceItems<>(false));
    }

    Queue(int maxsize, Items<T> items) {
        this.maxsize = Math.max(0, maxsize);
        this.items = items;
    }

    // ================================================================= putting

    /**
     * Puts {@code item} into the queue, suspending while it is full (or others wait to put
     * first).
     *
     * @param item the item to add; not {@code null}
     * @throws QueueShutDownException if the queue is shut down, before or while waiting
     * @throws CancelledException if the task is cancelled while it waits; the item was not put
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException from a plain callback, or from another loop than the queue's
     */
    public final void put(T item) {
        Task<?> task = requireTask(bind("put"), "put");
        checkItem(item);
        if (state != State.OPEN) {
            throw shutDown("put");
        }
        if (full()) {
            Waiter<Boolean> p = reuse(sparePutter, task);
            sparePutter = null;
            putters.add(p);
            Boolean slot;
            try {
                slot = park(p, PUT);
            } catch (Throwable e) {
                Boolean value = grantedValue(p);
                if (value == null) {
                    putters.remove(p);
                } else if (value) {
                    granted--; // granted at the moment we were cancelled: pass the slot on
                    grantPutters();
                }
                throw e;
            }
            if (!slot) {
                throw shutDown("put"); // woken by shutdown
            }
            granted--;
            sparePutter = cleared(p); // its wait is over: granted its slot, out of `putters`
            if (state != State.OPEN) {
                throw shutDown("put"); // granted, then shut down before we resumed
            }
        }
        insert(item);
    }

    /**
     * Puts {@code item} into the queue without suspending.
     *
     * @param item the item to add; not {@code null}
     * @throws QueueFullException if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     * @throws NullPointerException if {@code item} is null
     */
    public final void putNowait(T item) {
        bind("putNowait");
        checkItem(item);
        if (state != State.OPEN) {
            throw shutDown("putNowait");
        }
        if (full()) {
            throw new QueueFullException(name("putNowait") + ": the queue is full (maxsize " + maxsize + ")"
                    + (putters.isEmpty() ? "" : ", and " + putters.size() + " task(s) wait to put")
                    + "; use put() to wait for room.");
        }
        insert(item);
    }

    // ================================================================= getting

    /**
     * Removes and returns the next item, suspending while the queue is empty.
     *
     * @return the oldest item (for a {@link LifoQueue} the newest, for a {@link PriorityQueue} the smallest)
     * @throws QueueShutDownException if the queue is shut down and empty, before or while waiting
     * @throws CancelledException if the task is cancelled while it waits; no item was taken
     * @throws IllegalStateException from a plain callback, or from another loop than the queue's
     */
    public final T get() {
        Task<?> task = requireTask(bind("get"), "get");
        if (items.size() > 0) { // so nobody waits to get (invariant): no suspension
            return take();
        }
        // receive(), written out: a task switch pays for every frame between the task's code
        // and the suspension, so get() parks the task itself (see receive for the steps).
        if (state != State.OPEN) {
            throw shutDown("get");
        }
        Waiter<T> p = reuse(spareGetter, task);
        spareGetter = null;
        getters.add(p);
        try {
            KERNEL.park(task, waitLabel(GET));
        } catch (Throwable e) {
            notReceived(p);
            throw e;
        }
        assert p.granted : "a queue waiter resumed without a grant";
        T item = p.value;
        if (item == null) {
            throw shutDown("get"); // woken by shutdown
        }
        spareGetter = cleared(p); // its wait is over: granted, out of `getters`, its item taken
        return delivered(item);
    }

    /** {@code spare} (a record whose wait is over, or null) made ready for {@code task}'s wait, else a new record. */
    private static <V> Waiter<V> reuse(Waiter<V> spare, Task<?> task) {
        if (spare == null) {
            return new Waiter<>(task);
        }
        spare.task = task;
        return spare;
    }

    /** {@code p}, emptied, to keep for the next wait: only once its wait is over and it is out of its deque. */
    private static <V> Waiter<V> cleared(Waiter<V> p) {
        p.task = null;
        p.value = null;
        p.granted = false;
        return p;
    }

    /**
     * Takes the next entry as {@link #get()} does, but leaves it counted in {@code handed}
     * (its slot still taken) until {@link #delivered} or {@link #undelivered}.
     */
    private Entry<T> receive(String call) {
        Task<?> task = requireTask(bind(call), call);
        if (items.size() > 0) { // so nobody waits to get (invariant): no suspension
            assert getters.stream().noneMatch(Waiter::pending) : "getters wait while items are stored";
            handed++;
            return items.poll();
        }
        if (state != State.OPEN) {
            throw shutDown(call);
        }
        Waiter<T> p = reuse(spareGetter, task);
        spareGetter = null;
        getters.add(p);
        T item;
        try {
            item = park(p, GET);
        } catch (Throwable e) {
            notReceived(p);
            throw e;
        }
        if (item == null) {
            throw shutDown(call); // woken by shutdown
        }
        Entry<T> entry = new Entry<>(item, p.seq);
        spareGetter = cleared(p);
        return entry;
    }

    /** A getter's wait ended in a throw (a cancellation): it leaves the line, or gives back the item it was handed. */
    private void notReceived(Waiter<T> p) {
        T item = grantedValue(p);
        if (item == null) {
            getters.remove(p); // still pending, or woken by shutdown: nothing to undo
        } else {
            undelivered(item, p.seq); // handed an item at the moment we were cancelled: give it back
        }
    }

    /** A received item reaches its taker: its slot frees (granted to the oldest putter). */
    private T delivered(T item) {
        handed--;
        grantPutters();
        return item;
    }

    /** A received item was not taken after all: it goes back where it would have been. */
    private void undelivered(T item, long seq) {
        handed--;
        giveBack(item, seq);
    }

    /**
     * Removes and returns the next item without suspending.
     *
     * @return the next item, as {@link #get()} would return it
     * @throws QueueEmptyException if the queue is empty
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public final T getNowait() {
        bind("getNowait");
        if (items.size() > 0) {
            return take();
        }
        if (state != State.OPEN) {
            throw shutDown("getNowait");
        }
        throw new QueueEmptyException(name("getNowait") + ": the queue is empty; use get() to wait for an item.");
    }

    // ================================================================= consuming

    /**
     * The queue's items as an async iterable for one consumer, ending when the queue is shut
     * down and empty: the enhanced {@code for} over it is the loop around {@link #get()} that
     * stops at {@link QueueShutDownException}.
     *
     * <pre>{@code
     * // Python: while True:
     * //             try: order = await orders.get()
     * //             except asyncio.QueueShutDown: break
     * //             cook(order); orders.task_done()
     * for (String order : orders.consume()) {   // suspends while the queue is empty
     *     cook(order);
     *     orders.taskDone();
     * }                                          // left once orders.shutdown() was called and all were taken
     * }</pre>
     *
     * <ul>
     *   <li>{@code hasNext()} suspends in {@code get()} until an item comes (then it holds
     *       it for {@code next()}) or the queue is shut down and empty (then it is false). A
     *       cancellation there moves no item, as for {@code get()}.
     *   <li>The returned object is its own iterator: a second {@code for} goes on where the
     *       first stopped. Each consuming task calls {@code consume()} for itself; two tasks
     *       waiting in the same one's {@code hasNext()} is an {@link IllegalStateException}.
     *   <li>{@code taskDone()} stays the consumer's call, as with {@code get()}.
     *   <li>{@code close()} ends the iteration; an item that {@code hasNext()} took and
     *       {@code next()} has not returned goes back to the queue at its place, so leaving
     *       a loop early inside try-with-resources loses nothing.
     * </ul>
     *
     * <p>Must be called from the loop thread; the iterator from inside a task.
     *
     * @return the items as an iterable that is its own iterator; close it when leaving early
     */
    public final AsyncIterable<T> consume() {
        bind("consume");
        return new Consumer();
    }

    /** The iterable and iterator of {@link #consume()}. */
    private final class Consumer implements AsyncIterable<T>, AsyncIterator<T> {
        private Entry<T> held;   // received by hasNext(), not yet returned by next()
        private boolean waiting;
        private boolean ended;

        @Override
        public AsyncIterator<T> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            if (held != null) {
                return true;
            }
            if (ended) {
                return false;
            }
            if (waiting) {
                throw new IllegalStateException(name("consume") + ": another task already waits in hasNext() of"
                        + " this consumer; each consuming task calls consume() for itself.");
            }
            waiting = true;
            try {
                held = receive("consume");
                return true;
            } catch (QueueShutDownException e) {
                ended = true;
                return false;
            } finally {
                waiting = false;
            }
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException(name("consume") + ": the queue is shut down and empty");
            }
            Entry<T> e = held;
            held = null;
            return delivered(e.item());
        }

        @Override
        public void close() {
            bind("consume().close");
            ended = true;
            Entry<T> e = held;
            if (e != null) {
                held = null;
                undelivered(e.item(), e.seq());
            }
        }

        @Override
        public String toString() {
            return Queue.this + ".consume()" + (ended ? " (ended)" : "");
        }
    }

    // ================================================================= join

    /**
     * Marks one item got from the queue as processed, for {@link #join()}.
     *
     * @throws IllegalStateException if called more times than items were put (asyncio's
     *     {@code ValueError})
     */
    public final void taskDone() {
        bind("taskDone");
        if (unfinished <= 0) {
            throw new IllegalStateException(name("taskDone") + " called more times than items were put"
                    + " (every item still counted as unfinished was already marked done).");
        }
        unfinished--;
        if (unfinished == 0) {
            releaseJoiners();
        }
    }

    /**
     * Suspends until every item put into the queue has been marked done with
     * {@link #taskDone()}; returns at once if none is unfinished.
     *
     * @throws CancelledException if the task is cancelled while it waits
     */
    public final void join() {
        Task<?> task = requireTask(bind("join"), "join");
        if (unfinished == 0) {
            return;
        }
        Waiter<Void> p = new Waiter<>(task);
        joiners.add(p);
        try {
            park(p, JOIN);
        } catch (Throwable e) {
            joiners.remove(p);
            throw e;
        }
    }

    // ================================================================= shutdown

    /** Shuts the queue down, keeping its items for {@code get}: {@code shutdown(false)}. */
    public final void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (asyncio 3.13): later puts throw {@link QueueShutDownException};
     * gets take the items left and then throw it. Tasks waiting to put are woken with it, and
     * so are tasks waiting to get (the queue is empty if any waits).
     *
     * <p>With {@code immediate}, the queue is also emptied at once: each discarded item counts
     * as done, so {@link #join()} is released when nothing else is unfinished. An item
     * already handed to a getter that has not resumed yet is not taken back: that getter
     * returns it (and an item a cancelled getter gives back later is discarded).
     *
     * <p>Calling it again does nothing, except that {@code immediate} empties a queue that was
     * shut down without it.
     *
     * @param immediate {@code true} to discard the items left, {@code false} to let getters take them
     */
    public final void shutdown(boolean immediate) {
        bind("shutdown");
        if (immediate && state != State.SHUT_DOWN_IMMEDIATELY) {
            state = State.SHUT_DOWN_IMMEDIATELY;
            int discarded = items.size();
            items.clear();
            unfinished -= Math.min(discarded, unfinished);
            if (unfinished == 0) {
                releaseJoiners();
            }
        } else if (state == State.OPEN) {
            state = State.SHUT_DOWN;
        }
        Waiter<T> g;
        while ((g = getters.poll()) != null) {
            g.grant(null);
        }
        Waiter<Boolean> p;
        while ((p = putters.poll()) != null) {
            p.grant(Boolean.FALSE);
        }
    }

    // ================================================================= state

    /**
     * How many items are in the queue, ready to get (not counting items handed to getters that have not resumed yet).
     *
     * @return the number of items ready to get
     */
    public final int size() {
        bind("size");
        return items.size();
    }

    /**
     * Whether the queue holds no item ready to get.
     *
     * @return {@code true} if {@link #size()} is 0
     */
    public final boolean isEmpty() {
        bind("isEmpty");
        return items.size() == 0;
    }

    /**
     * Whether a put would suspend now: the queue is bounded, and its items, plus items handed
     * to getters and slots granted to putters that have not resumed yet, reach {@code maxsize}.
     * An unbounded queue is never full.
     *
     * @return {@code true} if a {@code put} would suspend now
     */
    public final boolean isFull() {
        bind("isFull");
        return full();
    }

    /**
     * The bound given at construction, or {@code 0} for an unbounded queue.
     *
     * @return the bound, or 0 for an unbounded queue
     */
    public final int maxsize() {
        return maxsize;
    }

    /**
     * Whether {@link #shutdown(boolean)} was called.
     *
     * @return {@code true} once the queue has been shut down; it stays so
     */
    public final boolean isShutDown() {
        bind("isShutDown");
        return state != State.OPEN;
    }

    /** How many tasks wait in {@code get()}. */
    final int getterCount() {
        return getters.size();
    }

    /** How many tasks wait in {@code put()}. */
    final int putterCount() {
        return putters.size();
    }

    /** How many items are not yet marked done. */
    final int unfinishedCount() {
        return unfinished;
    }

    private static final int GET = 0;
    private static final int PUT = 1;
    private static final int JOIN = 2;
    private static final String[] WAITS = {"Queue.get()", "Queue.put()", "Queue.join()"}; // by GET, PUT, JOIN

    /** What task dumps say of a task in {@code WAITS[call]} on this queue. */
    private WaitLabels.Label waitLabel(int call) {
        if (waitLabels == null) {
            waitLabels = new WaitLabels.Label[WAITS.length];
        }
        WaitLabels.Label label = waitLabels[call];
        if (label == null) {
            waitLabels[call] = label = WaitLabels.of(WAITS[call], this);
        }
        return label;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this))
                + " [size:" + items.size() + ", maxsize:" + maxsize + ", getters:" + getters.size()
                + ", putters:" + putters.size() + ", unfinished:" + unfinished
                + (state == State.OPEN ? "" : ", " + state.name().toLowerCase().replace('_', ' ')) + "]";
    }

    // ================================================================= internals

    private boolean full() {
        return maxsize > 0 && items.size() + handed + granted >= maxsize;
    }

    /** A new item enters: to the oldest pending getter if any, else into the store. */
    private void insert(T item) {
        handOver(item, nextSeq); // may throw for items a comparator refuses: nothing moved then
        nextSeq++;
        unfinished++;
    }

    private void handOver(T item, long seq) {
        Waiter<T> g;
        while ((g = getters.poll()) != null) {
            if (g.grant(item, seq)) { // a getter a cancellation has woken is skipped
                handed++;
                return;
            }
        }
        items.add(new Entry<>(item, seq));
    }

    /** Takes the next stored item (a slot frees: granted to the oldest putter). */
    private T take() {
        assert getters.stream().noneMatch(Waiter::pending) : "getters wait while items are stored";
        Entry<T> entry = items.poll();
        grantPutters();
        return entry.item();
    }

    /** An item a cancelled getter had been handed comes back. */
    private void giveBack(T item, long seq) {
        if (state == State.SHUT_DOWN_IMMEDIATELY) {
            unfinished -= Math.min(1, unfinished); // discarded, as the immediate shutdown discarded the rest
            if (unfinished == 0) {
                releaseJoiners();
            }
            grantPutters();
            return;
        }
        handOver(item, seq);
    }

    /** Grants free slots to the oldest pending putters. */
    private void grantPutters() {
        while (!putters.isEmpty() && !full()) {
            if (putters.poll().grant(Boolean.TRUE)) { // a putter a cancellation has woken is skipped
                granted++;
            }
        }
    }

    private void releaseJoiners() {
        for (Waiter<Void> p : joiners) {
            p.grant(null);
        }
        joiners.clear();
    }

    private void checkItem(T item) {
        if (item == null) {
            throw new NullPointerException(name("put") + ": items may not be null");
        }
        items.check(item);
    }

    private QueueShutDownException shutDown(String call) {
        return new QueueShutDownException(name(call) + ": the queue is shut down"
                + (call.startsWith("get") ? " and empty." : "."));
    }

    /** {@code "Queue.put"} and the like, for error messages (built only when one is thrown). */
    String name(String call) {
        return getClass().getSimpleName() + "." + call;
    }

    private EventLoop bind(String call) {
        EventLoop l = SyncSupport.bind(loop, this, call);
        loop = l;
        return l;
    }

    /** The running task (read from the bound loop: no ThreadLocal look-up); a clear error in a plain callback. */
    private Task<?> requireTask(EventLoop l, String call) {
        return SyncSupport.requireTask(l, this, call);
    }

    /**
     * Parks the waiter's task until it is granted, and returns the grant; throws
     * CancelledException if the task is cancelled meanwhile (see the overview).
     */
    private <V> V park(Waiter<V> w, int call) {
        KERNEL.park(w.task, waitLabel(call));
        assert w.granted : "a queue waiter resumed without a grant";
        return w.value;
    }

    /** What a waiter was granted, or null if it was not (still pending, or woken by a cancellation). */
    private static <V> V grantedValue(Waiter<V> w) {
        return w.granted ? w.value : null;
    }

    // ================================================================= the three orders

    /**
     * Inserts {@code entry} into {@code deque} (head first) behind every entry that comes out
     * before it by {@code outOrder}. Only for entries given back, which are rare.
     */
    private static <T> void insertOrdered(ArrayDeque<Entry<T>> deque, Entry<T> entry,
            Comparator<Entry<T>> outOrder) {
        ArrayDeque<Entry<T>> ahead = new ArrayDeque<>();
        while (!deque.isEmpty() && outOrder.compare(deque.peekFirst(), entry) < 0) {
            ahead.push(deque.pollFirst());
        }
        deque.addFirst(entry);
        while (!ahead.isEmpty()) {
            deque.addFirst(ahead.pop());
        }
    }

    /**
     * Items in put order: oldest first (FIFO) or newest first (LIFO). The deque's head is
     * what comes out next; a given-back item goes back to the place its sequence gives it.
     */
    static final class SequenceItems<T> implements Items<T> {
        private final ArrayDeque<Entry<T>> deque = new ArrayDeque<>();
        private final boolean newestFirst;
        private final Comparator<Entry<T>> outOrder;

        SequenceItems(boolean newestFirst) {
            this.newestFirst = newestFirst;
            Comparator<Entry<T>> bySeq = Comparator.comparingLong(Entry::seq);
            this.outOrder = newestFirst ? bySeq.reversed() : bySeq;
        }

        @Override
        public void add(Entry<T> entry) {
            Entry<T> newest = newestFirst ? deque.peekFirst() : deque.peekLast();
            if (newest == null || newest.seq() < entry.seq()) { // a new item
                if (newestFirst) {
                    deque.addFirst(entry);
                } else {
                    deque.addLast(entry);
                }
            } else {
                insertOrdered(deque, entry, outOrder); // given back
            }
        }

        @Override
        public Entry<T> poll() {
            return deque.pollFirst();
        }

        @Override
        public int size() {
            return deque.size();
        }

        @Override
        public void clear() {
            deque.clear();
        }
    }

    /** Smallest first by the comparator; equal items oldest first. */
    static final class PriorityItems<T> implements Items<T> {
        private final java.util.PriorityQueue<Entry<T>> heap;
        private final boolean natural;

        @SuppressWarnings("unchecked")
        PriorityItems(Comparator<? super T> comparator) {
            this.natural = comparator == null;
            Comparator<? super T> order = natural ? (a, b) -> ((Comparable<Object>) a).compareTo(b) : comparator;
            Comparator<Entry<T>> byItem = (x, y) -> order.compare(x.item(), y.item());
            this.heap = new java.util.PriorityQueue<>(byItem.thenComparingLong(Entry::seq));
        }

        @Override
        public void check(T item) {
            if (natural && !(item instanceof Comparable)) {
                throw new ClassCastException("PriorityQueue without a comparator needs Comparable items, got "
                        + item.getClass().getName() + "; pass a Comparator to the constructor.");
            }
        }

        @Override
        public void add(Entry<T> entry) {
            heap.add(entry);
        }

        @Override
        public Entry<T> poll() {
            return heap.poll();
        }

        @Override
        public int size() {
            return heap.size();
        }

        @Override
        public void clear() {
            heap.clear();
        }
    }
}
