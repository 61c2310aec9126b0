package dev.simmer.internal;

/**
 * Closing something on several loops (a group's loops, a sharded server's servers): every one is
 * closed, the first failure is thrown, and the others ride on it as suppressed. An error the
 * JVM made without room for suppressed ones (a real {@code StackOverflowError}) cannot carry
 * them: those are logged as errors through {@link System.Logger} "dev.simmer" instead of lost.
 * Not thread-safe: one closing thread. Not API.
 */
public final class FirstFailure {
    private static final System.Logger LOG = System.getLogger("dev.simmer");

    private final String what;
    private Throwable first;

    /**
     * A collector with no failure yet.
     *
     * @param what what is being closed, for messages: "LoopGroup.close()"
     */
    public FirstFailure(String what) {
        this.what = what;
    }

    /**
     * Records {@code failure}; null, or the first one again, is ignored.
     *
     * @param failure what one part's closing threw, or null
     */
    public void add(Throwable failure) {
        if (failure == null || failure == first) {
            return;
        }
        if (first == null) {
            first = failure;
            return;
        }
        int before = first.getSuppressed().length;
        first.addSuppressed(failure);
        if (first.getSuppressed().length == before) {
            LOG.log(System.Logger.Level.ERROR, what + ": another loop failed too, and " + first
                    + " cannot carry it as suppressed: " + failure, failure);
        }
    }

    /**
     * Throws the first failure, if any: unchanged if unchecked, else wrapped.
     *
     * @param wrapMessage the message of the {@link IllegalStateException} around a checked failure
     */
    public void throwIfAny(String wrapMessage) {
        Throwable f = first;
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(wrapMessage + ": " + f, f);
        }
    }
}
