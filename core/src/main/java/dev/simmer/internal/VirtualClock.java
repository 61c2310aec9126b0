package dev.simmer.internal;

/**
 * Virtual time: starts at zero, jumps to the next timer whenever the loop is idle, and can
 * be moved by hand with {@link #advance}. Results do not depend on how fast the machine is.
 *
 * <p>Must be called from the loop thread.
 */
public final class VirtualClock implements Clock {
    private long now;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public boolean isVirtual() {
        return true;
    }

    @Override
    public boolean skipTo(long deadline) {
        if (deadline > now) {
            now = deadline;
        }
        return true;
    }

    /** Moves time forward by {@code nanos} (for example to simulate a step that takes long). */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("virtual time cannot go back (advance by " + nanos + " ns)");
        }
        now += nanos;
    }
}
