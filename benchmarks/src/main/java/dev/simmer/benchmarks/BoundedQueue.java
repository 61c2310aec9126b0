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
 * Bounded queue: a producer puts {@value #ITEMS} items into a queue that holds one, a consumer
 * takes them; once the queue is full, every put waits for the consumer's get to free the slot,
 * and every get for the next put. One operation is one item (a hand-over each way: the slot to
 * the producer, the item to the consumer). Average time per item, in ns.
 *
 * <p>Runtimes, each in its own fork: Simmer ({@code new dev.simmer.sync.Queue<>(1)}) on both
 * engines, virtual threads ({@code ArrayBlockingQueue(1)}, one carrier), kotlinx.coroutines
 * ({@code Channel(1)} in {@code runBlocking}). No floor and no CompletableFuture form.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BoundedQueue -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class BoundedQueue {
    /** Items per benchmark invocation. */
    static final int ITEMS = 10_000;

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return SimmerPeer.boundedQueue(ITEMS);
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return SimmerPeer.boundedQueue(ITEMS);
    }

    /** Virtual threads, an {@code ArrayBlockingQueue} of capacity 1, one carrier. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        return VirtualThreadPeer.boundedQueue(ITEMS);
    }

    /** kotlinx.coroutines, a {@code Channel} of capacity 1 in {@code runBlocking}. */
    @Benchmark
    @OperationsPerInvocation(ITEMS)
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinPeer.boundedQueue(ITEMS);
    }
}
