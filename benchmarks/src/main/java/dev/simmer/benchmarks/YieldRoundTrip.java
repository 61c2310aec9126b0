package dev.simmer.benchmarks;

import dev.simmer.Async;
import dev.simmer.EngineKind;
import dev.simmer.Task;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Yield round trip between two tasks: tasks A and B each call {@link Async#yieldNow()} in a
 * loop. One operation is one round trip, A yields once and B yields once, so it holds two
 * task switches (suspend, queue, resume). Average time per round trip, in ns.
 *
 * <p>Runtimes, each in its own fork, in the same run:
 * <ul>
 *   <li>{@link #rawContinuation()}: the floor. Two bare {@code jdk.internal.vm.Continuation}s
 *       that yield alternately, driven by a plain {@code for} loop: no event loop, no ready
 *       queue, no task objects.</li>
 *   <li>{@link #simmerContinuation()}: Simmer's fast path ({@code -Dsimmer.engine=continuation}).</li>
 *   <li>{@link #simmerThreads()}: Simmer's portable path ({@code -Dsimmer.engine=threads}), with
 *       the JVM's default virtual-thread scheduler, as a user would run it.</li>
 *   <li>{@link #virtualThreads()}: the JDK peer. Two virtual threads hand a baton back and forth
 *       with {@code LockSupport.park/unpark} on one carrier
 *       ({@code -Djdk.virtualThreadScheduler.parallelism=1}).</li>
 * </ul>
 * Each invocation runs {@value #ROUND_TRIPS} round trips inside one {@code Async.run} (or one
 * pair of continuations or threads), so the set-up of the loop is amortized away.
 *
 * <p>Run it alone, quickly, with the allocation profiler:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar YieldRoundTrip -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 * or one runtime only: {@code java -jar benchmarks/target/benchmarks.jar YieldRoundTrip.simmerContinuation}.
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

    /**
     * Floor: two bare continuations, each yielding {@value #ROUND_TRIPS} times, run alternately
     * by a {@code for} loop. One op = A runs to its next yield, then B does.
     */
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

    /** Simmer on the fast path: two tasks calling {@code Async.yieldNow()}, awaited by main. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuation() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return simmerPingPong();
    }

    /** Simmer on the portable path: the same program as {@link #simmerContinuation()}. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreads() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return simmerPingPong();
    }

    /** JDK peer: two virtual threads on one carrier hand a baton with park/unpark. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public int virtualThreads() throws InterruptedException {
        Baton baton = new Baton();
        baton.ping = Thread.ofVirtual().unstarted(baton::ping);
        baton.pong = Thread.ofVirtual().unstarted(baton::pong);
        baton.ping.start();
        baton.pong.start();
        baton.ping.join();
        baton.pong.join();
        return baton.turn;
    }

    private static int simmerPingPong() throws Exception {
        return Async.run(() -> {
            Task<Integer> a = Async.createTask(YieldRoundTrip::yielder);
            Task<Integer> b = Async.createTask(YieldRoundTrip::yielder);
            return a.await() + b.await();
        });
    }

    private static Integer yielder() {
        for (int i = 0; i < ROUND_TRIPS; i++) {
            Async.yieldNow();
        }
        return ROUND_TRIPS;
    }

    /** Whose turn it is, handed over with park/unpark: 0 = ping's, 1 = pong's. */
    private static final class Baton {
        volatile int turn;
        Thread ping; // written before both threads start
        Thread pong;

        void ping() {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                turn = 1;
                LockSupport.unpark(pong);
                while (turn != 0) {
                    LockSupport.park(this);
                }
            }
        }

        void pong() {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                while (turn != 1) {
                    LockSupport.park(this);
                }
                turn = 0;
                LockSupport.unpark(ping);
            }
        }
    }
}
