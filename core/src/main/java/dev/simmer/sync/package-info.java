/**
 * Synchronization primitives and queues for tasks, with asyncio's names and semantics.
 *
 * <table>
 *   <caption>asyncio beside Simmer</caption>
 *   <tr><th>asyncio</th><th>Simmer</th><th>note</th></tr>
 *   <tr><td>{@code async with lock:}</td><td>{@code try (var held = lock.acquire()) { ... }}</td>
 *       <td>{@link dev.simmer.sync.Lock}: owned by a task, not reentrant</td></tr>
 *   <tr><td>{@code Event}: {@code set}, {@code clear}, {@code is_set}, {@code await wait()}</td>
 *       <td>{@link dev.simmer.sync.Event}: {@code set()}, {@code clear()}, {@code isSet()}, {@code await()}</td>
 *       <td></td></tr>
 *   <tr><td>{@code Semaphore}, {@code BoundedSemaphore}</td>
 *       <td>{@link dev.simmer.sync.Semaphore}, {@link dev.simmer.sync.BoundedSemaphore}</td>
 *       <td>over-release of the bounded one: {@code IllegalStateException} ({@code ValueError})</td></tr>
 *   <tr><td>{@code Condition}: {@code wait}, {@code wait_for}, {@code notify(n)}, {@code notify_all}</td>
 *       <td>{@link dev.simmer.sync.Condition}: {@code await()}, {@code awaitUntil(p)}, {@code signal(n)},
 *       {@code signalAll()}</td>
 *       <td>{@code Object.wait/notify} are final</td></tr>
 *   <tr><td>{@code Barrier}: {@code wait}, {@code abort}, {@code reset}, {@code broken}</td>
 *       <td>{@link dev.simmer.sync.Barrier}: {@code await()}, {@code abort()}, {@code reset()},
 *       {@code isBroken()}</td>
 *       <td>{@link dev.simmer.sync.BrokenBarrierException}</td></tr>
 *   <tr><td>{@code Queue}, {@code PriorityQueue}, {@code LifoQueue}</td>
 *       <td>{@link dev.simmer.sync.Queue}, {@link dev.simmer.sync.PriorityQueue},
 *       {@link dev.simmer.sync.LifoQueue}</td>
 *       <td>{@code put}, {@code get}, {@code putNowait}, {@code getNowait}, {@code taskDone},
 *       {@code join}, {@code shutdown(immediate)}</td></tr>
 *   <tr><td>{@code QueueFull}, {@code QueueEmpty}, {@code QueueShutDown}</td>
 *       <td>{@link dev.simmer.sync.QueueFullException}, {@link dev.simmer.sync.QueueEmptyException},
 *       {@link dev.simmer.sync.QueueShutDownException}</td>
 *       <td>unchecked</td></tr>
 *   <tr><td>{@code while True: x = await q.get()} until {@code QueueShutDown}</td>
 *       <td>{@code for (T x : q.consume())}</td><td>{@link dev.simmer.sync.Queue#consume()}</td></tr>
 *   <tr><td>(no asyncio equivalent: a queue between event loops)</td>
 *       <td>{@link dev.simmer.sync.Channel}</td>
 *       <td>between tasks of different loops and plain threads; {@code Queue}'s names</td></tr>
 * </table>
 *
 * <h2>Why not {@code synchronized} or {@code java.util.concurrent}</h2>
 *
 * On the fast path every task runs on the loop thread. A monitor or a {@code ReentrantLock}
 * is then held by the thread, not by a task, so it excludes nothing between tasks (and the
 * JDK refuses to suspend a continuation inside {@code synchronized} before JDK 24). A blocking
 * call (a JUC {@code Semaphore}, latch, {@code BlockingQueue}) blocks the loop thread, and so
 * every task on it, usually for good: the task that would release it cannot run. These
 * primitives suspend the waiting task instead, cost no lock or atomic operation on their fast
 * paths (their state is confined to the loop thread), and behave the same on both engines. To
 * share data with other threads, hand the work to the loop ({@code callSoonThreadsafe}) or
 * off it ({@code Async.toThread}).
 *
 * <h2>Rules common to all of them</h2>
 *
 * <ul>
 *   <li><b>Thread contract.</b> Must be called from the loop thread: from a task, or (for the
 *       calls that do not wait and need no owner, such as {@code Event.set()},
 *       {@code Semaphore.release()}, {@code putNowait}) from a plain callback. A call that may suspend needs a task. A primitive is bound to
 *       the loop that first uses it; using it from another loop, or from a thread with no
 *       running loop, is an {@link java.lang.IllegalStateException} that says what to do.
 *   <li><b>Fair (FIFO).</b> Waiters are served in the order they started waiting. What is
 *       released goes straight to the oldest waiter: a lock's ownership, a permit, a signal,
 *       a queue item (to the oldest getter) or a free slot (to the oldest putter). A task
 *       arriving later cannot barge in, so {@code tryAcquire()} is false while anyone waits.
 *       A call that can proceed at once and has nobody ahead of it does not suspend.
 *   <li><b>Cancellation-safe.</b> A task cancelled while it waits leaves the queue of
 *       waiters. One cancelled at the moment it was granted, before it ran again, hands what
 *       it was granted on, to the next waiter, before its
 *       {@link dev.simmer.CancelledException} propagates: a lock or permit to the next waiter,
 *       a signal to the next waiter of the condition, a queue item back to the queue at the
 *       place it had (or to the next getter), a queue slot to the next putter. Nothing is lost,
 *       nothing is granted twice, and a {@code CancelledException} out of {@code get} or
 *       {@code put} always means the item did not move. A {@link dev.simmer.sync.Condition}
 *       re-acquires its lock before {@code await()} returns or throws.
 *   <li><b>Misuse is an error, not a hang.</b> Re-acquiring a {@code Lock} from its holder,
 *       releasing one from another task, signalling a condition without its lock, releasing a
 *       {@code BoundedSemaphore} too often, or calling {@code taskDone()} too often is an
 *       {@link java.lang.IllegalStateException} naming the cause.
 *   <li><b>Waiting and waking.</b> Waiting is {@code await()} (or {@code acquire()},
 *       {@code get()}, {@code put()}, {@code join()}), waking is {@code set()},
 *       {@code release()} or {@code signal()}: {@code Object.wait/notify} are final.
 *   <li><b>try-with-resources.</b> {@code acquire()} returns a {@link dev.simmer.sync.Held},
 *       whose {@code close()} releases, so try-with-resources is {@code async with}. A block
 *       that never names the handle draws javac's {@code -Xlint:try} note "never referenced";
 *       on Java 22 and later, name it {@code _}.
 * </ul>
 *
 * <h2>Queues</h2>
 *
 * Unbounded, or bounded by {@code maxsize}; {@code put}/{@code get} suspend while full/empty,
 * {@code putNowait}/{@code getNowait} throw {@link dev.simmer.sync.QueueFullException} /
 * {@link dev.simmer.sync.QueueEmptyException}. {@code taskDone()}/{@code join()} count
 * unfinished items. {@code shutdown(immediate)} follows asyncio 3.13: puts fail at once, gets
 * drain what is left then fail, every waiting {@code put}/{@code get} is woken with
 * {@link dev.simmer.sync.QueueShutDownException}; {@code immediate} also discards the items,
 * each counted done for {@code join()}. Items handed to a getter that has not resumed, and
 * slots granted to a putter that has not resumed, count toward {@code isFull()}, so a queue
 * never holds more than {@code maxsize}. {@link dev.simmer.sync.PriorityQueue} orders by the
 * natural order or a comparator (equal items first in, first out),
 * {@link dev.simmer.sync.LifoQueue} newest first; an item a cancelled getter gives back
 * returns to its place in every order.
 *
 * <h2>How they are built and tested</h2>
 *
 * Only on the public API of {@code dev.simmer}, outside the kernel: each waiting task waits
 * on a {@link dev.simmer.Promise} of its own, and the promise's value says what it was
 * granted. The tests check each primitive against a sequential model under random operation
 * sequences, including a cancellation in the very pass of a grant ({@code SyncModelTest}, the
 * single-loop counterpart of Lincheck), and under thousands of tasks with random
 * cancellations ({@code SyncStressTest}, {@code QueueStressTest}).
 */
package dev.simmer.sync;
