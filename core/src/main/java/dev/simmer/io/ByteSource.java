package dev.simmer.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a {@link StreamReader} gets its bytes: a socket channel, or a pipe pumped by a thread. Loop thread only. */
interface ByteSource {
    /** Reads into {@code dst} without blocking: the count read, 0 if nothing is there yet, -1 at the end. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Reads into {@code dst} and, once it is full, on into {@code overflow}, without blocking:
     * the total count, 0 if nothing is there yet, -1 at the end. A source that cannot scatter
     * fills {@code dst} alone.
     */
    default int read(ByteBuffer dst, ByteBuffer overflow) throws IOException {
        return read(dst);
    }

    /** Suspends the current task until {@link #read} may find something (or the end, or an error). */
    void awaitData() throws Exception;

    /** Whether the stream was closed by this side, so that a read finding it closed means the end, not an error. */
    boolean closedLocally();
}
