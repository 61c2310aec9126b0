package dev.simmer.sync;

/**
 * Thrown by {@link Queue#getNowait} when the queue is empty (asyncio's {@code QueueEmpty}).
 * Unchecked: a caller that expects it catches it.
 *
 * <pre>{@code
 * List<String> batch = new ArrayList<>();
 * try {
 *     while (batch.size() < 100) {
 *         batch.add(queue.getNowait());   // take what is there, never wait
 *     }
 * } catch (QueueEmptyException e) {
 *     // the queue is drained for now
 * }
 * }</pre>
 */
public final class QueueEmptyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * With a message saying which call and why.
     *
     * @param message which call failed
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
