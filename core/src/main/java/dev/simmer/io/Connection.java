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
 * <p>Must be called from the loop thread; {@link #close()} from inside a task. A call from
 * another thread is refused with an {@link IllegalStateException} that changes nothing.
 *
 * @param reader the reading half
 * @param writer the writing half
 */
public record Connection(StreamReader reader, StreamWriter writer) implements AutoCloseable {

    /**
     * {@link StreamWriter#close()} then {@link StreamWriter#waitClosed()}; may suspend. Declares
     * no checked exception (no {@code -Xlint:try} warning at each use); what the wait throws
     * comes out unchanged.
     *
     * <p>A failure of sending is thrown here only if no call has thrown it yet: if a
     * {@code write} or {@code drain} in the block already threw it, {@code close()} returns
     * quietly, so that a {@code catch (IOException e)} around try-with-resources gets that
     * exception itself, with nothing added. A failure met while sending what was still buffered
     * at the close (which nobody has seen) is thrown. ({@link StreamWriter#waitClosed()} itself
     * throws the failure every time, as asyncio's {@code wait_closed} does.)
     *
     * <pre>{@code
     * try (Connection c = Streams.openConnection(host, port)) {
     *     c.writer().write(request);
     *     c.writer().drain();                 // the peer resets: IOException
     * } catch (IOException e) {
     *     log("lost " + host + ": " + e);     // the drain's own exception; close() added nothing
     * }
     * }</pre>
     *
     * @throws IllegalStateException if called from another thread than the loop's
     */
    @Override
    public void close() {
        try {
            writer.closeAndWait();
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        }
    }
}
