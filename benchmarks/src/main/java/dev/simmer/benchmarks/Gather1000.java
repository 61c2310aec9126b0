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

import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gather of 1,000 trivial tasks: {@code Async.gather(bodies)} where each of the
 * {@value #WIDTH} bodies returns a constant. One operation is one whole gather: 1,000 child
 * tasks made, run, and their results collected in order. Average time per gather, in ns
 * (divide by 1,000 for the cost per child).
 *
 * <p>Runtimes, each in its own fork, in the same run:
 * <ul>
 *   <li>{@link #rawContinuation()}: the floor. 1,000 bare {@code jdk.internal.vm.Continuation}s
 *       made and run to completion, one after the other.</li>
 *   <li>{@link #simmerContinuation()}: Simmer's fast path ({@code -Dsimmer.engine=continuation}).</li>
 *   <li>{@link #simmerThreads()}: Simmer's portable path ({@code -Dsimmer.engine=threads}).</li>
 *   <li>{@link #virtualThreads()}: the JDK peer. A parent virtual thread starts 1,000 virtual
 *       threads, then joins them all, on one carrier
 *       ({@code -Djdk.virtualThreadScheduler.parallelism=1}).</li>
 * </ul>
 * Each invocation runs {@value #GATHERS} gathers inside one {@code Async.run} (or one parent).
 *
 * <p>Run it alone, quickly:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Gather1000 -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class Gather1000 {
    /** Bodies per gather. */
    static final int WIDTH = 1_000;
    /** Gathers per benchmark invocation. */
    static final int GATHERS = 20;

    private static final Integer X = 1;
    private static final List<AsyncCallable<Integer>> BODIES = Collections.nCopies(WIDTH, () -> X);
    private static final Runnable NOTHING = () -> { };

    /** Floor: {@value #WIDTH} bare continuations made and run to completion, per gather. */
    @Benchmark
    @OperationsPerInvocation(GATHERS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT})
    public int rawContinuation() {
        int done = 0;
        for (int g = 0; g < GATHERS; g++) {
            Object[] children = new Object[WIDTH];
            for (int i = 0; i < WIDTH; i++) {
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

    /** Simmer on the fast path: {@code Async.gather} of {@value #WIDTH} bodies in the main task. */
    @Benchmark
    @OperationsPerInvocation(GATHERS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return simmerGather();
    }

    /** Simmer on the portable path: the same program as {@link #simmerContinuation()}. */
    @Benchmark
    @OperationsPerInvocation(GATHERS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return simmerGather();
    }

    /** JDK peer: a parent virtual thread starts {@value #WIDTH} virtual threads and joins them all. */
    @Benchmark
    @OperationsPerInvocation(GATHERS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        int[] done = new int[1];
        Thread parent = Thread.ofVirtual().start(() -> {
            try {
                for (int g = 0; g < GATHERS; g++) {
                    Thread[] children = new Thread[WIDTH];
                    for (int i = 0; i < WIDTH; i++) {
                        children[i] = Thread.startVirtualThread(NOTHING);
                    }
                    for (Thread c : children) {
                        c.join();
                        done[0]++;
                    }
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        parent.join();
        return done[0];
    }

    private static int simmerGather() throws Exception {
        return Async.run(() -> {
            int total = 0;
            for (int g = 0; g < GATHERS; g++) {
                total += Async.gather(BODIES).size();
            }
            return total;
        });
    }
}
