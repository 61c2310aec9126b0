package dev.simmer.testing.simulation;

import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How long a packet takes over a link of a {@link Simulation}, one way: a distribution each
 * segment and datagram draws from, with the simulation's seeded generator. TCP segments of
 * one connection still arrive in order (a segment never overtakes the one sent before it);
 * datagrams draw independently, so they can arrive out of order.
 *
 * <pre>{@code
 * Simulation.create(seed)
 *         .latency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(5)))       // every link
 *         .link("eu", "us", Latency.exponential(Duration.ofMillis(40), Duration.ofMillis(10)));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Latency {
    private enum Kind { FIXED, UNIFORM, EXPONENTIAL }

    private final Kind kind;
    private final long a; // FIXED: the delay; UNIFORM: min; EXPONENTIAL: min
    private final long b; // UNIFORM: max; EXPONENTIAL: the mean of the part above min

    private Latency(Kind kind, long a, long b) {
        this.kind = kind;
        this.a = a;
        this.b = b;
    }

    /**
     * Always the same delay.
     *
     * @param delay the one-way delay, zero or positive
     * @return the distribution
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Latency fixed(Duration delay) {
        return new Latency(Kind.FIXED, nanos("delay", delay), 0);
    }

    /**
     * Uniform between {@code min} and {@code max} (inclusive).
     *
     * @param min the shortest one-way delay, zero or positive
     * @param max the longest, at least {@code min}
     * @return the distribution
     * @throws IllegalArgumentException if {@code min} is negative or above {@code max}
     */
    public static Latency uniform(Duration min, Duration max) {
        long lo = nanos("min", min);
        long hi = nanos("max", max);
        if (hi < lo) {
            throw new IllegalArgumentException("Latency.uniform needs min <= max, was " + min + " and " + max);
        }
        return new Latency(Kind.UNIFORM, lo, hi);
    }

    /**
     * {@code min} plus an exponentially distributed part of mean {@code meanExtra}: mostly
     * fast, with a long tail (a congested link).
     *
     * @param min the shortest one-way delay, zero or positive
     * @param meanExtra the mean of the part above {@code min}, zero or positive
     * @return the distribution
     * @throws IllegalArgumentException if a duration is negative
     */
    public static Latency exponential(Duration min, Duration meanExtra) {
        return new Latency(Kind.EXPONENTIAL, nanos("min", min), nanos("meanExtra", meanExtra));
    }

    /** One draw, in nanoseconds. */
    long sample(SplittableRandom random) {
        return switch (kind) {
            case FIXED -> a;
            case UNIFORM -> a == b ? a : random.nextLong(a, b + 1);
            case EXPONENTIAL -> a + (long) (-Math.log(1.0 - random.nextDouble()) * b); // 1 - u: never log(0)
        };
    }

    private static long nanos(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + d);
        }
        return d.toNanos();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FIXED -> "Latency.fixed(" + Duration.ofNanos(a) + ")";
            case UNIFORM -> "Latency.uniform(" + Duration.ofNanos(a) + ", " + Duration.ofNanos(b) + ")";
            case EXPONENTIAL -> "Latency.exponential(" + Duration.ofNanos(a) + ", " + Duration.ofNanos(b) + ")";
        };
    }
}
