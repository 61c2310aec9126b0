package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.EventLoop;

import java.nio.channels.SelectableChannel;

/**
 * Suspending waits for a channel's readiness ({@link EventLoop#awaitReadable} and
 * {@link EventLoop#awaitWritable} of the running loop): the lowest level of Simmer's I/O,
 * for code that drives a non-blocking NIO channel itself.
 *
 * <pre>{@code
 * SocketChannel ch = ...;                 // configureBlocking(false)
 * ByteBuffer buf = ByteBuffer.allocate(4096);
 * int n;
 * while ((n = ch.read(buf)) == 0) {
 *     Readiness.awaitReadable(ch);        // suspends this task; others run
 * }
 * }</pre>
 *
 * <p>Readiness is a hint, as with {@code select(2)}: after waking, try the operation and wait
 * again if it does nothing. A channel closed meanwhile wakes the waiter, whose next operation
 * then fails with {@link java.nio.channels.ClosedChannelException}. Cancelling the waiting
 * task removes the interest and consumes nothing.
 *
 * <p>Must be called from inside a task. Only one task at a time may wait on a channel in
 * each direction: while one waits, a second task's wait is an {@link IllegalStateException}
 * naming the first (replacing its interest would leave it asleep for good).
 */
public final class Readiness {
    private Readiness() {
    }

    /**
     * Suspends until {@code channel} is readable (or, for a server channel, has a connection to accept).
     *
     * @param channel a channel in non-blocking mode; a closed one wakes the waiter at once
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws Exception {@link dev.simmer.CancelledException} if the task is cancelled while it waits
     */
    public static void awaitReadable(SelectableChannel channel) throws Exception {
        await(channel, false);
    }

    /**
     * Suspends until {@code channel} is writable (or, while a connect is pending, has finished connecting).
     *
     * @param channel a channel in non-blocking mode; a closed one wakes the waiter at once
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws Exception {@link dev.simmer.CancelledException} if the task is cancelled while it waits
     */
    public static void awaitWritable(SelectableChannel channel) throws Exception {
        await(channel, true);
    }

    private static void await(SelectableChannel channel, boolean write) {
        EventLoop loop = Async.loop();
        if (write) {
            loop.awaitWritable(channel);
        } else {
            loop.awaitReadable(channel);
        }
    }
}
