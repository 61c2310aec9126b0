package dev.simmer.benchmarks;

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
 * Create, run and await an empty task, one of {@value #TASKS} in a row: one operation is one
 * child made, started on a later pass, run to its end, and its result handed to the awaiting
 * parent, which is resumed. Average time per task, in ns.
 *
 * <p>Runtimes, each in its own fork: {@link #rawContinuation()} (the floor: a bare
 * continuation made and run to its end; it has no parent to suspend and resume, so it holds
 * one switch less than the others), Simmer's {@code Async.createTask(() -> x).await()} on both
 * engines, virtual threads ({@code startVirtualThread(r).join()} from a parent virtual
 * thread, one carrier), kotlinx.coroutines ({@code async { x }.await()} in
 * {@code runBlocking}) and CompletableFuture ({@code supplyAsync} on a single-thread executor,
 * the next one made in its dependent stage).
 *
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
    static final int TASKS = 100_000;

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

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return SimmerPeer.createAwait(TASKS);
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return SimmerPeer.createAwait(TASKS);
    }

    /** Virtual threads, start + join, one carrier. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        return VirtualThreadPeer.createAwait(TASKS);
    }

    /** kotlinx.coroutines, {@code async { x }.await()} in {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinPeer.createAwait(TASKS);
    }

    /** CompletableFuture on a single-thread executor. */
    @Benchmark
    @OperationsPerInvocation(TASKS)
    @Fork(Jvm.FORKS)
    public int completableFuture(FutureState state) {
        return state.future.createAwait(TASKS);
    }
}
