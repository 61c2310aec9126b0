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
 * Contended lock: {@value #TASKS} tasks each, {@value #ROUNDS} times, acquire one shared lock,
 * yield while holding it (so the others queue up behind it), and release it. One operation is
 * one acquire + yield + release, with the lock handed to the oldest waiter each time. Average
 * time per operation, in ns.
 *
 * <p>Runtimes, each in its own fork: Simmer ({@code dev.simmer.sync.Lock},
 * {@code Async.yieldNow()}) on both engines, virtual threads (a fair {@code ReentrantLock},
 * {@code Thread.yield()}, one carrier), kotlinx.coroutines ({@code Mutex.withLock { yield() }}
 * in {@code runBlocking}). All three locks are FIFO.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar LockContended -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LockContended {
    /** Tasks contending for the lock. */
    static final int TASKS = 100;
    /** Acquisitions per task per invocation. */
    static final int ROUNDS = 100;

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(TASKS * ROUNDS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return SimmerPeer.lockContended(TASKS, ROUNDS);
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(TASKS * ROUNDS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return SimmerPeer.lockContended(TASKS, ROUNDS);
    }

    /** Virtual threads, fair {@code ReentrantLock} and {@code Thread.yield()}, one carrier. */
    @Benchmark
    @OperationsPerInvocation(TASKS * ROUNDS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        return VirtualThreadPeer.lockContended(TASKS, ROUNDS);
    }

    /** kotlinx.coroutines, {@code Mutex.withLock { yield() }} in {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(TASKS * ROUNDS)
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinPeer.lockContended(TASKS, ROUNDS);
    }
}
