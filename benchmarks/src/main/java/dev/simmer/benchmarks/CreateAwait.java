package dev.simmer.benchmarks;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.EngineKind;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Create and await an empty task: {@code Async.createTask(() -> x).await()} from inside a task.
 * One operation is one child task made, started on the next pass, run to its end, and its
 * result handed to the awaiting parent, which is resumed. Average time per task, in ns.
 *
 * <p>Runtimes, each in its own fork, in the same run:
 * <ul>
 *   <li>{@link #rawContinuation()}: the floor. A bare {@code jdk.internal.vm.Continuation} made
 *       and run to completion. It has no parent to suspend and resume, so Simmer's operation
 *       also holds a parent switch that this floor does not (compare with
 *       {@link YieldRoundTrip#rawContinuation()}, which holds two switches).</li>
 *   <li>{@link #simmerContinuation()}: Simmer's fast path ({@code -Dsimmer.engine=continuation}).</li>
 *   <li>{@link #simmerThreads()}: Simmer's portable path ({@code -Dsimmer.engine=threads}).</li>
 *   <li>{@link #virtualThreads()}: the JDK peer. A parent virtual thread starts a child virtual
 *       thread and joins it, on one carrier ({@code -Djdk.virtualThreadScheduler.parallelism=1}).</li>
 * </ul>
 * Each invocation makes {@value #TASKS} tasks inside one {@code Async.run} (or one parent).
 *
 * <p>Run it alone, quickly, with the allocation profiler:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CreateAwait -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CreateAwait {
    /** Tasks created and awaited per benchmark invocation. */
    static final int TASKS = 10_000;

    private static final Integer X = 1;
    private static final AsyncCallable<Integer> EMPTY = () -> X;
    private static final Runnable NOTHING = () -> { };

    /** Floor: make a bare continuation and run it to completion, {@value #TASKS} times. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT})
    public int rawContinuation() {
        int done = 0;
        for (int i = 0; i < TASKS; i++) {
            Object c = RawContinuation.create(NOTHING);
            RawContinuation.run(c);
            if (RawContinuation.isDone(c)) {
                done++;
            }
        }
        return done;
    }

    /** Simmer on the fast path: {@code Async.createTask(() -> x).await()} in the main task. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return simmerCreateAwait();
    }

    /** Simmer on the portable path: the same program as {@link #simmerContinuation()}. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return simmerCreateAwait();
    }

    /** JDK peer: a parent virtual thread starts and joins an empty child, on one carrier. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        int[] done = new int[1];
        Thread parent = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < TASKS; i++) {
                    Thread.startVirtualThread(NOTHING).join();
                    done[0]++;
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        parent.join();
        return done[0];
    }

    private static int simmerCreateAwait() throws Exception {
        return Async.run(() -> {
            int sum = 0;
            for (int i = 0; i < TASKS; i++) {
                sum += Async.createTask(EMPTY).await();
            }
            return sum;
        });
    }
}
