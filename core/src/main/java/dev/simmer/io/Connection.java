package dev.simmer.io;

import dev.simmer.internal.Rethrow;

/**
 * An open stream: its {@link StreamReader} and {@link StreamWriter} (the pair asyncio's
 * {@code open_connection} returns), closed as one async resource.
 *
 * <pre>{@code
 * try (Connection c = Streams.openConnection("127.0.0.1", 8888)) {
 *     c.writer().write("Hello\n");
 *     System.out.println(c.reader().readLineUtf8());
 * }   // close(): sends what is buffered, closes, waits until closed
 * }</pre>
 *
 * <p>Must be called from the loop thread; {@link #close()} from inside a task.
 *
 * @param reader the reading half
 * @param writer the writing half
 */
public record Connection(StreamReader reader, StreamWriter writer) implements AutoCloseable {

    /**
     * {@link StreamWriter#close()} then {@link StreamWriter#waitClosed()}; may suspend. Declares
     * no checked exception (no {@code -Xlint:try} warning at each use); what the wait throws
     * comes out unchanged.
     */
    @Override
    public void close() {
        writer.close();
        try {
            writer.waitClosed();
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        }
    }
}
