package dev.simmer.io;

import dev.simmer.EventLoop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reading half of a stream (asyncio's {@code StreamReader}): reads suspend the calling
 * task until data arrives, while other tasks run.
 *
 * <pre>{@code
 * try (Connection c = Streams.openConnection("127.0.0.1", port)) {
 *     c.writer().write("PING\n");
 *     byte[] line = c.reader().readLine();       // "PONG\n", or empty at the end of the stream
 *     byte[] frame = c.reader().readExactly(8);  // exactly 8 bytes, or IncompleteReadException
 * }
 * }</pre>
 *
 * <p>Each read comes in two forms: one that returns a new array ({@link #read(int)},
 * {@link #readExactly(int)}), and one that fills the caller's array or {@link ByteBuffer}
 * ({@link #read(byte[], int, int)}, {@link #readExactly(ByteBuffer)}, ...), which allocates
 * nothing and suits bulk data.
 *
 * <p>Memory is bounded: the reader takes bytes from the network only when a read asks for
 * them, and {@link #readLine} and {@link #readUntil} give up with a
 * {@link LimitOverrunException} once a line outgrows the {@linkplain StreamOptions#limit()
 * limit} (64 KiB by default) rather than buffer it whole.
 *
 * <p>Cancellation loses nothing: a read cancelled while it waits leaves every byte that had
 * arrived in the reader, for the next read. Cancelling a read closes nothing.
 *
 * <p>Must be called from the loop thread, from inside a task (reads suspend); a call from
 * another thread is refused with an {@link IllegalStateException} and takes nothing
 * ({@link #limit()} and {@code toString()} are thread-safe). One task at a
 * time may read: a second read while one waits is an {@link IllegalStateException}.
 */
public final class StreamReader {
    /*
     * Overview: buf[start, end) holds bytes taken from the source and not yet returned.
     * fill() reads once more from the source, waiting for readiness if nothing is there,
     * and never lets the buffer grow past `cap` (limit plus one chunk) unless a read of a
     * known size needs it (readExactly(n) with n larger, read until the end). readUntil
     * remembers how far past `start` it has searched (relative: fill() may move the data to
     * the front of the buffer), so a long chunk arriving in many small pieces is searched
     * once, not once per piece. A failure of the source is kept in `failure` and thrown by
     * every read that needs the source again, as asyncio's set_exception does.
     */
    private static final int CHUNK = 16 * 1024;
    private static final int INITIAL = 4096;
    /** A read into the caller's buffer at least this large, with nothing buffered, bypasses the buffer. */
    private static final int DIRECT_READ = 8 * 1024;

    private final EventLoop loop;
    private final ByteSource source;
    private final int limit;
    private final int cap;
    private byte[] buf = new byte[INITIAL];
    private int start;
    private int end;
    private boolean eof;
    private IOException failure;
    private boolean waiting;

    StreamReader(EventLoop loop, ByteSource source, int limit) {
        this.loop = loop;
        this.source = source;
        this.limit = limit;
        this.cap = limit + CHUNK;
    }

    /**
     * The most a line or separated chunk may hold (see {@link StreamOptions#limit()}).
     *
     * @return the limit in bytes
     */
    public int limit() {
        return limit;
    }

    /**
     * Up to {@code n} bytes: what is buffered, or, if nothing is, what the next arrival
     * brings. An empty array only at the end of the stream. {@code n < 0} reads until the
     * end (everything, however large: use it only on streams known to be small).
     *
     * <pre>{@code
     * byte[] chunk;
     * while ((chunk = reader.read(8192)).length > 0) {   // whatever has arrived, up to 8 KiB
     *     out.write(chunk);
     * }
     * }</pre>
     *
     * @param n the most bytes to return; 0 returns an empty array at once, a negative count reads to the end
     * @return between 1 and {@code n} bytes (more for {@code n < 0}); empty only at the end of the stream
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled while it waits (nothing buffered is
     *     lost)
     */
    public byte[] read(int n) throws Exception {
        LoopConfined.check(loop, "StreamReader.read(...)");
        if (n < 0) {
            return readToEnd();
        }
        if (n == 0) {
            return new byte[0];
        }
        if (held() == 0) {
            fill(Math.min(n, cap));
        }
        return take(Math.min(n, held()));
    }

    /**
     * Exactly {@code n} bytes.
     *
     * @param n how many bytes to read, zero or more
     * @return exactly {@code n} bytes
     * @throws IncompleteReadException if the stream ends first; it holds what did arrive,
     *         which is consumed
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public byte[] readExactly(int n) throws Exception {
        LoopConfined.check(loop, "StreamReader.readExactly(...)");
        if (n < 0) {
            throw new IllegalArgumentException("readExactly needs a count of zero or more, not " + n);
        }
        while (held() < n) {
            if (!fill(n)) {
                throw new IncompleteReadException(take(held()), n);
            }
        }
        return take(n);
    }

    /**
     * Up to {@code length} bytes into {@code dst} from {@code offset}, as
     * {@link java.io.InputStream#read(byte[], int, int)}: what is buffered, or, if nothing is,
     * what the next arrival brings. It allocates nothing, and a large read (8 KiB or more) with
     * nothing buffered goes from the network straight into {@code dst}: the form for moving bulk
     * data with one buffer reused.
     *
     * <pre>{@code
     * byte[] buf = new byte[16 * 1024];
     * int n;
     * while ((n = reader.read(buf, 0, buf.length)) > 0) {   // -1 at the end of the stream
     *     writer.write(buf, 0, n);
     *     writer.drain();
     * }
     * }</pre>
     *
     * @param dst where the bytes go
     * @param offset the index in {@code dst} of the first byte read
     * @param length the most bytes to read; 0 returns 0 at once
     * @return how many bytes were read, between 1 and {@code length}; -1 at the end of the stream
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code dst}
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled while it waits (nothing is lost:
     *     {@code dst} is left as it was)
     */
    public int read(byte[] dst, int offset, int length) throws Exception {
        LoopConfined.check(loop, "StreamReader.read(...)");
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        return length == 0 ? 0 : readSome(ByteBuffer.wrap(dst, offset, length));
    }

    /**
     * Up to {@code dst.remaining()} bytes into {@code dst}, as
     * {@link java.nio.channels.ReadableByteChannel#read}: what is buffered, or, if nothing is,
     * what the next arrival brings; {@code dst}'s position moves past them. With a
     * {@linkplain ByteBuffer#allocateDirect direct} buffer, a large read with nothing buffered
     * takes the bytes from the socket with no copy in between.
     *
     * <pre>{@code
     * ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
     * while (reader.read(buf) > 0) {
     *     buf.flip();
     *     writer.write(buf);     // takes all of it: sent, or copied to the writer's buffer
     *     buf.clear();
     *     writer.drain();
     * }
     * }</pre>
     *
     * @param dst where the bytes go, from its position up to its limit
     * @return how many bytes were read; 0 only if {@code dst} has no room; -1 at the end of the stream
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled while it waits
     */
    public int read(ByteBuffer dst) throws Exception {
        LoopConfined.check(loop, "StreamReader.read(...)");
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        return dst.hasRemaining() ? readSome(dst) : 0;
    }

    /**
     * Exactly {@code length} bytes into {@code dst} from {@code offset}, as
     * {@link java.io.DataInput#readFully(byte[], int, int)}: {@link #readExactly(int)} with no
     * array made.
     *
     * <pre>{@code
     * byte[] header = new byte[8];
     * reader.readExactly(header, 0, 8);   // suspends until all 8 have come
     * }</pre>
     *
     * @param dst where the bytes go
     * @param offset the index in {@code dst} of the first byte read
     * @param length how many bytes to read
     * @throws IncompleteReadException if the stream ends first; it holds what did arrive (which is
     *         also in {@code dst})
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code dst}
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled while it waits (nothing is lost: the
     *     bytes that had come stay in the reader, for the next read)
     */
    public void readExactly(byte[] dst, int offset, int length) throws Exception {
        LoopConfined.check(loop, "StreamReader.readExactly(...)");
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        readFully(ByteBuffer.wrap(dst, offset, length));
    }

    /**
     * Exactly {@code dst.remaining()} bytes into {@code dst}, whose position ends at its limit.
     *
     * @param dst where the bytes go, from its position up to its limit
     * @throws IncompleteReadException if the stream ends first; it holds what did arrive
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled while it waits (nothing is lost: the
     *     bytes that had come stay in the reader, and {@code dst}'s position is where it was)
     */
    public void readExactly(ByteBuffer dst) throws Exception {
        LoopConfined.check(loop, "StreamReader.readExactly(...)");
        if (dst.isReadOnly()) {
            throw new java.nio.ReadOnlyBufferException();
        }
        readFully(dst);
    }

    /**
     * One line, with its {@code '\n'}; at the end of the stream, what is left without it
     * (empty once nothing is left), as asyncio's {@code readline}.
     *
     * <p>A line longer than the limit is a {@link LimitOverrunException}, and what had come of
     * it is discarded: up to its newline if that had come, else everything buffered. In the
     * second case the rest of the overlong line is still on its way, and <b>its tail comes out
     * of the next {@code readLine} as an ordinary line</b> (ending in {@code '\n'}, or throwing
     * again if it too is over the limit): the reader cannot tell it from a line of its own. A
     * protocol for which a fragment could pass for a command should end the connection after
     * the exception, as the chat server example does:
     *
     * <pre>{@code
     * try {
     *     line = reader.readLine();
     * } catch (LimitOverrunException e) {
     *     writer.write("ERR line too long\n");
     *     writer.close();                        // do not read on: the next "line" is its tail
     *     return;
     * }
     * }</pre>
     *
     * @return the line's bytes including the {@code '\n'}; the unterminated rest at the end; empty when
     *     nothing is left
     * @throws LimitOverrunException if the line is longer than the limit; the overlong line
     *         is discarded (up to its newline if it has come, else everything buffered, and its
     *         tail then comes out of the next {@code readLine} as a line of its own)
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled while it waits (nothing buffered is
     *     lost)
     */
    public byte[] readLine() throws Exception {
        LoopConfined.check(loop, "StreamReader.readLine()");
        return readLine0();
    }

    private byte[] readLine0() throws Exception {
        try {
            return readUntil0(NEWLINE);
        } catch (IncompleteReadException e) {
            return e.partial();
        } catch (LimitOverrunException e) {
            int sepAt = indexOf(NEWLINE, start, end);
            start = sepAt >= 0 ? sepAt + 1 : end;
            compactIfEmpty();
            throw e;
        }
    }

    /**
     * {@link #readLine()} decoded as UTF-8, with the line end ({@code "\n"} or {@code "\r\n"}) removed; null at the end.
     *
     * @return the line without its line end, or {@code null} at the end of the stream (an empty line is
     *     {@code ""})
     * @throws LimitOverrunException if the line is longer than the limit
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled while it waits
     */
    public String readLineUtf8() throws Exception {
        LoopConfined.check(loop, "StreamReader.readLineUtf8()");
        byte[] line = readLine0();
        if (line.length == 0) {
            return null;
        }
        int len = line.length;
        if (line[len - 1] == '\n') {
            len--;
            if (len > 0 && line[len - 1] == '\r') {
                len--;
            }
        }
        return new String(line, 0, len, StandardCharsets.UTF_8);
    }

    /**
     * The bytes up to and including {@code separator} (asyncio's {@code readuntil}).
     *
     * <pre>{@code
     * byte[] header = reader.readUntil("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));   // an HTTP header block
     * }</pre>
     *
     * @param separator the bytes that end a chunk, at least one
     * @return the chunk, ending with {@code separator}
     * @throws IncompleteReadException if the stream ends first (what arrived is consumed)
     * @throws LimitOverrunException if no separator comes within the limit (the chunk before
     *         the separator, separator not counted, may hold up to {@link #limit()} bytes); the
     *         data stays in the reader
     * @throws IllegalArgumentException if {@code separator} is empty
     */
    public byte[] readUntil(byte[] separator) throws Exception {
        LoopConfined.check(loop, "StreamReader.readUntil(...)");
        if (separator.length == 0) {
            throw new IllegalArgumentException("readUntil needs a separator of at least one byte");
        }
        return readUntil0(separator);
    }

    private byte[] readUntil0(byte[] separator) throws Exception {
        int searched = 0; // bytes after `start` known to hold no whole separator start
        while (true) {
            int at = indexOf(separator, start + searched, end);
            if (at >= 0) {
                if (at - start > limit) {
                    throw new LimitOverrunException("the separator was found, but the chunk before it ("
                            + (at - start) + " bytes) is longer than the limit of " + limit + " bytes", at - start);
                }
                return take(at + separator.length - start);
            }
            searched = Math.max(0, held() - separator.length + 1);
            if (searched > limit) {
                throw new LimitOverrunException("no separator within the limit of " + limit + " bytes ("
                        + held() + " buffered): the peer sends a chunk longer than allowed", held());
            }
            if (!fill(cap)) {
                throw new IncompleteReadException(take(held()), -1);
            }
        }
    }

    /**
     * Whether the stream has ended and every byte has been read (asyncio's {@code at_eof}).
     * The reader learns of the end when a read meets it: the end of the stream is not read
     * ahead, so right after the last byte is read this may still say {@code false}, and the
     * next read returns the end (empty, or -1).
     *
     * @return {@code true} once a read has met the end of the stream and nothing is left to read
     */
    public boolean atEof() {
        LoopConfined.check(loop, "StreamReader.atEof()");
        return eof && held() == 0;
    }

    /**
     * How many bytes are buffered, read from the network but not yet by the caller.
     *
     * @return the number of bytes readable without suspending
     */
    public int buffered() {
        LoopConfined.check(loop, "StreamReader.buffered()");
        return end - start;
    }

    @Override
    public String toString() {
        return "StreamReader[" + source + ", " + held() + " bytes buffered" + (eof ? ", at end" : "")
                + (failure != null ? ", failed: " + failure : "") + "]";
    }

    // ------------------------------------------------------------------ internals

    /** How many bytes are buffered ({@link #buffered()} without the check). */
    private int held() {
        return end - start;
    }

    private static final byte[] NEWLINE = {'\n'};

    /**
     * Everything until the end. The bytes stay in the buffer (which grows) until the end has
     * come, and only then are taken: a read cut short (a cancellation, a failure of the
     * source) leaves every byte for the next read.
     */
    private byte[] readToEnd() throws Exception {
        while (fill(held() + CHUNK)) {
            // keep reading: everything arrived so far stays buffered
        }
        return take(held());
    }

    /**
     * Reads once more from the source, waiting until something arrives, so that the buffer
     * may hold up to {@code want} bytes. Returns false at the end of the stream.
     */
    private boolean fill(int want) throws Exception {
        if (failure != null) {
            throw failure;
        }
        if (eof) {
            return false;
        }
        checkNotWaiting();
        makeRoom(want);
        int n = readSource(ByteBuffer.wrap(buf, end, buf.length - end), null);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** Up to {@code dst.remaining() > 0} bytes into {@code dst}: buffered ones first, else from the source; -1 at the end. */
    private int readSome(ByteBuffer dst) throws Exception {
        int have = held();
        if (have == 0 && dst.remaining() >= DIRECT_READ) {
            if (failure != null) {
                throw failure;
            }
            if (eof) {
                return -1;
            }
            checkNotWaiting();
            // Bulk data skips the buffer (one copy fewer); bytes beyond dst land in the
            // buffer, and a read that leaves room in both tells the source it is drained.
            ByteBuffer overflow = ByteBuffer.wrap(buf, end, buf.length - end);
            int n = readSource(dst, overflow);
            if (n < 0) {
                return -1;
            }
            int over = overflow.position() - end;
            end += over;
            return n - over;
        }
        if (have == 0) {
            if (!fill(Math.min(dst.remaining(), cap))) {
                return -1;
            }
            have = held();
        }
        int n = Math.min(have, dst.remaining());
        dst.put(buf, start, n);
        start += n;
        compactIfEmpty();
        return n;
    }

    /**
     * Fills what remains of {@code dst}, or throws IncompleteReadException with what came. If a
     * wait is cut short (a cancellation), the bytes taken so far go back to the front of the
     * buffer and {@code dst}'s position back to where it was: nothing is lost.
     */
    private void readFully(ByteBuffer dst) throws Exception {
        int from = dst.position();
        int n = 0;
        while (dst.hasRemaining()) {
            try {
                n = readSome(dst);
            } catch (Throwable e) {
                unread(dst, from);
                throw e;
            }
            if (n < 0) {
                int got = dst.position() - from;
                byte[] partial = new byte[got];
                dst.get(from, partial);
                throw new IncompleteReadException(partial, dst.limit() - from);
            }
        }
    }

    /** Puts {@code dst[from, position)} back in front of what is buffered, and {@code dst}'s position back to {@code from}. */
    private void unread(ByteBuffer dst, int from) {
        int count = dst.position() - from;
        if (count == 0) {
            return;
        }
        int have = held();
        byte[] into = count + have <= buf.length ? buf : new byte[count + have];
        System.arraycopy(buf, start, into, count, have);
        dst.get(from, into, 0, count);
        buf = into;
        start = 0;
        end = count + have;
        dst.position(from);
    }

    private void checkNotWaiting() {
        if (waiting) {
            throw new IllegalStateException("A read was called while another task already waits for data on this "
                    + "stream; read from one task (hand the data to others through a Queue).");
        }
    }

    /**
     * Reads from the source into {@code into} (and on into {@code overflow}, if not null),
     * waiting until something arrives: the count (at least 1), or -1 at the end.
     */
    private int readSource(ByteBuffer into, ByteBuffer overflow) throws Exception {
        while (true) {
            int n;
            try {
                n = overflow == null ? source.read(into) : source.read(into, overflow);
            } catch (ClosedChannelException e) {
                if (!source.closedLocally()) {
                    failure = e;
                    throw e;
                }
                n = -1; // our own side closed the stream: that is its end, as in asyncio
            } catch (IOException e) {
                failure = e; // every later read that needs the source throws it again
                throw e;
            }
            if (n > 0) {
                return n;
            }
            if (n < 0) {
                eof = true;
                return -1;
            }
            waiting = true;
            try {
                source.awaitData();
            } finally {
                waiting = false;
            }
        }
    }

    /** Makes space after `end` (at least one byte) for the buffer to hold up to {@code want} bytes, growing by doubling. */
    private void makeRoom(int want) {
        int max = Math.max(want, held() + 1);
        int wanted = Math.min(CHUNK, max - held());
        if (start > 0 && buf.length - end < wanted) {
            System.arraycopy(buf, start, buf, 0, held());
            end -= start;
            start = 0;
        }
        if (buf.length - end < wanted) {
            int grown = Math.min(Math.max(buf.length * 2, end + 1), Math.max(max, buf.length));
            if (grown > buf.length) {
                buf = Arrays.copyOf(buf, grown);
            }
        }
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        compactIfEmpty();
        return out;
    }

    private void compactIfEmpty() {
        if (start == end) {
            start = 0;
            end = 0;
            if (buf.length > cap) {
                buf = new byte[INITIAL]; // a large readExactly is over: give the memory back
            }
        }
    }

    private int indexOf(byte[] sep, int from, int to) {
        byte first = sep[0];
        for (int i = from; i <= to - sep.length; i++) {
            if (buf[i] == first) {
                int j = 1;
                while (j < sep.length && buf[i + j] == sep[j]) {
                    j++;
                }
                if (j == sep.length) {
                    return i;
                }
            }
        }
        return -1;
    }
}
