package dev.simmer.benchmarks;

import dev.simmer.EngineKind;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Gather of {@code width} trivial tasks (1,000 and 100,000): children made, run, and their
 * results collected in order. Each invocation gathers {@value #CHILDREN} children in all
 * ({@code CHILDREN / width} gathers), and one operation is one child: the score is the average
 * time per child, in ns (multiply by the width for a whole gather).
 *
 * <p>Runtimes, each in its own fork: {@link #rawContinuation()} (the floor: {@code width}
 * bare continuations made, then each run to its end), Simmer's {@code Async.gather(bodies)} on
 * both engines, virtual threads (start them all, then join them all; one carrier),
 * kotlinx.coroutines ({@code List(n) { async { x } }.awaitAll()} in {@code runBlocking}) and
 * CompletableFuture ({@code supplyAsync} each, then {@code allOf}, on a single-thread executor).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Gather -p width=1000 -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class Gather {
    /** Children per benchmark invocation, over all its gathers. */
    static final int CHILDREN = 100_000;

    /** Children per gather. */
    @Param({"1000", "100000"})
    public int width;

    private static final Runnable NOTHING = () -> { };

    /** Floor: {@code width} bare continuations made, then each run to completion, per gather. */
    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT})
    public int rawContinuation() {
        int done = 0;
        for (int g = 0; g < CHILDREN / width; g++) {
            Object[] children = new Object[width];
            for (int i = 0; i < width; i++) {
                children[i] = RawContinuation.create(NOTHING);
            }
            for (Object c : children) {
                RawContinuation.run(c);
                if (RawContinuation.isDone(c)) {
                    done++;
                }
            }
        }
        return done;
    }

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return SimmerPeer.gather(width, CHILDREN / width);
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return SimmerPeer.gather(width, CHILDREN / width);
    }

    /** Virtual threads, start all then join all, one carrier. */
    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        return VirtualThreadPeer.gather(width, CHILDREN / width);
    }

    /** kotlinx.coroutines, {@code async} each then {@code awaitAll} in {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinPeer.gather(width, CHILDREN / width);
    }

    /** CompletableFuture, {@code supplyAsync} each then {@code allOf}, on a single-thread executor. */
    @Benchmark
    @OperationsPerInvocation(CHILDREN)
    @Fork(Jvm.FORKS)
    public int completableFuture(FutureState state) {
        return state.future.gather(width, CHILDREN / width);
    }
}
