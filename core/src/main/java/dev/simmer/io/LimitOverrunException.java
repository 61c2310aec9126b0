package dev.simmer.io;

import java.io.IOException;

/**
 * A line or a separated chunk is longer than the reader's limit (asyncio's
 * {@code LimitOverrunError}; 64 KiB by default, see {@link StreamOptions#limit()}). The reader
 * never buffers without bound: it stops and throws this instead.
 *
 * <p>After {@link StreamReader#readUntil}, the data stays in the reader and {@link #consumed()}
 * says how much of it is to be consumed before the separator (read it with
 * {@link StreamReader#readExactly}, or give up on the peer). {@link StreamReader#readLine}
 * throws it too, but first discards the overlong line (up to and including its newline, or
 * everything buffered if the newline has not come yet), so the next call goes on from there.
 *
 * <pre>{@code
 * try {
 *     String line = reader.readLineUtf8();
 * } catch (LimitOverrunException e) {
 *     writer.write("line too long\n");   // the overlong line is discarded; the next read goes on after it
 * }
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class LimitOverrunException extends IOException {
    private final int consumed;

    /**
     * A limit overrun with {@code consumed} bytes in the way.
     *
     * @param message what went over which limit
     * @param consumed how many buffered bytes the overlong chunk had
     */
    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /**
     * How many buffered bytes the overlong chunk had when the reader gave up.
     *
     * @return the byte count of the overlong chunk when the reader gave up
     */
    public int consumed() {
        return consumed;
    }
}
