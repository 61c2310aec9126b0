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
 * Uncontended lock: one task acquires and releases a free lock, {@value #OPS} times per
 * invocation. One operation is one acquire + release that never waits. Average time, in ns.
 *
 * <p>Runtimes, each in its own fork: Simmer ({@code dev.simmer.sync.Lock}) on both engines,
 * virtual threads (a fair {@code ReentrantLock}, one carrier), kotlinx.coroutines
 * ({@code Mutex} in {@code runBlocking}).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LockUncontended -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LockUncontended {
    /** Acquire + release pairs per benchmark invocation. */
    static final int OPS = 100_000;

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return SimmerPeer.lockUncontended(OPS);
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return SimmerPeer.lockUncontended(OPS);
    }

    /** Virtual threads, fair {@code ReentrantLock}, one carrier. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        return VirtualThreadPeer.lockUncontended(OPS);
    }

    /** kotlinx.coroutines, {@code Mutex} in {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(OPS)
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinPeer.lockUncontended(OPS);
    }
}
