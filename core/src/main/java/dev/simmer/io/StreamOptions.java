package dev.simmer.io;

import java.time.Duration;

/**
 * Options of a stream connection or server, as an immutable value with {@code with...}
 * methods. {@link #defaults()} is what the calls without options use.
 *
 * <pre>{@code
 * StreamOptions opts = StreamOptions.defaults()
 *         .withConnectTimeout(Duration.ofSeconds(2))
 *         .withLimit(1 << 20)                 // lines up to 1 MiB
 *         .withWaterMarks(256 * 1024, 64 * 1024);
 * Connection c = Streams.openConnection("127.0.0.1", port, opts);
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 *
 * @param connectTimeout how long a connect may take (each address tried), or null for no limit
 * @param noDelay TCP_NODELAY (on by default, as in asyncio): small writes go out at once
 * @param keepAlive SO_KEEPALIVE
 * @param receiveBufferSize SO_RCVBUF in bytes, or 0 for the system's default
 * @param sendBufferSize SO_SNDBUF in bytes, or 0 for the system's default
 * @param limit the most {@link StreamReader#readLine} and {@link StreamReader#readUntil} buffer
 *        (64 KiB by default)
 * @param highWater {@link StreamWriter#drain} waits while more than this is buffered (64 KiB)
 * @param lowWater ... until it is down to this (16 KiB)
 * @param backlog a server's queue of connections not yet accepted (0, the default: as long as the
 *        system allows, {@code net.core.somaxconn} on Linux; a full queue drops new connections'
 *        SYNs, and their clients retry only after a second or more)
 * @param tlsHandshakeTimeout how long a TLS handshake may take (60 s by default, asyncio's
 *        {@code ssl_handshake_timeout}), or null for no limit; plain connections ignore it
 */
public record StreamOptions(Duration connectTimeout, boolean noDelay, boolean keepAlive, int receiveBufferSize,
                            int sendBufferSize, int limit, int highWater, int lowWater, int backlog,
                            Duration tlsHandshakeTimeout) {

    /** The default line limit, 64 KiB (asyncio's). */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    /** The default TLS handshake timeout, 60 seconds (asyncio's). */
    public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    private static final StreamOptions DEFAULTS = new StreamOptions(null, true, false, 0, 0, DEFAULT_LIMIT,
            64 * 1024, 16 * 1024, 0, DEFAULT_TLS_HANDSHAKE_TIMEOUT);

    /** Checks the values. */
    public StreamOptions {
        checkTimeout("connectTimeout", connectTimeout);
        checkTimeout("tlsHandshakeTimeout", tlsHandshakeTimeout);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 byte, was " + limit);
        }
        if (lowWater < 0 || highWater < lowWater) {
            throw new IllegalArgumentException("water marks need 0 <= lowWater <= highWater, were low " + lowWater
                    + " and high " + highWater);
        }
        if (receiveBufferSize < 0 || sendBufferSize < 0 || backlog < 0) {
            throw new IllegalArgumentException("buffer sizes and backlog must not be negative");
        }
    }

    /** A timeout must be positive, or null for none. */
    static void checkTimeout(String name, Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException(name + " must be positive (or null for none), was " + timeout);
        }
    }

    /**
     * No connect timeout, TCP_NODELAY on, 64 KiB line limit, water marks 64 KiB / 16 KiB, TLS
     * handshakes within 60 s.
     *
     * @return the shared default options; change them with the {@code with...} methods
     */
    public static StreamOptions defaults() {
        return DEFAULTS;
    }

    /**
     * With a connect timeout (null for none).
     *
     * @param timeout the longest a connect may take (each address tried), positive; {@code null}
     *     for no limit
     * @return a copy of these options with that timeout
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public StreamOptions withConnectTimeout(Duration timeout) {
        return new StreamOptions(timeout, noDelay, keepAlive, receiveBufferSize, sendBufferSize, limit, highWater,
                lowWater, backlog, tlsHandshakeTimeout);
    }

    /**
     * With TCP_NODELAY on or off.
     *
     * @param on {@code true} to send small writes at once (the default), {@code false} to let TCP coalesce
     *     them
     * @return a copy of these options with that setting
     */
    public StreamOptions withNoDelay(boolean on) {
        return new StreamOptions(connectTimeout, on, keepAlive, receiveBufferSize, sendBufferSize, limit, highWater,
                lowWater, backlog, tlsHandshakeTimeout);
    }

    /**
     * With SO_KEEPALIVE on or off.
     *
     * @param on {@code true} to have the system probe idle connections
     * @return a copy of these options with that setting
     */
    public StreamOptions withKeepAlive(boolean on) {
        return new StreamOptions(connectTimeout, noDelay, on, receiveBufferSize, sendBufferSize, limit, highWater,
                lowWater, backlog, tlsHandshakeTimeout);
    }

    /**
     * With SO_RCVBUF and SO_SNDBUF (0 leaves the system's default).
     *
     * @param receive SO_RCVBUF in bytes, or 0 for the system's default
     * @param send SO_SNDBUF in bytes, or 0 for the system's default
     * @return a copy of these options with those sizes
     * @throws IllegalArgumentException if a size is negative
     */
    public StreamOptions withBufferSizes(int receive, int send) {
        return new StreamOptions(connectTimeout, noDelay, keepAlive, receive, send, limit, highWater, lowWater,
                backlog, tlsHandshakeTimeout);
    }

    /**
     * With the line limit of the reader.
     *
     * @param bytes the longest line or separated chunk a reader accepts, at least 1
     * @return a copy of these options with that limit
     * @throws IllegalArgumentException if {@code bytes} is less than 1
     */
    public StreamOptions withLimit(int bytes) {
        return new StreamOptions(connectTimeout, noDelay, keepAlive, receiveBufferSize, sendBufferSize, bytes,
                highWater, lowWater, backlog, tlsHandshakeTimeout);
    }

    /**
     * With the writer's water marks.
     *
     * @param high the buffered bytes above which {@link StreamWriter#drain} suspends
     * @param low the buffered bytes a suspended {@code drain} waits to get down to
     * @return a copy of these options with those marks
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    public StreamOptions withWaterMarks(int high, int low) {
        return new StreamOptions(connectTimeout, noDelay, keepAlive, receiveBufferSize, sendBufferSize, limit, high,
                low, backlog, tlsHandshakeTimeout);
    }

    /**
     * With a server's accept backlog.
     *
     * @param connections how many connections may wait to be accepted, or 0 for as many as the system allows
     *     (the default)
     * @return a copy of these options with that backlog
     * @throws IllegalArgumentException if {@code connections} is negative
     */
    public StreamOptions withBacklog(int connections) {
        return new StreamOptions(connectTimeout, noDelay, keepAlive, receiveBufferSize, sendBufferSize, limit,
                highWater, lowWater, connections, tlsHandshakeTimeout);
    }

    /**
     * With a TLS handshake timeout (null for none): a handshake that has not finished in time
     * closes the connection and fails with a {@link java.net.SocketTimeoutException}. It bounds
     * {@link Streams#openTlsConnection}'s handshake (the connect before it has the connect
     * timeout) and each connection's handshake on a {@link Streams#startTlsServer} server, so a
     * peer that connects and says nothing is let go.
     *
     * <pre>{@code
     * StreamOptions opts = StreamOptions.defaults().withTlsHandshakeTimeout(Duration.ofSeconds(5));
     * }</pre>
     *
     * @param timeout the longest a TLS handshake may take, positive; {@code null} for no limit
     * @return a copy of these options with that timeout
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public StreamOptions withTlsHandshakeTimeout(Duration timeout) {
        return new StreamOptions(connectTimeout, noDelay, keepAlive, receiveBufferSize, sendBufferSize, limit,
                highWater, lowWater, backlog, timeout);
    }
}
