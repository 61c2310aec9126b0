package dev.simmer.sync;

/**
 * Thrown by {@link Queue#putNowait} when the queue is full (asyncio's {@code QueueFull}).
 * Unchecked: a caller that expects it catches it.
 *
 * <pre>{@code
 * try {
 *     queue.putNowait(job);
 * } catch (QueueFullException e) {
 *     rejected++;              // shed load instead of waiting for room
 * }
 * }</pre>
 */
public final class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * With a message saying which call and why.
     *
     * @param message which call failed, and the queue's capacity
     */
    public QueueFullException(String message) {
        super(message);
    }
}
