package dev.simmer.benchmarks;

import dev.simmer.EngineKind;
import dev.simmer.ThreadContextBridge;
import dev.simmer.slf4j.MdcBridge;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * What a {@link ThreadContextBridge} costs per task step, in CPU time rather than wall time,
 * so that a busy machine (other processes on its cores) disturbs it less than a JMH run: on
 * Simmer's fast path, where the loop thread runs every step, {@link BridgedYieldRoundTrip}'s
 * program is timed with the loop thread's CPU clock, in one JVM, with nothing bridged, a
 * {@code ThreadLocal} bridged and the MDC (Logback) bridged, in turns, each many times. A
 * main, not a JMH benchmark; prints the median ns per round trip (two steps) of each.
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -Dsimmer.engine=continuation \
 *      -cp benchmarks/target/benchmarks.jar dev.simmer.benchmarks.BridgeStepCost
 * </pre>
 */
public final class BridgeStepCost {
    private BridgeStepCost() {
    }

    /** Runs the measurement; {@code args[0]}: rounds (default 15). */
    public static void main(String[] args) throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        ThreadContextBridge<String> threadLocal = ThreadContextBridge.ofThreadLocal("request", new ThreadLocal<>());
        String[] names = {"nothing bridged", "a ThreadLocal bridged", "the MDC bridged"};
        double[][] nsPerRoundTrip = new double[names.length][rounds];
        for (int warm = 0; warm < 30; warm++) { // JIT warm-up of every variant
            for (int v = 0; v < names.length; v++) {
                measure(v, threadLocal, cpu);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (int v = 0; v < names.length; v++) {
                nsPerRoundTrip[v][r] = measure(v, threadLocal, cpu);
            }
        }
        for (int v = 0; v < names.length; v++) {
            double[] sorted = nsPerRoundTrip[v].clone();
            Arrays.sort(sorted);
            System.out.println(String.format(Locale.ROOT, "%-22s median %7.1f ns CPU per round trip (min %7.1f, max %7.1f)",
                    names[v], sorted[rounds / 2], sorted[0], sorted[rounds - 1]));
        }
    }

    /** One Async.run of the yield program with variant {@code v} registered: CPU ns per round trip. */
    private static double measure(int v, ThreadContextBridge<String> threadLocal, ThreadMXBean cpu) throws Exception {
        if (v == 1) {
            ThreadContextBridge.register(threadLocal);
        } else if (v == 2) {
            MdcBridge.register();
        }
        try {
            long start = cpu.getCurrentThreadCpuTime();
            BridgedYieldRoundTrip.roundTrips(v == 2);
            return (cpu.getCurrentThreadCpuTime() - start) / (double) BridgedYieldRoundTrip.ROUND_TRIPS;
        } finally {
            ThreadContextBridge.unregister(threadLocal);
            MdcBridge.unregister();
        }
    }
}
