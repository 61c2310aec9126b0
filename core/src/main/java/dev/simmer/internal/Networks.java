package dev.simmer.internal;

import dev.simmer.EventLoop;

import java.util.Objects;

/**
 * Where a loop keeps its simulated {@link Network}: a field of {@link EventLoop}, which lives
 * in another package and keeps it package-private; EventLoop's static initializer hands this
 * class the accessor (as the JDK's SharedSecrets do). Not API.
 */
public final class Networks {
    /** Reads and writes EventLoop's network field. */
    public interface Access {
        /** The loop's network, or null. */
        Network get(EventLoop loop);

        /** Sets the loop's network. */
        void set(EventLoop loop, Network network);
    }

    private static Access access;

    private Networks() {
    }

    /** Called once, by EventLoop's static initializer, before any loop exists. */
    public static void register(Access a) {
        access = a;
    }

    /** The network installed on {@code loop}, or null: a real loop (the common case, one field read). */
    public static Network of(EventLoop loop) {
        return access.get(loop);
    }

    /**
     * Installs {@code network} on {@code loop} for the rest of its life; called on the loop's
     * thread (a task or callback of it) before any task opens a socket.
     *
     * @throws IllegalStateException from another thread, or if the loop has a network already
     */
    public static void install(EventLoop loop, Network network) {
        Objects.requireNonNull(network, "network");
        if (dev.simmer.Async.loop() != loop) {
            throw new IllegalStateException("a simulated network is installed from its loop's own thread");
        }
        if (access.get(loop) != null) {
            throw new IllegalStateException("this event loop already runs on a simulated network");
        }
        access.set(loop, network);
    }
}
