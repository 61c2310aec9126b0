package dev.simmer.testing.simulation;

import dev.simmer.Timeline;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link Simulation} run recorded: its trace (network events, faults, error reports,
 * one line each, stamped with simulated time), the loop's {@link Timeline} of every task, and
 * a digest of both. The same seed gives the same digest, on either engine: compare digests to
 * check that a scenario is deterministic, read the trace to see what happened.
 *
 * <pre>{@code
 * SimulationResult r = Simulation.create(42).host("a", ...).host("b", ...).run();
 * System.out.println(r.digest());          // e.g. 3f1c...: the same on every run of seed 42
 * System.out.println(r.traceTail(20));     // the last 20 lines of the trace
 * }</pre>
 *
 * <p>Immutable once returned; thread-safe.
 */
public final class SimulationResult {
    private final long seed;
    private final List<String> trace;
    private final Timeline timeline;
    private final String digest;
    private final Duration simulatedTime;

    SimulationResult(long seed, List<String> trace, Timeline timeline, String digest, Duration simulatedTime) {
        this.seed = seed;
        this.trace = List.copyOf(trace);
        this.timeline = timeline;
        this.digest = digest;
        this.simulatedTime = simulatedTime;
    }

    /**
     * The seed of the run.
     *
     * @return the seed given to {@link Simulation#create(long)}
     */
    public long seed() {
        return seed;
    }

    /**
     * The SHA-256 of the trace and the timeline, as 64 hex digits: equal for two runs of one
     * seed and one scenario.
     *
     * @return the digest in lower-case hex
     */
    public String digest() {
        return digest;
    }

    /**
     * The trace, one line per event: {@code "12.000345 client: connect client:32768>server:80"}
     * (simulated seconds, who acted, what happened).
     *
     * @return the lines, oldest first
     */
    public List<String> trace() {
        return trace;
    }

    /**
     * The last {@code n} lines of the trace, one per line.
     *
     * @param n how many lines, at least 0
     * @return the lines joined with {@code \n}
     */
    public String traceTail(int n) {
        return String.join("\n", trace.subList(Math.max(0, trace.size() - n), trace.size()));
    }

    /**
     * The loop's recording of every task (created, steps, waits, end), or null if the run did
     * not record one ({@link Simulation#recordTimeline(boolean)}).
     *
     * @return the timeline, or {@code null}
     */
    public Timeline timeline() {
        return timeline;
    }

    /**
     * How much simulated time the run took: its duration, or less if it was stopped early.
     *
     * @return the simulated time at the end of the run
     */
    public Duration simulatedTime() {
        return simulatedTime;
    }

    @Override
    public String toString() {
        return "SimulationResult[seed " + seed + ", " + trace.size() + " trace lines, " + simulatedTime
                + " simulated, digest " + digest.substring(0, 16) + "...]";
    }
}
