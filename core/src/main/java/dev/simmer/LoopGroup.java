package dev.simmer;

import dev.simmer.internal.FirstFailure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Several event loops, each on a {@link LoopThread} of its own: one loop per core, for a
 * program that outgrows one core (Netty's {@code EventLoopGroup}, a shard per core in
 * Seastar). Each loop stays single-threaded and its tasks stay on it; work crosses loops
 * through a {@link dev.simmer.sync.Channel} or a future
 * ({@code Async.await(otherTask.toCompletableFuture())}).
 *
 * <pre>{@code
 * try (LoopGroup group = LoopGroup.start()) {          // one loop per available core
 *     List<CompletableFuture<Integer>> parts = new ArrayList<>();
 *     for (List<String> shard : shards) {
 *         parts.add(group.submit(() -> countWords(shard))); // round-robin over the loops
 *     }
 *     int total = 0;
 *     for (CompletableFuture<Integer> part : parts) {
 *         total += part.join();
 *     }
 *     System.out.println(total);
 * }   // close(): cancels what still runs on every loop, waits, no thread is left
 * }</pre>
 *
 * <ul>
 *   <li>{@link #next()} picks the loops in turn (round-robin); {@link #loops()} lists them
 *       for code that spreads work itself (by key, say: {@code loops().get(key.hashCode() % n)},
 *       with a non-negative remainder).
 *   <li>A task belongs to the loop it was created on: awaiting a task of another loop
 *       directly is an {@link IllegalStateException}; await
 *       {@code other.toCompletableFuture()} with {@link Async#await} instead, and cancelling
 *       the waiter leaves the other task alone.
 *   <li>Each loop keeps waiting for work from outside while the group is open, as a
 *       {@link LoopThread} does: no loop reports a deadlock, and a virtual clock would never
 *       move. Use real time with a group; test the code of one loop on a virtual clock with
 *       {@link Async#run} or {@link Runner}.
 *   <li>Between loops, pass items through a {@link dev.simmer.sync.Channel}; to spread a
 *       server's connections over the loops, start it with
 *       {@link dev.simmer.io.ShardedServer#start ShardedServer.start(group, ...)}.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} must not be called from one of the group's own loops
 * (nor from work they handed to other threads): it would wait for itself.
 */
public final class LoopGroup implements AutoCloseable {
    private final List<LoopThread> loops;
    private final AtomicInteger turn = new AtomicInteger();
    /** Submissions hold it shared while they hand work over; close() takes it to stop accepting. */
    private final ReentrantReadWriteLock accepting = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private LoopGroup(List<LoopThread> loops) {
        this.loops = List.copyOf(loops);
    }

    /**
     * Starts one loop per available core ({@link Runtime#availableProcessors()}), with the
     * default options.
     *
     * @return the running group; close it when done
     */
    public static LoopGroup start() {
        return start(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Starts {@code n} loops, each on a new daemon thread, with the default options.
     *
     * @param n how many loops; at least 1
     * @return the running group; close it when done
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public static LoopGroup start(int n) {
        return start(n, Runner.create());
    }

    /**
     * Starts {@code n} loops with {@code runner}'s options (debug mode, exception handler,
     * schedule fuzzing, JFR events): each loop is made by {@code runner} as
     * {@link LoopThread#start(Runner)} makes its own.
     *
     * <pre>{@code
     * LoopGroup group = LoopGroup.start(4, Runner.create()
     *         .debug(true)                                   // report steps that block a loop
     *         .exceptionHandler(report -> log.warn(report.message(), report.exception())));
     * }</pre>
     *
     * @param n how many loops; at least 1
     * @param runner the options of every loop; leave virtual time off (it would never advance), and give no
     *     {@link TestClock} (a clock serves one loop); not {@code null}
     * @return the running group, once every loop is ready; close it when done
     * @throws IllegalArgumentException if {@code n} is less than 1
     */
    public static LoopGroup start(int n, Runner runner) {
        if (n < 1) {
            throw new IllegalArgumentException("LoopGroup.start needs at least one loop, was asked for " + n);
        }
        Objects.requireNonNull(runner, "runner");
        List<LoopThread> started = new ArrayList<>(n);
        try {
            for (int i = 0; i < n; i++) {
                started.add(LoopThread.start(runner));
            }
        } catch (Throwable e) {
            for (LoopThread t : started) {
                try {
                    t.close();
                } catch (Throwable other) {
                    e.addSuppressed(other);
                }
            }
            throw e;
        }
        return new LoopGroup(started);
    }

    /**
     * The group's loops, in a fixed order. Each is a {@link LoopThread}: submit to a chosen
     * one, or use its {@link LoopThread#loop() loop}'s thread-safe methods. Closing one of
     * them by hand leaves a closed loop in the group; close the group instead.
     *
     * @return an unmodifiable list of the loops, as many as the group was started with
     */
    public List<LoopThread> loops() {
        return loops;
    }

    /**
     * The next loop in turn (round-robin over {@link #loops()}). Thread-safe: concurrent
     * callers get the loops in turn between them. It still answers after {@link #close()};
     * what is submitted to the closed loop fails.
     *
     * @return one of the group's loops
     */
    public LoopThread next() {
        return loops.get(Math.floorMod(turn.getAndIncrement(), loops.size()));
    }

    /**
     * Runs {@code body} as a task on the {@linkplain #next() next} loop and returns a future
     * of its result. Cancelling the future cancels the task.
     *
     * @param <T> the type of the body's result
     * @param body the coroutine to run; not {@code null}
     * @return a future of the task's result or failure; completed exceptionally with a
     *     {@link RejectedExecutionException} if the group is closed, or with a
     *     {@link CancelledException} if the task was still running when the group closed
     */
    public <T> CompletableFuture<T> submit(AsyncCallable<T> body) {
        Objects.requireNonNull(body, "body");
        accepting.readLock().lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new RejectedExecutionException("LoopGroup.submit: the group is "
                        + "closed and accepts no more work; submit before close(), or start a new group."));
            }
            return next().submit(body);
        } finally {
            accepting.readLock().unlock();
        }
    }

    /**
     * {@link #submit(AsyncCallable)} for a body with no result.
     *
     * @param body the coroutine to run; not {@code null}
     * @return a future completed with {@code null} or the task's failure, as for {@link #submit(AsyncCallable)}
     */
    public CompletableFuture<Void> submit(AsyncRunnable body) {
        return submit(Objects.requireNonNull(body, "body").asCallable());
    }

    /**
     * How many loops the group has.
     *
     * @return the number of loops, fixed at start
     */
    public int size() {
        return loops.size();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once the group stopped accepting work
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops accepting work ({@link #submit} then fails), then closes every loop as
     * {@link LoopThread#close()} does: tasks still running are cancelled and run until they
     * have ended, then the thread ends. Returns once no thread of the group is left. Every
     * loop is closed even if closing one fails; then the first failure is thrown, with the
     * others attached as suppressed (an error the JVM made without room for suppressed
     * exceptions, such as a real {@code StackOverflowError}, cannot carry them: the others are
     * then logged as errors through {@link System.Logger} "dev.simmer"). Calling it again does
     * nothing.
     *
     * @throws IllegalStateException if called from one of the group's loops, or from work one of them handed to
     *     another thread ({@link Async#toThread}): it would wait for itself; nothing is closed then. Or, with
     *     the failure as its cause, if a loop had died of an exception
     * @throws Error the error a loop died of, unchanged
     */
    @Override
    public void close() {
        for (LoopThread t : loops) { // refuse before changing anything
            if (t.closeWouldWaitForItself()) {
                throw new IllegalStateException("LoopGroup.close() was called from one of the group's own loops (or "
                        + "from work it handed to another thread): it would wait for itself. Close the group from "
                        + "the thread that started it, or from any thread that is not working for it.");
            }
        }
        accepting.writeLock().lock();
        try {
            closed = true;
        } finally {
            accepting.writeLock().unlock();
        }
        FirstFailure failures = new FirstFailure("LoopGroup.close()");
        for (LoopThread t : loops) {
            try {
                t.close();
            } catch (Throwable e) {
                failures.add(e);
            }
        }
        failures.throwIfAny("LoopGroup.close(): a loop failed to close");
    }

    @Override
    public String toString() {
        long alive = loops.stream().filter(LoopThread::isAlive).count();
        return "LoopGroup[" + loops.size() + " loops" + (closed ? ", closed" : "") + (alive < loops.size() && !closed
                ? ", " + (loops.size() - alive) + " stopped" : "") + "]";
    }
}
