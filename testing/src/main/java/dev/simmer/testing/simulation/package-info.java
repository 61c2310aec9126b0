/**
 * Deterministic simulation of networked programs: {@link dev.simmer.testing.simulation.Simulation}
 * runs several named hosts of a program written against {@code dev.simmer.io} in one event loop
 * on virtual time, over an in-memory network with seeded latency, loss, partitions, resets and
 * crashes; the same seed replays the same run, and a digest of its trace shows it.
 *
 * <pre>{@code
 * Simulation.check(1_000, seed -> scenario(seed).run());   // stops at the first failing seed
 * }</pre>
 */
package dev.simmer.testing.simulation;
