package dev.simmer.benchmarks;

import dev.simmer.Async;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Heap bytes per suspended task: starts N tasks that each sleep (for an hour), waits until
 * all are suspended, and divides the growth of the used heap after a full GC by N. Not a
 * JMH benchmark: one measurement per JVM, run by {@code report.py} in a fresh JVM per runtime
 * with that runtime's flags (the same ones as the JMH forks).
 *
 * <pre>
 * java --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED -Dsimmer.engine=continuation \
 *     -cp benchmarks/target/benchmarks.jar dev.simmer.benchmarks.SuspendedHeap simmer 1000000 warm
 * </pre>
 *
 * <p><b>Warm or cold.</b> With {@code warm} (the default, and the report's headline figure), the
 * runtime first runs the same workload with as many tasks, up to {@value #WARM_TASKS}, which
 * suspend and are then woken to their end (cancelled, interrupted, or a raw continuation
 * resumed), so that the measured tasks
 * suspend in the code the JIT settles on, as in a program that has been running a while. With
 * {@code cold}, the measured tasks are the JVM's first: the stacks of runtimes that keep one
 * (raw continuations, Simmer, virtual threads) are then sized by whatever code the JIT has
 * ready when each task first suspends, interpreted or compiled, inlined or not, which differs
 * from one JVM to the next by up to a sixth. kotlinx.coroutines keeps no stack: both figures
 * are the same for it.
 *
 * <p>Runtimes: {@code raw} (bare continuations, each yielded once: the floor), {@code simmer}
 * (tasks in {@code Async.sleep}; the engine is the fork's {@code -Dsimmer.engine}),
 * {@code virtualThreads} (in {@code Thread.sleep}), {@code kotlinx} (coroutines in
 * {@code delay} inside {@code runBlocking}). Every runtime also keeps one reference per task
 * in an array or list (4 bytes with compressed pointers), included in its figure.
 * Prints one line of JSON: {@code {"runtime": ..., "engine": ..., "tasks": N, "warm": true|false, "bytesPerTask": B}}.
 * A last argument {@code histogram} also prints, to standard error, the JVM's class histogram
 * of the live heap (the top 25 classes) while the tasks are suspended: where the bytes are.
 */
public final class SuspendedHeap {
    /** Warm: how many tasks at most (and no more than are measured) suspend and end before the measurement. */
    static final int WARM_TASKS = 200_000;

    private static final String USAGE = "usage: SuspendedHeap raw|simmer|virtualThreads|kotlinx [tasks] [warm|cold] [histogram]";

    /** Keeps the raw continuations reachable: nothing else refers to them. */
    private static Object[] keep;

    private SuspendedHeap() {
    }

    /**
     * Arguments: the runtime's name, the number of tasks (optional, default 1,000,000), then in
     * any order {@code warm} (the default) or {@code cold}, and {@code histogram}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException(USAGE);
        }
        String runtime = args[0];
        boolean counted = args.length > 1 && args[1].matches("\\d+");
        int tasks = counted ? Integer.parseInt(args[1]) : 1_000_000;
        java.util.List<String> options = java.util.Arrays.asList(args).subList(counted ? 2 : 1, args.length);
        for (String option : options) {
            if (!option.matches("warm|cold|histogram")) {
                throw new IllegalArgumentException("unknown argument '" + option + "'; " + USAGE);
            }
        }
        if (options.contains("warm") && options.contains("cold")) {
            throw new IllegalArgumentException("warm or cold, not both; " + USAGE);
        }
        boolean warm = !options.contains("cold");
        boolean histogram = options.contains("histogram");
        int warmTasks = warm ? Math.min(tasks, WARM_TASKS) : 0;
        long[] baseline = new long[1];
        String engine = runtime.equals("simmer") ? Async.engine().toString() : "-";
        // Runs while every task is suspended; prints and halts the JVM at once, so no runtime
        // spends time cancelling a million tasks.
        Runnable measure = () -> {
            double perTask = (double) (usedHeapAfterGc() - baseline[0]) / tasks;
            if (histogram) {
                printHistogram();
            }
            System.out.printf(Locale.ROOT, "{\"runtime\": \"%s\", \"engine\": \"%s\", \"tasks\": %d, \"warm\": %b, "
                    + "\"bytesPerTask\": %.1f}%n", runtime, engine, tasks, warm, perTask);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        };
        // Load the classes each runtime uses (warm: run the workload once, its tasks woken to their end) before taking the baseline.
        switch (runtime) {
            case "raw" -> {
                RawContinuation.run(RawContinuation.create(() -> { }));
                for (int i = 0; i < warmTasks; i++) { // each suspends, and is resumed to its end as the others are woken
                    Object continuation = RawContinuation.create(RawContinuation::yieldNow);
                    RawContinuation.run(continuation);
                    RawContinuation.run(continuation);
                }
                baseline[0] = usedHeapAfterGc();
                keep = new Object[tasks];
                for (int i = 0; i < tasks; i++) {
                    keep[i] = RawContinuation.create(RawContinuation::yieldNow);
                    RawContinuation.run(keep[i]);
                }
                measure.run();
            }
            case "simmer" -> {
                SimmerPeer.suspended(warmTasks, () -> { });
                SimmerPeer.suspended(10, () -> { });
                baseline[0] = usedHeapAfterGc();
                SimmerPeer.suspended(tasks, measure);
            }
            case "virtualThreads" -> {
                VirtualThreadPeer.suspended(warmTasks, () -> { });
                VirtualThreadPeer.suspended(10, () -> { });
                baseline[0] = usedHeapAfterGc();
                VirtualThreadPeer.suspended(tasks, measure);
            }
            case "kotlinx" -> {
                KotlinPeer.suspended(warmTasks, () -> { });
                KotlinPeer.suspended(10, () -> { });
                baseline[0] = usedHeapAfterGc();
                KotlinPeer.suspended(tasks, measure);
            }
            default -> throw new IllegalArgumentException("unknown runtime " + runtime
                    + "; use raw, simmer, virtualThreads or kotlinx");
        }
        throw new IllegalStateException("the " + runtime + " runtime ended without measuring");
    }

    private static void printHistogram() {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            text.toString().lines().limit(28).forEach(System.err::println);
        } catch (javax.management.JMException e) {
            System.err.println("no class histogram: " + e);
        }
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
