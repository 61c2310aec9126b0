package dev.simmer.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The seam for a simulated network: when a loop has one installed
 * ({@link Networks#install}),
 * {@code dev.simmer.io}'s streams, servers and datagram endpoints open their sockets on it
 * instead of the operating system's, and name lookups ask it. Nothing is installed on a real
 * loop: there the io layer pays one null check when it opens a socket, nothing per read or
 * write. The simulation itself lives outside core ({@code dev.simmer.testing.simulation});
 * core only calls through these interfaces. Not API.
 *
 * <p>Every method is called on the loop thread, from inside a task, by the io layer: the
 * implementation knows from the calling task which simulated host is acting.
 */
public interface Network {

    /** The addresses {@code host} (a name or a numeric address) stands for; never empty. */
    List<InetAddress> resolve(String host) throws IOException;

    /** Connects from the calling task's host to {@code remote}; suspends for the handshake. */
    Stream connect(InetSocketAddress remote) throws Exception;

    /** Listens on {@code local} (port 0: a free port) on the calling task's host. */
    Listener listen(InetSocketAddress local, int backlog) throws IOException;

    /** A datagram socket of the calling task's host, bound to {@code local} (null: a free port), connected to {@code remote} if not null. */
    Datagrams openDatagrams(InetSocketAddress local, InetSocketAddress remote) throws IOException;

    /**
     * The error for something the simulation cannot run ({@code what}: "Async.toThread", "a
     * Unix-domain socket", ...); the caller throws it before doing anything.
     */
    RuntimeException refuse(String what);

    /** One end of a simulated TCP connection. */
    interface Stream {
        /** Reads what has arrived into {@code dst}: the count, 0 if nothing is there yet, -1 at the end. */
        int read(ByteBuffer dst) throws IOException;

        /** Suspends until {@link #read} may find something, the end, or an error. */
        void awaitReadable() throws Exception;

        /** Sends what the peer's window takes now; 0 if it takes nothing. */
        long write(ByteBuffer[] srcs) throws IOException;

        /** Suspends until {@link #write} may take something (or fail). */
        void awaitWritable() throws Exception;

        /** Calls {@code whenWritable} on the loop whenever the window opens (or the stream fails), until {@link #unwatch}. */
        void watch(Runnable whenWritable);

        /** Stops the {@link #watch} callback. */
        void unwatch();

        /** Sends the end of the stream after what was written; the input stays open. */
        void shutdownOutput() throws IOException;

        /** Closes both directions; idempotent. */
        void close();

        /** Whether {@link #close} was called on this end. */
        boolean closedLocally();

        /**
         * Said by TLS when its handshake starts ({@code true}) and ends: the sizes of what is sent
         * meanwhile may differ from run to run (an ECDSA signature's encoding depends on a random
         * nonce), so a simulation keeps them out of what must replay.
         */
        default void tlsHandshaking(boolean inProgress) {
        }

        /** This end's address. */
        InetSocketAddress local();

        /** The other end's address. */
        InetSocketAddress remote();
    }

    /** A simulated listening socket. */
    interface Listener {
        /** The next connection waiting to be accepted, or null if none is. */
        Stream accept() throws IOException;

        /** Suspends until {@link #accept} may find a connection (or the listener is closed). */
        void awaitAcceptable() throws Exception;

        /** The address it listens on, with the port it got. */
        InetSocketAddress address();

        /** Stops listening; connections waiting to be accepted are reset. Idempotent. */
        void close();
    }

    /** A simulated UDP socket. */
    interface Datagrams {
        /** Sends {@code data} (position to limit) to {@code target} (null: the connected peer). Never blocks. */
        void send(ByteBuffer data, InetSocketAddress target) throws IOException;

        /** Puts the next datagram into {@code into} (cut to its room) and returns its sender; null if none is waiting. */
        InetSocketAddress receive(ByteBuffer into) throws IOException;

        /** Suspends until {@link #receive} may find a datagram, or the socket is closed. */
        void awaitReadable() throws Exception;

        /** The bound address. */
        InetSocketAddress local();

        /** The connected peer, or null. */
        InetSocketAddress remote();

        /** Closes the socket; idempotent. */
        void close();
    }
}
