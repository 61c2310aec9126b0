package dev.simmer.benchmarks;

import dev.simmer.EngineKind;
import dev.simmer.LoopGroup;
import dev.simmer.sync.Channel;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.SynchronousQueue;

/**
 * Ping-pong across threads: ping puts one item into a channel, pong (on another thread) takes
 * it and puts it into a second channel, ping takes it back. One operation is one round trip:
 * two hand-overs, each waking a waiter on the other thread. Average time per round trip, in
 * ns; {@value #ROUND_TRIPS} per invocation. Unlike the rest of the suite this workload uses
 * two threads, so it is not part of the report's one-thread ratios.
 *
 * <p>Runtimes, each in its own fork:
 * <ul>
 *   <li>{@code simmerContinuation}, {@code simmerThreads}: a {@link LoopGroup} of two loops
 *       (opened once per trial), ping a task on one, pong a task on the other, two unbounded
 *       {@link Channel}s between them;
 *   <li>{@code platformThreads}: two platform threads and two {@link SynchronousQueue}s;
 *   <li>{@code kotlinx}: two coroutines on {@code Dispatchers.Default} and two rendezvous
 *       {@code Channel}s ({@code KotlinCrossThread.kt}). Its scheduler may run a coroutine it
 *       wakes on the waking thread, so many of its hand-overs cross no thread at all: it is
 *       the figure of a runtime free to move work between threads, which Simmer's loops are not.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CrossLoopPingPong -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class CrossLoopPingPong {
    /** Round trips per benchmark invocation. */
    static final int ROUND_TRIPS = 5_000;

    /** Two loops, opened once per trial. */
    @State(Scope.Benchmark)
    public static class Loops {
        LoopGroup group;

        /** Starts the two loops. */
        @Setup(Level.Trial)
        public void open() {
            group = LoopGroup.start(2);
        }

        /** Closes them. */
        @TearDown(Level.Trial)
        public void close() {
            group.close();
        }
    }

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation(Loops loops) {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return simmer(loops.group, ROUND_TRIPS);
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads(Loops loops) {
        Jvm.requireEngine(EngineKind.THREADS);
        return simmer(loops.group, ROUND_TRIPS);
    }

    /** Two platform threads, two {@code SynchronousQueue}s. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(Jvm.FORKS)
    public int platformThreads() throws InterruptedException {
        SynchronousQueue<Integer> there = new SynchronousQueue<>();
        SynchronousQueue<Integer> back = new SynchronousQueue<>();
        Thread pong = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    back.put(there.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int sum = 0;
        for (int i = 0; i < ROUND_TRIPS; i++) {
            there.put(i);
            sum += back.take();
        }
        pong.join();
        return sum;
    }

    /** kotlinx.coroutines, two coroutines on {@code Dispatchers.Default}. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(Jvm.FORKS)
    public int kotlinx() {
        return KotlinCrossThread.pingPong(ROUND_TRIPS);
    }

    /** Pong on the group's second loop, ping on its first; the benchmark thread waits for both. */
    static int simmer(LoopGroup group, int roundTrips) {
        Channel<Integer> there = new Channel<>();
        Channel<Integer> back = new Channel<>();
        CompletableFuture<Void> pong = group.loops().get(1).submit(() -> {
            for (int i = 0; i < roundTrips; i++) {
                back.put(there.get());
            }
        });
        CompletableFuture<Integer> ping = group.loops().get(0).submit(() -> {
            int sum = 0;
            for (int i = 0; i < roundTrips; i++) {
                there.put(i);
                sum += back.get();
            }
            return sum;
        });
        pong.join();
        return ping.join();
    }
}
