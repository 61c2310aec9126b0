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
 * Queue ping-pong: a producer puts one item into a queue, a consumer takes it and puts it
 * into a second queue, the producer takes it back. One operation is one round trip (two
 * hand-overs, each waking the task waiting on the other side). Average time per round trip,
 * in ns; {@value #ROUND_TRIPS} per invocation.
 *
 * <p>Runtimes, each in its own fork: Simmer ({@code dev.simmer.sync.Queue}, unbounded) on both
 * engines, virtual threads ({@code SynchronousQueue}, one carrier), kotlinx.coroutines
 * ({@code Channel(UNLIMITED)} in {@code runBlocking}). No floor and no CompletableFuture form.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar QueuePingPong -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueuePingPong {
    /** Round trips per benchmark invocation. */
    static final int ROUND_TRIPS = 10_000;

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return SimmerPeer.queuePingPong(ROUND_TRIPS);
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return SimmerPeer.queuePingPong(ROUND_TRIPS);
    }

    /** Virtual threads, two {@code SynchronousQueue}s, one carrier. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        return VirtualThreadPeer.queuePingPong(ROUND_TRIPS);
    }

    /** kotlinx.coroutines, two unlimited {@code Channel}s in {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinPeer.queuePingPong(ROUND_TRIPS);
    }
}
