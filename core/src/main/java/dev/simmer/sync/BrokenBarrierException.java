package dev.simmer.sync;

/**
 * Thrown by {@link Barrier#await()} when the barrier is broken ({@link Barrier#abort()}) or
 * reset ({@link Barrier#reset()}) while the task waits, or is already broken when the task
 * arrives (asyncio's {@code BrokenBarrierError}). Unchecked.
 *
 * <pre>{@code
 * try {
 *     barrier.await();
 * } catch (BrokenBarrierException e) {
 *     System.out.println("the round was called off: " + e.getMessage());
 * }
 * }</pre>
 */
public class BrokenBarrierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message why the barrier is broken, and what to do
     */
    public BrokenBarrierException(String message) {
        super(message);
    }
}
