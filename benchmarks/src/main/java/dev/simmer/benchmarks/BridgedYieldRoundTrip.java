package dev.simmer.benchmarks;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.EngineKind;
import dev.simmer.Task;
import dev.simmer.ThreadContextBridge;
import dev.simmer.slf4j.MdcBridge;

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
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.MDC;

import java.util.concurrent.TimeUnit;

/**
 * What a {@link ThreadContextBridge} costs per task step: {@link YieldRoundTrip}'s program
 * (tasks A and B each yield in a loop; one operation is one round trip, two switches), with
 * each task holding one MDC entry (its request id) and the MDC bridged by
 * {@link MdcBridge} (Logback is the MDC), or a plain {@code ThreadLocal} bridged. Compare with
 * {@code YieldRoundTrip.simmerContinuation} and {@code simmerThreads}, where nothing is
 * bridged. No peer: this is Simmer's own overhead.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar 'YieldRoundTrip.simmer' -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 * (the pattern runs this class's methods beside {@code YieldRoundTrip}'s Simmer ones).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class BridgedYieldRoundTrip {
    static final int ROUND_TRIPS = YieldRoundTrip.ROUND_TRIPS;
    private static final ThreadLocal<String> REQUEST = new ThreadLocal<>();
    private static final ThreadContextBridge<String> THREAD_LOCAL_BRIDGE =
            ThreadContextBridge.ofThreadLocal("request", REQUEST);

    /** Which bridge this fork registers, from the method's name. */
    @Setup(Level.Trial)
    public void register(org.openjdk.jmh.infra.BenchmarkParams params) {
        if (params.getBenchmark().endsWith("ThreadLocal")) {
            ThreadContextBridge.register(THREAD_LOCAL_BRIDGE);
        } else {
            MdcBridge.register();
        }
    }

    static int roundTrips(boolean mdc) throws Exception {
        return Async.run(() -> {
            Task<Integer> a = Async.createTask(yielder("r-a", mdc));
            Task<Integer> b = Async.createTask(yielder("r-b", mdc));
            return a.await() + b.await();
        });
    }

    private static AsyncCallable<Integer> yielder(String requestId, boolean mdc) {
        return () -> {
            if (mdc) {
                MDC.put("requestId", requestId);
            } else {
                REQUEST.set(requestId);
            }
            for (int i = 0; i < ROUND_TRIPS; i++) {
                Async.yieldNow();
            }
            return ROUND_TRIPS;
        };
    }

    /** Fast path, the MDC bridged. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuationMdc() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return roundTrips(true);
    }

    /** Portable path, the MDC bridged. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public int simmerThreadsMdc() throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return roundTrips(true);
    }

    /** Fast path, a plain ThreadLocal bridged. */
    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public int simmerContinuationThreadLocal() throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return roundTrips(false);
    }
}
