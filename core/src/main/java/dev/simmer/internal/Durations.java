package dev.simmer.internal;

import java.time.Duration;

/** {@code Duration} in the API, {@code long} nanoseconds inside: the one conversion. Not API. */
public final class Durations {
    private Durations() {
    }

    /**
     * {@code d} in nanoseconds, saturated: a duration too long for a {@code long} (about 292
     * years) becomes {@link Long#MAX_VALUE}, or {@link Long#MIN_VALUE} if negative.
     *
     * @param d the duration
     * @return its nanoseconds, saturated
     */
    public static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException overflow) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
