package dev.simmer.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a {@link StreamWriter} puts its bytes: a socket channel, or a pipe pumped by a thread. Loop thread only. */
interface ByteSink {
    /** Writes what it can of {@code srcs} without blocking; returns the count written (0 if it would block). */
    long write(ByteBuffer[] srcs) throws IOException;

    /** {@link #write(ByteBuffer[])} of one buffer; sinks with a cheaper single write override it. */
    default int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src});
    }

    /**
     * Whether bytes that {@link #write} took are still on their way in the sink's own buffer
     * (TLS records not yet sent, a pipe write under way); a watched sink calls its watcher
     * again once they are out. Throws what sending them met, if it failed.
     */
    default boolean unsent() throws IOException {
        return false;
    }

    /** Calls {@code whenWritable} on the loop each pass the sink can take more, until {@link #unwatch()}. */
    void watch(Runnable whenWritable);

    /** Stops the {@link #watch} callback. */
    void unwatch();

    /** Whether {@link #shutdownOutput()} is a half close (TLS 1.2 has none: its close_notify ends both directions). */
    default boolean canWriteEof() {
        return true;
    }

    /**
     * Queues what the sink sends last before a graceful {@link #close()} (a TLS close_notify),
     * so that it goes out as the data does, and {@link #unsent()} says until when; a sink with
     * nothing to say last does nothing. Called once, when everything written has been sent
     * ({@link #unsent()} is false).
     */
    default void beginClose() throws IOException {
    }

    /** Ends the output (the peer reads the end of the stream); the input stays open. */
    void shutdownOutput() throws IOException;

    /** Closes the whole stream, input and output; idempotent. */
    void close() throws IOException;

    /** The address of the other end, or null if it has none. */
    Object peer();
}
