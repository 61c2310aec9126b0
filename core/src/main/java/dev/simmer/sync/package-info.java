/**
 * Synchronization primitives for tasks, with asyncio's names and semantics: {@link
 * dev.simmer.sync.Lock}, {@link dev.simmer.sync.Event}, {@link dev.simmer.sync.Semaphore},
 * {@link dev.simmer.sync.BoundedSemaphore}, {@link dev.simmer.sync.Condition},
 * {@link dev.simmer.sync.Barrier}, and queues.
 *
 * <p>Why these and not {@code synchronized}, {@code ReentrantLock} or
 * {@code java.util.concurrent}: on the fast path every task runs on the loop thread, so a
 * monitor or a {@code ReentrantLock} gives no exclusion between tasks, and a blocking call
 * (a JUC semaphore, latch or queue) blocks the loop and every task on it. These primitives
 * suspend the waiting task instead, and behave the same on both engines.
 *
 * <p>Common rules:
 * <ul>
 *   <li>Must be called from the loop thread. A primitive is bound to the loop that first uses
 *       it; using it from another loop is an {@link java.lang.IllegalStateException}, and so is
 *       using it from a thread with no running loop.
 *   <li>Waiting is {@code await()} (or {@code acquire()}) and waking is {@code set()},
 *       {@code release()} or {@code signal()}: {@code Object.wait/notify} are final.
 *   <li>Fair: waiters are served in the order they started waiting; what is released goes
 *       straight to the oldest waiter. A call that can proceed at once and has nobody ahead
 *       does not suspend.
 *   <li>Cancellation-safe: a task cancelled while it waits leaves the queue; one cancelled at
 *       the moment it was granted (before it ran again) hands the lock, permit or signal on
 *       to the next waiter before its {@link dev.simmer.CancelledException} propagates.
 *       Nothing is lost, nothing is granted twice.
 *   <li>{@code acquire()} returns a {@link dev.simmer.sync.Held}, so try-with-resources is
 *       {@code async with}.
 * </ul>
 *
 * <p>Built only on the public API of {@code dev.simmer} (promises as waiters), outside the
 * kernel.
 */
package dev.simmer.sync;
