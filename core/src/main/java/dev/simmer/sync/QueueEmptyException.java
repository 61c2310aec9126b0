package dev.simmer.sync;

/**
 * Thrown by {@link Queue#getNowait} when the queue is empty (asyncio's {@code QueueEmpty}).
 * Unchecked: a caller that expects it catches it.
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
