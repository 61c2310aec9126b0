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
 * Yield round trip between two tasks: tasks A and B each yield in a loop. One operation is one
 * round trip, A yields once and B yields once, so it holds two task switches (suspend, queue,
 * resume). Average time per round trip, in ns; with {@code -prof gc}, bytes per round trip
 * (two suspensions).
 *
 * <p>Runtimes, each in its own fork:
 * <ul>
 *   <li>{@link #rawContinuation()}: the floor. Two bare {@code jdk.internal.vm.Continuation}s
 *       that yield alternately, driven by a plain {@code for} loop: no event loop, no ready
 *       queue, no task objects.</li>
 *   <li>{@link #simmerContinuation()}, {@link #simmerThreads()}: {@code Async.yieldNow()} on
 *       Simmer's fast path and on its portable path ({@link SimmerPeer#yieldRoundTrip}).</li>
 *   <li>{@link #virtualThreads()}: two virtual threads hand a baton with park/unpark, one carrier.</li>
 *   <li>{@link #kotlinx()}: two coroutines calling {@code yield()} in {@code runBlocking}.</li>
 *   <li>{@link #completableFuture()}: two chains re-submitting their next step to a
 *       single-thread executor.</li>
 * </ul>
 * Each invocation runs {@value #ROUND_TRIPS} round trips, so the set-up is amortized away.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar YieldRoundTrip -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class YieldRoundTrip {
    /** Round trips per benchmark invocation. */
    static final int ROUND_TRIPS = 10_000;

    private static final Runnable RAW_YIELDER = () -> {
        for (int i = 0; i < ROUND_TRIPS; i++) {
            RawContinuation.yieldNow();
        }
    };

    /** Floor: two bare continuations run alternately by a {@code for} loop. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT})
    public boolean rawContinuation() {
        Object a = RawContinuation.create(RAW_YIELDER);
        Object b = RawContinuation.create(RAW_YIELDER);
        for (int i = 0; i <= ROUND_TRIPS; i++) { // the last pass lets both bodies return
            RawContinuation.run(a);
            RawContinuation.run(b);
        }
        if (!RawContinuation.isDone(a) || !RawContinuation.isDone(b)) {
            throw new AssertionError("the yielders did not finish");
        }
        return true;
    }

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return SimmerPeer.yieldRoundTrip(ROUND_TRIPS);
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return SimmerPeer.yieldRoundTrip(ROUND_TRIPS);
    }

    /** Virtual threads, park/unpark, one carrier. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        return VirtualThreadPeer.yieldRoundTrip(ROUND_TRIPS);
    }

    /** kotlinx.coroutines, {@code yield()} in {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinPeer.yieldRoundTrip(ROUND_TRIPS);
    }

    /** CompletableFuture steps on a single-thread executor. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(Jvm.FORKS)
    public int completableFuture(FutureState state) {
        return state.future.yieldRoundTrip(ROUND_TRIPS);
    }
}
