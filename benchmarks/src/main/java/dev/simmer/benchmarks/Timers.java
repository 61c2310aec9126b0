package dev.simmer.benchmarks;

import dev.simmer.EngineKind;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@value #TIMERS} tasks, each sleeping a pseudo-random 0 to 100 ms (the same delays for every
 * runtime, from a fixed seed: {@link #delays()}), all awaited. One operation is the whole run,
 * from making the first task to the last one's end, on the real clock: Simmer on its system
 * clock, the others on theirs. Average time per run, in ms (a run lasts 100 to a few hundred
 * ms, so each 1 s iteration holds several); the report subtracts the longest delay (100 ms)
 * to show the overhead.
 *
 * <p>Runtimes, each in its own fork: Simmer ({@code Async.sleep}) on both engines, virtual
 * threads ({@code Thread.sleep}, one carrier), kotlinx.coroutines ({@code delay} in
 * {@code runBlocking}) and CompletableFuture (futures completed by a single-thread
 * {@code ScheduledExecutorService}). There is no raw-continuation floor: a bare continuation
 * has no timer.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Timers -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class Timers {
    /** Sleeping tasks per run. */
    static final int TIMERS = 100_000;
    /** Longest delay, ms; the report's overhead is the score minus this. */
    static final int MAX_DELAY_MS = 100;

    private static final int[] DELAYS = delays();

    /**
     * The delays, in ms, 0 to {@value #MAX_DELAY_MS} inclusive: a 64-bit LCG (Knuth's MMIX
     * constants) seeded with 42, its high bits taken modulo 101. The Python scripts
     * ({@code benchmarks/python/workloads.py}) compute the same sequence; the last delay is
     * set to exactly {@value #MAX_DELAY_MS} so every run lasts at least that long.
     */
    static int[] delays() {
        int[] d = new int[TIMERS];
        long x = 42;
        for (int i = 0; i < TIMERS; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            d[i] = (int) Long.remainderUnsigned(x >>> 33, MAX_DELAY_MS + 1);
        }
        d[TIMERS - 1] = MAX_DELAY_MS;
        return d;
    }

    /** Simmer, fast path. */
    @Benchmark
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return SimmerPeer.timers(DELAYS);
    }

    /** Simmer, portable path. */
    @Benchmark
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return SimmerPeer.timers(DELAYS);
    }

    /** Virtual threads, {@code Thread.sleep}, one carrier. */
    @Benchmark
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        return VirtualThreadPeer.timers(DELAYS);
    }

    /** kotlinx.coroutines, {@code delay} in {@code runBlocking}. */
    @Benchmark
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinPeer.timers(DELAYS);
    }

    /** CompletableFuture, completed by a single-thread scheduled executor. */
    @Benchmark
    @Fork(Jvm.FORKS)
    public int completableFuture(FutureState state) {
        return state.future.timers(DELAYS);
    }
}
