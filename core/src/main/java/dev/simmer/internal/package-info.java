/**
 * Simmer's internals: the engines that make, resume and suspend coroutines, the loop's
 * pass, the timer heap and the clocks. <strong>Not API:</strong> nothing here is stable, and code outside
 * Simmer must not use it. The public API lives in {@code dev.simmer}.
 *
 * <p>Where to look first:
 * <ul>
 *   <li>{@link dev.simmer.internal.Engine} and its two implementations,
 *       {@link dev.simmer.internal.ContinuationEngine} (fast path) and
 *       {@link dev.simmer.internal.ThreadEngine} (portable path);
 *       {@link dev.simmer.internal.Engines} picks one at start.</li>
 *   <li>{@link dev.simmer.internal.Scheduler}: the loop's pass (ready queue, inbox, timers,
 *       selector, schedule fuzzing, the wait for work); the loop runs what it hands out.</li>
 *   <li>{@link dev.simmer.internal.TimerHeap}: timers ordered by (deadline, sequence).</li>
 *   <li>{@link dev.simmer.internal.Clock}: where the loop reads time.</li>
 * </ul>
 * The loop itself is {@link dev.simmer.EventLoop}; a task is {@link dev.simmer.Task}.
 */
package dev.simmer.internal;
