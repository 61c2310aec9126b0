package dev.simmer.internal;

/**
 * Rethrows an exception unchanged where the signature declares no checked exception: the
 * {@code close()} of Simmer's async resources, so that {@code -Xlint:try} has nothing to say
 * at each try-with-resources, while a {@code catch (IOException e)} around the statement still
 * catches what a teardown threw. Not API.
 */
public final class Rethrow {
    private Rethrow() {
    }

    /** Throws {@code t} as it is; declared to return an exception so callers can write {@code throw unchecked(e)}. */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException unchecked(Throwable t) throws E {
        throw (E) t;
    }
}
