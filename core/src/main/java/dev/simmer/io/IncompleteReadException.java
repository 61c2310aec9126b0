package dev.simmer.io;

import java.io.EOFException;

/**
 * The stream ended before a read got what it asked for (asyncio's {@code IncompleteReadError}):
 * {@link StreamReader#readExactly} before {@code expected} bytes, {@link StreamReader#readUntil}
 * before the separator. The bytes that did arrive are in {@link #partial()}; they have been
 * consumed from the stream.
 *
 * <pre>{@code
 * try {
 *     byte[] header = reader.readExactly(16);
 * } catch (IncompleteReadException e) {
 *     System.out.println("peer hung up after " + e.partial().length + " bytes");
 * }
 * }</pre>
 *
 * <p>Thread-safe (immutable).
 */
public final class IncompleteReadException extends EOFException {
    private final byte[] partial;
    private final int expected;

    /**
     * {@code expected} is the count asked for, or -1 when a separator was awaited.
     *
     * @param partial the bytes that did arrive before the end; copied
     * @param expected the count asked for, or -1 when a separator was awaited
     */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read before the end of the stream, "
                + (expected < 0 ? "without the separator" : expected + " expected"));
        this.partial = partial.clone();
        this.expected = expected;
    }

    /**
     * The bytes read before the end of the stream (a copy).
     *
     * @return a fresh copy of the bytes read before the end of the stream
     */
    public byte[] partial() {
        return partial.clone();
    }

    /**
     * How many bytes were asked for, or -1 if the read waited for a separator.
     *
     * @return the count {@code readExactly} asked for, or -1 for {@code readUntil}/{@code readLine}
     */
    public int expected() {
        return expected;
    }
}
