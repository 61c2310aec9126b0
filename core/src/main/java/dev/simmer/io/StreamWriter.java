package dev.simmer.io;

import dev.simmer.EventLoop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The writing half of a stream (asyncio's {@code StreamWriter}). {@link #write} never
 * suspends: it sends what the network takes now and buffers the rest, which the loop sends
 * as the peer reads. {@link #drain()} is where a fast writer waits for a slow peer: it
 * suspends while more than the high-water mark is buffered, until the buffer is down to the
 * low-water mark, so memory stays bounded.
 *
 * <pre>{@code
 * for (byte[] chunk : chunks) {
 *     writer.write(chunk);
 *     writer.drain();        // waits here if the peer reads slower than we write
 * }
 * writer.close();
 * writer.waitClosed();
 * }</pre>
 *
 * <p>A failure of the network while sending buffered data (a reset, a broken pipe) closes
 * the stream and is thrown by the next {@code write}, {@code drain} or {@code waitClosed}.
 * Cancelling a task waiting in {@code drain} or {@code waitClosed} closes nothing and drops
 * nothing: the buffered data is still sent.
 *
 * <p>Must be called from the loop thread; {@code drain} and {@code waitClosed} from inside a
 * task. A call from another thread is refused with an {@link IllegalStateException} and
 * changes nothing: nothing is sent, queued or closed ({@link #peer()} and {@code toString()}
 * are thread-safe).
 */
public final class StreamWriter {
    /*
     * Overview:
     *
     *   state     what it means                               moves on when
     *   OPEN      write() accepted                            close(): CLOSING or CLOSED
     *   CLOSING   close() asked; buffered data still goes out the buffer is empty, and the sink's own
     *                                                         (sink.unsent()): CLOSED
     *   CLOSED    the sink is closed (also after a failure)   -
     *
     * While data is buffered, the sink watches for writability and flush() sends more; the
     * watch is dropped when the buffer empties. Drainers and closers each wait on a promise of
     * their own (a cancelled waiter must not cancel the others' wait).
     */
    private enum State { OPEN, CLOSING, CLOSED }

    private final EventLoop loop;
    private final ByteSink sink;
    private final int highWater;
    private final int lowWater;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private boolean watching;
    private boolean eofAfterFlush;
    private boolean closeBegun; // the sink has queued what it sends last (ByteSink.beginClose)
    private State state = State.OPEN;
    private IOException failure;
    private boolean failureThrown; // by write, drain or waitClosed: Connection.close() need not throw it again
    private final Waiters drainers = new Waiters();
    private final Waiters closers = new Waiters();
    private final Runnable flush = this::flush;

    StreamWriter(EventLoop loop, ByteSink sink, int highWater, int lowWater) {
        this.loop = loop;
        this.sink = sink;
        this.highWater = highWater;
        this.lowWater = lowWater;
    }

    /**
     * Sends {@code data}, or buffers what the network does not take now. Never suspends.
     *
     * @param data the bytes to send; copied if they must wait, so the array may be reused at once
     * @throws IOException if the stream failed earlier
     * @throws IllegalStateException after {@link #close()} or {@link #writeEof()}
     */
    public void write(byte[] data) throws IOException {
        LoopConfined.check(loop, "StreamWriter.write(...)");
        send(ByteBuffer.wrap(data));
    }

    /**
     * {@link #write(byte[])} of {@code length} bytes from {@code offset}.
     *
     * @param data the array holding the bytes
     * @param offset the index of the first byte to send
     * @param length how many bytes to send; 0 does nothing
     * @throws IOException if the stream failed earlier, or fails now
     * @throws IllegalStateException after {@link #close()} or {@link #writeEof()}
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code data}
     */
    public void write(byte[] data, int offset, int length) throws IOException {
        LoopConfined.check(loop, "StreamWriter.write(...)");
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        send(ByteBuffer.wrap(data, offset, length));
    }

    /**
     * Sends the bytes from {@code src}'s position to its limit, or buffers what the network does
     * not take now; the position ends at the limit either way, so the buffer may be reused at
     * once. Never suspends. A {@linkplain ByteBuffer#allocateDirect direct} buffer goes to the
     * socket with no copy in between.
     *
     * <pre>{@code
     * ByteBuffer frame = ByteBuffer.allocateDirect(4 + body.length);
     * frame.putInt(body.length).put(body).flip();
     * writer.write(frame);
     * writer.drain();
     * }</pre>
     *
     * @param src the bytes to send, from its position to its limit; copied if they must wait
     * @throws IOException if the stream failed earlier, or fails now
     * @throws IllegalStateException after {@link #close()} or {@link #writeEof()}
     */
    public void write(ByteBuffer src) throws IOException {
        LoopConfined.check(loop, "StreamWriter.write(...)");
        send(src);
    }

    private void send(ByteBuffer src) throws IOException {
        checkWritable("write");
        if (!src.hasRemaining()) {
            return;
        }
        if (pending.isEmpty()) {
            try {
                sink.write(src);
            } catch (IOException e) {
                fail(e);
                throw failed();
            }
            if (!src.hasRemaining()) {
                return;
            }
        }
        ByteBuffer copy = ByteBuffer.allocate(src.remaining());
        copy.put(src).flip();
        if (!watching) {
            sink.watch(flush); // first: if it refuses, nothing is queued that no watch would send
            watching = true;
        }
        pending.add(copy);
        pendingBytes += copy.remaining();
    }

    /**
     * {@link #write(byte[])} of {@code text} encoded as UTF-8.
     *
     * @param text the text to send, encoded as UTF-8 (no line end is added)
     * @throws IOException if the stream failed earlier, or fails now
     * @throws IllegalStateException after {@link #close()} or {@link #writeEof()}
     */
    public void write(String text) throws IOException {
        LoopConfined.check(loop, "StreamWriter.write(...)");
        send(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Suspends while more than the high-water mark is buffered, until it is down to the
     * low-water mark (asyncio's {@code drain}); returns at once otherwise.
     *
     * @throws IOException if sending failed (the stream is closed)
     */
    public void drain() throws Exception {
        LoopConfined.check(loop, "StreamWriter.drain()");
        while (true) {
            if (failure != null) {
                throw failed();
            }
            if (pendingBytes <= highWater || state == State.CLOSED) {
                return;
            }
            drainers.await();
        }
    }

    /**
     * Ends the output once the buffered data is sent: the peer reads the end of the stream,
     * and this side can still read (a half close; asyncio's {@code write_eof}).
     *
     * <pre>{@code
     * writer.write(request);
     * writer.writeEof();                     // "no more from me"
     * byte[] reply = reader.read(-1);        // the peer answers, then closes its side
     * }</pre>
     *
     * @throws IOException if the stream failed, or shutting the output down fails
     * @throws IllegalStateException after {@link #close()} or an earlier {@code writeEof()}
     * @throws UnsupportedOperationException if the stream has no half close ({@link #canWriteEof()})
     */
    public void writeEof() throws IOException {
        LoopConfined.check(loop, "StreamWriter.writeEof()");
        checkWritable("writeEof");
        if (!sink.canWriteEof()) {
            throw new UnsupportedOperationException("writeEof() on " + sink + ": this stream has no half close "
                    + "(TLS before 1.3 ends both directions with its close_notify, so the peer's answer could not "
                    + "come back); tell the peer you are done within your protocol, or close().");
        }
        eofAfterFlush = true;
        if (pending.isEmpty()) {
            afterLastWrite();
        }
    }

    /**
     * Closes the stream once the buffered data is sent (both directions). Never suspends;
     * {@link #waitClosed()} waits for it. Calling it again does nothing.
     */
    public void close() {
        LoopConfined.check(loop, "StreamWriter.close()");
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        if (pending.isEmpty()) {
            afterLastWrite();
        }
    }

    /** Closes the stream at once, dropping buffered data (asyncio's {@code transport.abort()}). */
    public void abort() {
        LoopConfined.check(loop, "StreamWriter.abort()");
        pending.clear();
        pendingBytes = 0;
        closeNow();
    }

    /**
     * Suspends until the stream is closed (after {@link #close()}, once the buffered data is
     * sent).
     *
     * @throws IOException if sending the buffered data failed
     */
    public void waitClosed() throws Exception {
        LoopConfined.check(loop, "StreamWriter.waitClosed()");
        awaitClosed();
        if (failure != null) {
            throw failed();
        }
    }

    /**
     * {@link Connection#close()}: close, wait, and throw a failure only if no call has thrown it
     * yet. Its caller has already been told of one thrown before (the very exception a
     * try-with-resources block is ending with, which must not come back as its own suppressed).
     */
    void closeAndWait() throws Exception {
        LoopConfined.checkTask(loop, "Connection.close()");
        close();
        awaitClosed();
        if (failure != null && !failureThrown) {
            throw failed();
        }
    }

    private void awaitClosed() throws Exception {
        while (state != State.CLOSED) {
            closers.await();
        }
    }

    /**
     * Whether {@link #writeEof()} can end this side only (asyncio's {@code can_write_eof}): true
     * for TCP, Unix-domain sockets, pipes and TLS 1.3; false for TLS 1.2 and earlier, whose
     * close_notify ends both directions.
     *
     * <pre>{@code
     * if (writer.canWriteEof()) {
     *     writer.writeEof();    // "no more from me"; the answer can still come back
     * }
     * }</pre>
     *
     * @return {@code true} if a half close is possible
     */
    public boolean canWriteEof() {
        LoopConfined.check(loop, "StreamWriter.canWriteEof()");
        return sink.canWriteEof();
    }

    /**
     * Whether {@link #close()} was called, or the stream failed (asyncio's {@code is_closing}).
     *
     * @return {@code true} once closing has begun, or the stream has failed
     */
    public boolean isClosing() {
        LoopConfined.check(loop, "StreamWriter.isClosing()");
        return state != State.OPEN;
    }

    /**
     * How many bytes are buffered, waiting for the peer to read.
     *
     * @return the number of bytes accepted by {@code write} but not yet taken by the network
     */
    public long bufferedBytes() {
        LoopConfined.check(loop, "StreamWriter.bufferedBytes()");
        return pendingBytes;
    }

    /**
     * The address of the other end (a {@link java.net.SocketAddress} for sockets), or null.
     *
     * @return the peer's address, or {@code null} when the stream has none (a pipe)
     */
    public Object peer() {
        return sink.peer();
    }

    @Override
    public String toString() {
        return "StreamWriter[" + sink + ", " + pendingBytes + " bytes buffered, " + state.name().toLowerCase() + "]";
    }

    // ------------------------------------------------------------------ internals

    ByteSink sink() {
        return sink;
    }

    int highWater() {
        return highWater;
    }

    int lowWater() {
        return lowWater;
    }

    /** The failure, noted as thrown to a caller. */
    private IOException failed() {
        failureThrown = true;
        return failure;
    }

    private void checkWritable(String call) throws IOException {
        if (failure != null) {
            throw failed();
        }
        if (state != State.OPEN || eofAfterFlush) {
            throw new IllegalStateException(call + "() after " + (eofAfterFlush ? "writeEof()" : "close()")
                    + ": the stream takes no more data.");
        }
    }

    /** The loop found the sink writable: send more of the buffer. */
    private void flush() {
        try {
            while (!pending.isEmpty()) {
                long n = sink.write(pending.toArray(new ByteBuffer[Math.min(pending.size(), 64)]));
                pendingBytes -= n;
                while (!pending.isEmpty() && !pending.peek().hasRemaining()) {
                    pending.poll();
                }
                if (n == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        if (pendingBytes <= lowWater) {
            drainers.wakeAll();
        }
        if (pending.isEmpty()) {
            afterLastWrite();
        }
    }

    /*
     * The buffer is empty. Unless the stream is closing or ending its output, stop watching.
     * If it is, the sink may still hold bytes of its own (TLS records the socket has not taken,
     * a pipe write under way, a TLS close_notify queued by beginClose): close or shut down
     * only once they are out, or the peer would lose the tail. The watched sink calls flush()
     * again when they are.
     */
    private void afterLastWrite() {
        if (state == State.CLOSING || eofAfterFlush) {
            boolean unsent;
            try {
                unsent = sink.unsent();
                if (!unsent && state == State.CLOSING && !closeBegun) {
                    closeBegun = true;
                    sink.beginClose(); // a TLS close_notify, after the data: it waits for room as the data does
                    unsent = sink.unsent();
                }
            } catch (IOException e) {
                fail(e);
                return;
            }
            if (unsent) {
                if (!watching) {
                    sink.watch(flush);
                    watching = true;
                }
                return;
            }
        }
        if (watching) {
            watching = false;
            sink.unwatch();
        }
        if (state == State.CLOSING) {
            closeNow();
        } else if (eofAfterFlush && state == State.OPEN) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        try {
            sink.shutdownOutput();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        pending.clear();
        pendingBytes = 0;
        closeNow();
    }

    private void closeNow() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (watching) {
            watching = false;
            sink.unwatch();
        }
        try {
            sink.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        drainers.wakeAll();
        closers.wakeAll();
    }
}
