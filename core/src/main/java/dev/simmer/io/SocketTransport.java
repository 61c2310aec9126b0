package dev.simmer.io;

/**
 * A connected stream socket, real ({@link ChannelTransport}) or simulated
 * ({@link NetworkTransport}): what {@link TlsTransport} runs over. Loop thread only.
 */
interface SocketTransport extends ByteSource, ByteSink {
    /** Suspends the current task until {@link #write} may take something (or fail). */
    void awaitWritable() throws Exception;

    /** TLS says its handshake starts ({@code true}) or ends; only a simulated socket cares (see Network.Stream). */
    default void tlsHandshaking(boolean inProgress) {
    }
}
