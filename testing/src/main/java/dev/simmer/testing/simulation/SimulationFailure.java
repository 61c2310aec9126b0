package dev.simmer.testing.simulation;

/**
 * A {@link Simulation} run failed: a host's main body (or the chaos task) threw. The message
 * names the seed, what failed and when, says how to replay it, and ends with the last lines of
 * the trace; the cause is the exception thrown.
 *
 * <pre>{@code
 * try {
 *     sim.run();
 * } catch (SimulationFailure f) {
 *     System.out.println(f.seed());                 // replay with Simulation.create(f.seed())
 *     System.out.println(f.result().traceTail(50));
 * }
 * }</pre>
 */
public final class SimulationFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient SimulationResult result;

    SimulationFailure(String message, Throwable cause, SimulationResult result) {
        super(message, cause);
        this.result = result;
    }

    /**
     * The seed of the failed run.
     *
     * @return the seed to replay it with
     */
    public long seed() {
        return result.seed();
    }

    /**
     * What the failed run recorded, up to the failure.
     *
     * @return its trace, timeline and digest
     */
    public SimulationResult result() {
        return result;
    }
}
