package dev.simmer.sync;

/**
 * Thrown by a queue's puts after {@link Queue#shutdown(boolean)}, and by its gets once it
 * is also empty; tasks waiting to put or get when it is shut down are woken with it
 * (asyncio 3.13's {@code QueueShutDown}). Unchecked, and not an
 * {@link IllegalStateException}: it is an expected end of work, not a misuse, so a consumer
 * loop can end on it:
 *
 * <pre>{@code
 * try {
 *     while (true) {
 *         handle(queue.get());
 *     }
 * } catch (QueueShutDownException done) {
 *     // the producer shut the queue down and everything was got
 * }
 * }</pre>
 */
public final class QueueShutDownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * With a message saying which call and why.
     *
     * @param message which call failed, and how the queue was shut down
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}
