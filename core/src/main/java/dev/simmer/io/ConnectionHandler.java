package dev.simmer.io;

/**
 * What a {@link Server} runs for each accepted connection, in a task of its own (asyncio's
 * {@code client_connected_cb}). When it returns or throws, the server closes the connection;
 * a failure is reported to the loop's exception handler and the server keeps serving.
 *
 * <pre>{@code
 * ConnectionHandler echo = (reader, writer) -> {
 *     byte[] line;
 *     while ((line = reader.readLine()).length > 0) {
 *         writer.write(line);
 *         writer.drain();
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Serves one connection; may suspend.
     *
     * @param reader the bytes the client sends
     * @param writer the way back to the client; closed (after what was written is sent) when the handler
     *     returns
     * @throws Exception any failure; it is reported to the loop's exception handler, the connection is
     *     aborted, and the server keeps serving
     */
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
