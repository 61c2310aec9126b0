package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.AsyncIterable;
import dev.simmer.AsyncIterator;
import dev.simmer.CancelledException;
import dev.simmer.LoopGroup;
import dev.simmer.Task;
import dev.simmer.internal.Durations;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A first-in, first-out queue between loops, and between loops and plain threads: tasks on
 * any loop {@link #put} and {@link #get()} with suspension, plain threads with
 * {@link #putBlocking} and {@link #getBlocking} (with or without a timeout). Its method names
 * and rules are those of {@link Queue} (asyncio's {@code Queue}), which stays the queue for
 * tasks of one loop.
 *
 * <pre>{@code
 * try (LoopGroup group = LoopGroup.start(2)) {
 *     Channel<String> orders = new Channel<>(16);        // at most 16 orders in transit
 *     CompletableFuture<Integer> cook = group.loops().get(1).submit(() -> {
 *         int cooked = 0;
 *         for (String order : orders.consume()) {         // suspends while there is none
 *             cooked++;
 *         }
 *         return cooked;                                  // after shutdown, once all were taken
 *     });
 *     group.loops().get(0).submit(() -> {
 *         for (String order : List.of("soup", "salad", "pie")) {
 *             orders.put(order);                          // suspends while 16 are in transit
 *         }
 *         orders.shutdown();
 *     }).join();
 *     System.out.println(cook.join() + " cooked");        // 3 cooked
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Bounded by {@code maxsize} ({@code 0} or less: unbounded); a full channel makes
 *       producers wait, on whichever loop or thread they are: that is the backpressure
 *       between loops. Items may not be {@code null}.
 *   <li>FIFO: items come out in the order their puts completed, so the items of one producer
 *       reach every consumer in the order they were put.
 *   <li>Fair: waiting getters are served in the order they started waiting, and so are
 *       waiting putters. When an item arrives while getters wait, the oldest is
 *       <em>granted</em> it: one item is reserved for it, so no getter arriving later can
 *       take it first. Likewise a slot freed while putters wait is granted to the oldest.
 *   <li>Cancellation-safe. A {@link CancelledException} out of {@code get} or {@code put}
 *       (and an {@link InterruptedException} out of the blocking forms) always means the
 *       item did not move. A getter granted an item but cancelled before it ran again takes
 *       nothing: the reserved item never left the front of the channel, and the grant passes
 *       to the next waiting getter, or the item simply stays first in line. A putter granted
 *       a slot but cancelled before it ran again passes the slot on; its item is not put.
 *       Nothing is lost, nothing is delivered twice.
 *   <li>{@link #shutdown(boolean)} (asyncio 3.13): afterwards puts throw
 *       {@link QueueShutDownException}, and gets throw it once the channel is empty; every
 *       waiter, on every loop and thread, is woken with it. {@link #consume()} ends there.
 * </ul>
 *
 * <p>Unlike {@link Queue}, it has no {@code taskDone}/{@code join}: across loops, wait for the
 * consumers' tasks (their futures) instead.
 *
 * <p><b>Waking across loops.</b> A task waiting in {@code get} or {@code put} waits as in
 * {@link Async#await(java.util.concurrent.CompletionStage)} on a future that whoever grants
 * it completes; the wake-up reaches the task's loop through that loop's thread-safe inbox, the
 * door {@link dev.simmer.EventLoop#callSoonThreadsafe} uses too. While it waits, its loop counts it as
 * work in flight on another thread: the loop does not report a deadlock for it, and a
 * virtual clock stops while it waits (so a channel that only a sleeping task of the same loop
 * would feed hangs on virtual time). For tasks of a single loop, {@link Queue} is cheaper
 * and keeps virtual time moving.
 *
 * <p>Thread-safe: one channel may be used from any number of loops and threads at once. Its
 * state is guarded by a lock held only for a few steps and never across a suspension or a
 * block. {@code put}, {@code get} and {@code consume()}'s iteration must be called from inside a
 * task; {@code putBlocking} and {@code getBlocking} from a thread that runs no loop (they
 * would block every task of the loop); the others from anywhere.
 *
 * @param <T> the item type
 * @see LoopGroup
 */
public final class Channel<T> {
    /*
     * Overview.
     *
     * One lock guards everything below. Items stay in `items` until a getter takes them; a
     * waiting getter is never handed an item, it is granted a *reservation*:
     *
     *   reserved  how many items at the front of `items` are promised to getters that were
     *             granted (or to consume() iterators between hasNext() and next()) and have
     *             not taken them yet; always reserved <= items.size()
     *   available = items.size() - reserved: what an arriving getter may take at once
     *   granted   slots promised to putters that have not resumed yet
     *   full     <=> maxsize > 0 && items.size() + granted >= maxsize
     *
     * Invariants:
     *   a getter waits  => available == 0   (an arriving item is granted at once)
     *   a putter waits  => full, or shut down (a freed slot is granted at once)
     *
     * Since a reserved item never leaves `items` before its getter takes it, a getter that
     * gives up its reservation (cancelled, interrupted) moves no item: it only passes the
     * reservation on. Every take removes the head under the lock, so the takes, in lock
     * order, see the items in put order: each producer's items reach each consumer in order.
     *
     * A waiter is a CompletableFuture (TRUE: granted, FALSE: shut down) plus its state under
     * the lock. The state is the truth: a task cancelled while its future completes, or a
     * thread whose timeout fires as it is granted, reads the state under the lock and either
     * removes itself (WAITING), gives its grant back (GRANTED) or has nothing to undo
     * (SHUT_DOWN). Futures are completed after the lock is released. A task awaits its future
     * with Async.await, so the wake-up goes through its loop's thread-safe inbox and its loop
     * counts the wait as work in flight; a thread blocks in future.get.
     *
     *   waiter state:  WAITING --grant--> GRANTED --resume--> (takes/puts) GONE
     *                     |                  `--cancel---> pass the grant on, GONE
     *                     |--shutdown--> SHUT_DOWN
     *                     `--cancel/timeout--> removed, GONE
     */

    private enum State { OPEN, SHUT_DOWN, SHUT_DOWN_IMMEDIATELY }

    private enum WaitState { WAITING, GRANTED, SHUT_DOWN, GONE }

    /** A getter or putter waiting; its state is guarded by the channel's lock. */
    private static final class Waiter {
        final CompletableFuture<Boolean> signal = new CompletableFuture<>();
        WaitState state = WaitState.WAITING;
    }

    private final int maxsize;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ArrayDeque<Waiter> getters = new ArrayDeque<>();
    private final ArrayDeque<Waiter> putters = new ArrayDeque<>();
    private int reserved;
    private int granted;
    private State state = State.OPEN;

    /** An unbounded channel. */
    public Channel() {
        this(0);
    }

    /**
     * A channel holding at most {@code maxsize} items ({@code 0} or less: unbounded).
     *
     * @param maxsize the most items it holds before puts wait; 0 or less for no bound
     */
    public Channel(int maxsize) {
        this.maxsize = Math.max(0, maxsize);
    }

    // ================================================================= putting

    /**
     * Puts {@code item} into the channel, suspending the task while the channel is full (or
     * others wait to put first). Must be called from inside a task, on any loop.
     *
     * @param item the item to add; not {@code null}
     * @throws QueueShutDownException if the channel is shut down, before or while waiting
     * @throws CancelledException if the task is cancelled while it waits; the item was not put
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException outside a task (a plain thread uses {@link #putBlocking})
     */
    public void put(T item) {
        checkItem(item, "put");
        requireTask("put", "putBlocking");
        Waiter w = enqueuePutter(item, "put");
        if (w != null) {
            awaitInTask(w, putters);
            putGranted(w, item, "put");
        }
    }

    /**
     * Puts {@code item} into the channel, blocking the calling thread while the channel is
     * full. For plain threads; a task uses {@link #put}.
     *
     * @param item the item to add; not {@code null}
     * @throws InterruptedException if the thread is interrupted while it waits; the item was not put
     * @throws QueueShutDownException if the channel is shut down, before or while waiting
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException on a thread running an event loop (it would block the loop)
     */
    public void putBlocking(T item) throws InterruptedException {
        checkItem(item, "putBlocking");
        requireNoLoop("putBlocking", "put");
        Waiter w = enqueuePutter(item, "putBlocking");
        if (w != null) {
            awaitOnThread(w, putters, -1);
            putGranted(w, item, "putBlocking");
        }
    }

    /**
     * Puts {@code item} into the channel, blocking the calling thread while the channel is
     * full, at most for {@code timeout} (Python's {@code queue.Queue.put(item, timeout=...)}).
     *
     * <pre>{@code
     * try {
     *     events.putBlocking(event, Duration.ofMillis(50));
     * } catch (QueueFullException slow) {
     *     dropped++;                               // the consumers are behind: shed load
     * }
     * }</pre>
     *
     * @param item the item to add; not {@code null}
     * @param timeout how long to wait for room; zero or negative: do not wait
     * @throws QueueFullException if the channel was still full when the timeout expired; the item was not put
     * @throws InterruptedException if the thread is interrupted while it waits; the item was not put
     * @throws QueueShutDownException if the channel is shut down, before or while waiting
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException on a thread running an event loop (it would block the loop)
     */
    public void putBlocking(T item, Duration timeout) throws InterruptedException {
        checkItem(item, "putBlocking");
        long nanos = Math.max(0, Durations.saturatedNanos(timeout));
        requireNoLoop("putBlocking", "put");
        Waiter w = enqueuePutter(item, "putBlocking");
        if (w != null) {
            if (!awaitOnThread(w, putters, nanos)) {
                throw new QueueFullException(name("putBlocking") + ": the channel stayed full (maxsize " + maxsize
                        + ") for " + timeout + "; the item was not put.");
            }
            putGranted(w, item, "putBlocking");
        }
    }

    /**
     * Puts {@code item} into the channel without waiting. Callable from any thread, task or
     * callback.
     *
     * @param item the item to add; not {@code null}
     * @throws QueueFullException if the channel is full
     * @throws QueueShutDownException if the channel is shut down
     * @throws NullPointerException if {@code item} is null
     */
    public void putNowait(T item) {
        checkItem(item, "putNowait");
        Waiter wake;
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw shutDown("putNowait");
            }
            if (full()) {
                throw new QueueFullException(name("putNowait") + ": the channel is full (maxsize " + maxsize + ")"
                        + (putters.isEmpty() ? "" : ", and " + putters.size() + " wait to put")
                        + "; use put() or putBlocking() to wait for room.");
            }
            wake = insert(item);
        } finally {
            lock.unlock();
        }
        signal(wake, true);
    }

    /** Inserts at once if there is room (null), or queues and returns a waiter. */
    private Waiter enqueuePutter(T item, String call) {
        Waiter wake;
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw shutDown(call);
            }
            if (full()) {
                Waiter w = new Waiter();
                putters.add(w);
                return w;
            }
            wake = insert(item);
        } finally {
            lock.unlock();
        }
        signal(wake, true);
        return null;
    }

    /** A putter's wait ended with a grant or a shutdown: it puts, or throws. */
    private void putGranted(Waiter w, T item, String call) {
        Waiter wake;
        lock.lock();
        try {
            if (w.state != WaitState.GRANTED) {
                throw shutDown(call); // woken by shutdown
            }
            w.state = WaitState.GONE;
            granted--;
            if (state != State.OPEN) {
                throw shutDown(call); // granted, then shut down before it resumed
            }
            wake = insert(item);
        } finally {
            lock.unlock();
        }
        signal(wake, true);
    }

    // ================================================================= getting

    /**
     * Removes and returns the oldest item, suspending the task while the channel is empty.
     * Must be called from inside a task, on any loop.
     *
     * @return the oldest item
     * @throws QueueShutDownException if the channel is shut down and empty, before or while waiting
     * @throws CancelledException if the task is cancelled while it waits; no item was taken
     * @throws IllegalStateException outside a task (a plain thread uses {@link #getBlocking()})
     */
    public T get() {
        requireTask("get", "getBlocking");
        Waiter w = reserveOrWait("get");
        if (w != null) {
            awaitInTask(w, getters);
            reserveGranted(w, "get");
        }
        return takeReserved();
    }

    /**
     * Removes and returns the oldest item, blocking the calling thread while the channel is
     * empty. For plain threads; a task uses {@link #get()}.
     *
     * @return the oldest item
     * @throws InterruptedException if the thread is interrupted while it waits; no item was taken
     * @throws QueueShutDownException if the channel is shut down and empty, before or while waiting
     * @throws IllegalStateException on a thread running an event loop (it would block the loop)
     */
    public T getBlocking() throws InterruptedException {
        requireNoLoop("getBlocking", "get");
        Waiter w = reserveOrWait("getBlocking");
        if (w != null) {
            awaitOnThread(w, getters, -1);
            reserveGranted(w, "getBlocking");
        }
        return takeReserved();
    }

    /**
     * Removes and returns the oldest item, blocking the calling thread while the channel is
     * empty, at most for {@code timeout} (Python's {@code queue.Queue.get(timeout=...)}).
     *
     * <pre>{@code
     * try {
     *     Reply reply = replies.getBlocking(Duration.ofSeconds(1));
     * } catch (QueueEmptyException e) {
     *     // nothing came within a second
     * }
     * }</pre>
     *
     * @param timeout how long to wait for an item; zero or negative: do not wait
     * @return the oldest item
     * @throws QueueEmptyException if no item came before the timeout expired
     * @throws InterruptedException if the thread is interrupted while it waits; no item was taken
     * @throws QueueShutDownException if the channel is shut down and empty, before or while waiting
     * @throws IllegalStateException on a thread running an event loop (it would block the loop)
     */
    public T getBlocking(Duration timeout) throws InterruptedException {
        long nanos = Math.max(0, Durations.saturatedNanos(timeout));
        requireNoLoop("getBlocking", "get");
        Waiter w = reserveOrWait("getBlocking");
        if (w != null) {
            if (!awaitOnThread(w, getters, nanos)) {
                throw new QueueEmptyException(name("getBlocking") + ": no item came within " + timeout + ".");
            }
            reserveGranted(w, "getBlocking");
        }
        return takeReserved();
    }

    /**
     * Removes and returns the oldest item without waiting. Callable from any thread, task or
     * callback.
     *
     * @return the oldest item
     * @throws QueueEmptyException if the channel is empty
     * @throws QueueShutDownException if the channel is shut down and empty
     */
    public T getNowait() {
        T item;
        Waiter wake;
        lock.lock();
        try {
            if (available() == 0) {
                if (state != State.OPEN) {
                    throw shutDown("getNowait");
                }
                throw new QueueEmptyException(name("getNowait") + ": the channel is empty; use get() or "
                        + "getBlocking() to wait for an item.");
            }
            item = items.pollFirst();
            wake = grantPutter();
        } finally {
            lock.unlock();
        }
        signal(wake, true);
        return item;
    }

    /**
     * Reserves an item at once (null), or queues and returns a waiter.
     *
     * @throws QueueShutDownException if shut down and empty
     */
    private Waiter reserveOrWait(String call) {
        lock.lock();
        try {
            if (available() > 0) {
                reserved++;
                return null;
            }
            if (state != State.OPEN) {
                throw shutDown(call);
            }
            Waiter w = new Waiter();
            getters.add(w);
            return w;
        } finally {
            lock.unlock();
        }
    }

    /** A getter's wait ended: granted (it holds a reservation), or shut down (it reserves what is left, or throws). */
    private void reserveGranted(Waiter w, String call) {
        lock.lock();
        try {
            WaitState s = w.state;
            w.state = WaitState.GONE;
            if (s == WaitState.GRANTED) {
                return; // the reservation was counted when it was granted
            }
            if (available() > 0) { // shut down, but a cancelled getter left an item behind
                reserved++;
                return;
            }
            throw shutDown(call);
        } finally {
            lock.unlock();
        }
    }

    /** Takes the front item against a reservation held; the freed slot goes to the oldest putter. */
    private T takeReserved() {
        T item;
        Waiter wake;
        lock.lock();
        try {
            assert reserved > 0 && items.size() >= reserved : "take without a reservation: " + this;
            reserved--;
            item = items.pollFirst();
            wake = grantPutter();
        } finally {
            lock.unlock();
        }
        signal(wake, true);
        return item;
    }

    /** Gives a reservation back (its holder will not take): it passes to the oldest getter, or lapses. */
    private void releaseReservation() {
        Waiter wake;
        lock.lock();
        try {
            reserved--;
            if (state == State.SHUT_DOWN_IMMEDIATELY) {
                items.pollFirst(); // kept only for this holder: discarded, as the shutdown discarded the rest
                wake = grantPutter();
            } else {
                wake = grantGetter();
            }
        } finally {
            lock.unlock();
        }
        signal(wake, true);
    }

    // ================================================================= consuming

    /**
     * The channel's items as an async iterable for one consuming task, ending when the channel
     * is shut down and empty: the enhanced {@code for} over it is the loop around
     * {@link #get()} that stops at {@link QueueShutDownException}.
     *
     * <pre>{@code
     * for (Job job : jobs.consume()) {   // suspends while the channel is empty
     *     run(job);
     * }                                   // left once jobs.shutdown() was called and all were taken
     * }</pre>
     *
     * <ul>
     *   <li>{@code hasNext()} suspends until an item is granted to it (it is then reserved
     *       for {@code next()}) or the channel is shut down and empty (then it is false). A
     *       cancellation there moves no item.
     *   <li>The returned object is its own iterator; each consuming task calls
     *       {@code consume()} for itself.
     *   <li>{@code close()} ends the iteration; an item that {@code hasNext()} reserved and
     *       {@code next()} has not taken stays first in the channel, so leaving the loop early
     *       inside try-with-resources loses nothing (and holds nothing back).
     * </ul>
     *
     * <p>Callable from anywhere; the iterator must be used from inside a task.
     *
     * @return the items as an iterable that is its own iterator; close it when leaving early
     */
    public AsyncIterable<T> consume() {
        return new Consumer();
    }

    /** The iterable and iterator of {@link #consume()}; used by one task. */
    private final class Consumer implements AsyncIterable<T>, AsyncIterator<T> {
        private final AtomicBoolean waiting = new AtomicBoolean(); // refuses a second task waiting in hasNext()
        private volatile boolean holds; // a reservation taken by hasNext(), not yet used by next()
        private volatile boolean ended;

        @Override
        public AsyncIterator<T> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            if (holds) {
                return true;
            }
            if (ended) {
                return false;
            }
            requireTask("consume().hasNext", "getBlocking");
            if (!waiting.compareAndSet(false, true)) {
                throw new IllegalStateException(name("consume") + ": another task already waits in hasNext() of this"
                        + " consumer; each consuming task calls consume() for itself.");
            }
            try {
                Waiter w = reserveOrWait("consume");
                if (w != null) {
                    awaitInTask(w, getters);
                    reserveGranted(w, "consume");
                }
                holds = true;
                return true;
            } catch (QueueShutDownException e) {
                ended = true;
                return false;
            } finally {
                waiting.set(false);
            }
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException(name("consume") + ": the channel is shut down and empty");
            }
            holds = false;
            return takeReserved();
        }

        @Override
        public void close() {
            ended = true;
            if (holds) {
                holds = false;
                releaseReservation();
            }
        }

        @Override
        public String toString() {
            return Channel.this + ".consume()" + (ended ? " (ended)" : "");
        }
    }

    // ================================================================= shutdown

    /** Shuts the channel down, keeping its items for gets: {@code shutdown(false)}. Thread-safe. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the channel down (asyncio 3.13): later puts throw {@link QueueShutDownException};
     * gets take the items left and then throw it. Every task and thread waiting to put or get
     * is woken with it (the channel is empty if any waits to get). Thread-safe.
     *
     * <p>With {@code immediate}, the channel is also emptied at once, except items already
     * granted to getters that have not resumed yet: those getters still return theirs.
     * Calling it again does nothing, except that {@code immediate} empties a channel that was
     * shut down without it.
     *
     * @param immediate {@code true} to discard the items left, {@code false} to let getters take them
     */
    public void shutdown(boolean immediate) {
        List<Waiter> woken = new ArrayList<>();
        lock.lock();
        try {
            if (immediate && state != State.SHUT_DOWN_IMMEDIATELY) {
                state = State.SHUT_DOWN_IMMEDIATELY;
                while (items.size() > reserved) {
                    items.pollLast(); // the reserved ones are the front ones
                }
            } else if (state == State.OPEN) {
                state = State.SHUT_DOWN;
            }
            for (ArrayDeque<Waiter> waiters : List.of(getters, putters)) {
                Waiter w;
                while ((w = waiters.poll()) != null) {
                    w.state = WaitState.SHUT_DOWN;
                    woken.add(w);
                }
            }
        } finally {
            lock.unlock();
        }
        for (Waiter w : woken) {
            signal(w, false);
        }
    }

    // ================================================================= state

    /**
     * How many items are ready to get (not counting items granted to getters that have not
     * taken them yet). Thread-safe; a snapshot.
     *
     * @return the number of items a get could take now without waiting
     */
    public int size() {
        lock.lock();
        try {
            return available();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether no item is ready to get. Thread-safe; a snapshot.
     *
     * @return {@code true} if {@link #size()} is 0
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * Whether a put would wait now: the channel is bounded, and its items plus the slots
     * granted to putters that have not resumed yet reach {@code maxsize}. Thread-safe; a snapshot.
     *
     * @return {@code true} if a put would wait now
     */
    public boolean isFull() {
        lock.lock();
        try {
            return full();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bound given at construction, or {@code 0} for an unbounded channel.
     *
     * @return the bound, or 0 for an unbounded channel
     */
    public int maxsize() {
        return maxsize;
    }

    /**
     * Whether {@link #shutdown(boolean)} was called. Thread-safe.
     *
     * @return {@code true} once the channel has been shut down; it stays so
     */
    public boolean isShutDown() {
        lock.lock();
        try {
            return state != State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    /** How many wait to get and to put, and how many grants are outstanding (tests). */
    int[] waiterCounts() {
        lock.lock();
        try {
            return new int[] {getters.size(), putters.size(), reserved, granted};
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Channel@" + Integer.toHexString(System.identityHashCode(this)) + " [size:" + available()
                    + ", maxsize:" + maxsize + ", getters:" + getters.size() + ", putters:" + putters.size()
                    + (state == State.OPEN ? "" : ", " + state.name().toLowerCase().replace('_', ' ')) + "]";
        } finally {
            lock.unlock();
        }
    }

    // ================================================================= internals (lock held unless said)

    private int available() {
        return items.size() - reserved;
    }

    private boolean full() {
        return maxsize > 0 && items.size() + granted >= maxsize;
    }

    /** Adds an item at the back; returns the getter granted it, if one waited. */
    private Waiter insert(T item) {
        items.addLast(item);
        return grantGetter();
    }

    /** Grants an available item to the oldest waiting getter; returns it, or null. */
    private Waiter grantGetter() {
        if (available() > 0) {
            Waiter w = getters.poll();
            if (w != null) {
                w.state = WaitState.GRANTED;
                reserved++;
                return w;
            }
        }
        return null;
    }

    /** Grants a free slot to the oldest waiting putter; returns it, or null. */
    private Waiter grantPutter() {
        if (!full()) {
            Waiter w = putters.poll();
            if (w != null) {
                w.state = WaitState.GRANTED;
                granted++;
                return w;
            }
        }
        return null;
    }

    /** Undoes what a waiter that gives up holds (lock not held). */
    private void giveUp(Waiter w, ArrayDeque<Waiter> waiters) {
        Waiter wake = null;
        boolean reservation = false;
        lock.lock();
        try {
            switch (w.state) {
                case WAITING -> waiters.remove(w);
                case GRANTED -> {
                    if (waiters == getters) {
                        reservation = true;
                    } else {
                        granted--; // a slot it will not use: the next putter's
                        wake = grantPutter();
                    }
                }
                case SHUT_DOWN, GONE -> {
                    // nothing held
                }
            }
            w.state = WaitState.GONE;
        } finally {
            lock.unlock();
        }
        if (reservation) {
            releaseReservation();
        }
        signal(wake, true);
    }

    /** Wakes a waiter granted or shut down under the lock (lock not held: this may run its loop's door). */
    private static void signal(Waiter w, boolean granted) {
        if (w != null) {
            w.signal.complete(granted);
        }
    }

    /** Suspends the task until {@code w} is granted or shut down; on cancellation gives up and rethrows. */
    private void awaitInTask(Waiter w, ArrayDeque<Waiter> waiters) {
        try {
            Async.await(w.signal);
        } catch (RuntimeException | Error e) {
            giveUp(w, waiters);
            throw e;
        } catch (Exception e) {
            giveUp(w, waiters);
            throw new IllegalStateException("internal error in dev.simmer.sync, please report: a channel waiter "
                    + "failed", e);
        }
    }

    /**
     * Blocks until {@code w} is granted or shut down, at most {@code nanos} (negative: no
     * limit); false if it timed out still waiting (it gave up). On interrupt it gives up and
     * throws.
     */
    private boolean awaitOnThread(Waiter w, ArrayDeque<Waiter> waiters, long nanos) throws InterruptedException {
        try {
            if (nanos < 0) {
                w.signal.get();
            } else {
                w.signal.get(nanos, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (TimeoutException timedOut) {
            lock.lock();
            try {
                if (w.state != WaitState.WAITING) {
                    return true; // granted or shut down just in time: go on as if woken
                }
                waiters.remove(w);
                w.state = WaitState.GONE;
                return false;
            } finally {
                lock.unlock();
            }
        } catch (InterruptedException e) {
            giveUp(w, waiters);
            throw e;
        } catch (ExecutionException e) {
            giveUp(w, waiters);
            throw new IllegalStateException("internal error in dev.simmer.sync, please report: a channel waiter "
                    + "failed", e);
        }
    }

    private void checkItem(T item, String call) {
        if (item == null) {
            throw new NullPointerException(name(call) + ": items may not be null");
        }
    }

    /** The calling code is a task (of any loop); else a clear error naming the blocking form for threads. */
    private void requireTask(String call, String blockingForm) {
        Task<?> t;
        try {
            t = Async.currentTask();
        } catch (IllegalStateException noLoop) {
            throw new IllegalStateException(name(call) + " suspends a task, and this thread runs no event loop: "
                    + "call it from a task, or use " + name(blockingForm) + " on a plain thread.", noLoop);
        }
        if (t == null) {
            throw new IllegalStateException(name(call) + " may suspend, so it must be called from inside a task, not"
                    + " from a plain callback: wrap the code in Async.createTask(...), or use the Nowait form.");
        }
    }

    /** The calling thread runs no event loop; else a clear error (blocking it would stop every task of the loop). */
    private void requireNoLoop(String call, String taskForm) {
        try {
            Async.loop();
        } catch (IllegalStateException noLoop) {
            return;
        }
        throw new IllegalStateException(name(call) + " blocks its thread, and this thread runs an event loop: it "
                + "would stop every task of the loop. In a task use " + name(taskForm) + "(), which suspends the task "
                + "only.");
    }

    private QueueShutDownException shutDown(String call) {
        return new QueueShutDownException(name(call) + ": the channel is shut down"
                + (call.startsWith("get") || call.startsWith("consume") ? " and empty." : "."));
    }

    private static String name(String call) {
        return "Channel." + call;
    }

}
