package dev.simmer.io;

import dev.simmer.Async;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * TLS over a connected socket, real or simulated ({@link SocketTransport}), on an
 * {@link SSLEngine}: a {@link ByteSource} and {@link ByteSink} of plaintext that the streams
 * use like a plain socket. Loop thread only.
 */
final class TlsTransport implements ByteSource, ByteSink {
    /*
     * Overview: netIn holds ciphertext read from the socket and not yet unwrapped (kept in
     * write mode: position = end of data), appIn plaintext unwrapped and not yet read (read
     * mode), netOut ciphertext wrapped and not yet sent (read mode). The socket's writer slot
     * belongs to this transport: it flushes netOut whenever the socket is writable, and
     * passes writability on to the stream's watcher only once netOut is empty. The socket is
     * reached only through its SocketTransport, so a simulated one serves as well as a real
     * one; the one difference is where the handshake's crypto runs (see DelegatedTasks).
     */
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    /** Where the handshake's delegated tasks (its crypto) run. */
    enum DelegatedTasks {
        /** On a worker thread, while the loop serves others: a real socket. */
        OFF_THE_LOOP,
        /** Inline on the loop: a simulated socket, where another thread would break determinism. */
        ON_THE_LOOP
    }

    private final SocketTransport raw;
    private final SSLEngine engine;
    private final DelegatedTasks delegatedTasks;
    private ByteBuffer netIn;
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    private Runnable watcher;
    private boolean flushing;
    private boolean inputEnded;
    private boolean shutdownAfterFlush;
    private IOException sendFailure;
    private final Runnable onWritable = this::onWritable;

    TlsTransport(SocketTransport raw, SSLEngine engine, DelegatedTasks delegatedTasks) {
        this.raw = raw;
        this.engine = engine;
        this.delegatedTasks = delegatedTasks;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(packet).flip();
    }

    /**
     * Runs the handshake to its end; suspends while the network is slow. A handshake that
     * fails sends the peer the engine's alert (best effort), so it learns why.
     */
    void handshake() throws Exception {
        raw.tlsHandshaking(true);
        try {
            runHandshake();
        } catch (SSLException e) {
            sendAlertQuietly();
            throw e;
        } finally {
            raw.tlsHandshaking(false);
        }
    }

    private void sendAlertQuietly() {
        try {
            engine.closeOutbound();
            wrap(NOTHING);
            raw.write(netOut);
        } catch (IOException | RuntimeException ignored) {
            // the alert is a courtesy: the handshake has failed either way
        }
    }

    private void runHandshake() throws Exception {
        engine.beginHandshake();
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    wrap(NOTHING);
                    flushFully();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (netIn.position() > 0 && unwrapSome()) {
                        if (inputEnded) {
                            throw new SSLHandshakeException("the peer closed TLS during the handshake");
                        }
                        continue; // progress: look at the new status
                    }
                    int n = readNet();
                    if (n < 0) {
                        throw new SSLHandshakeException("the peer closed the connection during the TLS handshake");
                    }
                    if (n == 0) {
                        raw.awaitData();
                    }
                }
                case NEED_TASK -> runDelegatedTasks();
                default -> {
                    flushFully();
                    return;
                }
            }
        }
    }

    /*
     * The handshake's crypto (key exchange, signatures, certificate checks: a millisecond or
     * more with RSA keys) runs on a worker thread while this task waits, so the loop serves
     * everything else meanwhile; the engine is made for that (its delegated tasks may run on
     * any thread, and nothing touches it until they are done). Post-handshake messages (a
     * TLS 1.3 key update) are cheap and answered inline, see answerIfNeeded. On a simulated
     * socket the crypto runs inline instead: the simulation admits no other thread, and its
     * virtual clock does not see the time spent anyway.
     */
    private void runDelegatedTasks() throws Exception {
        if (delegatedTasks == DelegatedTasks.ON_THE_LOOP) {
            runDelegatedTasksHere();
            return;
        }
        Async.toThread(() -> {
            runDelegatedTasksHere();
            return null;
        });
    }

    private void runDelegatedTasksHere() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }

    /** Unwraps what netIn holds; true if that made progress (consumed or produced anything). */
    private boolean unwrapSome() throws SSLException {
        netIn.flip();
        appIn.compact();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            appIn.flip();
            netIn.compact();
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && netIn.remaining() == 0) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize());
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            inputEnded = true;
            return true;
        }
        return r.bytesConsumed() > 0 || r.bytesProduced() > 0;
    }

    private int readNet() throws IOException {
        return raw.read(netIn);
    }

    private SSLEngineResult.Status wrap(ByteBuffer[] srcs) throws IOException {
        netOut.compact();
        try {
            SSLEngineResult r = engine.wrap(srcs, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut.flip();
                netOut = grow(netOut, engine.getSession().getPacketBufferSize());
                netOut.compact();
                r = engine.wrap(srcs, netOut);
            }
            return r.getStatus();
        } finally {
            netOut.flip();
        }
    }

    private void flushFully() throws Exception {
        while (netOut.hasRemaining()) {
            if (raw.write(netOut) == 0) {
                raw.awaitWritable();
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer b, int more) {
        ByteBuffer bigger = ByteBuffer.allocate(b.capacity() + more);
        b.flip();
        bigger.put(b);
        return bigger;
    }

    // ------------------------------------------------------------------ ByteSource

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (true) {
            if (appIn.hasRemaining()) {
                int n = Math.min(dst.remaining(), appIn.remaining());
                ByteBuffer slice = appIn.slice(appIn.position(), n);
                dst.put(slice);
                appIn.position(appIn.position() + n);
                return n;
            }
            if (inputEnded) {
                return -1;
            }
            if (netIn.position() > 0 && unwrapSome()) {
                answerIfNeeded();
                continue;
            }
            int n = readNet();
            if (n < 0) {
                inputEnded = true;
                try {
                    engine.closeInbound();
                } catch (SSLException truncated) {
                    throw new SSLException("the peer closed the connection without a TLS close_notify "
                            + "(the data may be truncated)", truncated);
                }
                return -1;
            }
            if (n == 0) {
                return 0;
            }
        }
    }

    /** Post-handshake messages (a key update) may ask for an answer: wrap it and let the writer slot send it. */
    private void answerIfNeeded() throws IOException {
        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            wrap(NOTHING);
            startFlushing();
        }
        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runDelegatedTasksHere();
        }
    }

    @Override
    public void awaitData() throws Exception {
        raw.awaitData();
    }

    @Override
    public boolean closedLocally() {
        return raw.closedLocally();
    }

    // ------------------------------------------------------------------ ByteSink

    @Override
    public boolean unsent() throws IOException {
        if (sendFailure != null) {
            throw sendFailure;
        }
        return netOut.hasRemaining();
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        if (sendFailure != null) {
            throw sendFailure;
        }
        if (netOut.hasRemaining()) {
            raw.write(netOut);
            if (netOut.hasRemaining()) {
                startFlushing();
                return 0;
            }
        }
        long before = remaining(srcs);
        if (wrap(srcs) == SSLEngineResult.Status.CLOSED && before > 0) {
            // Nothing can be sent any more (a TLS 1.2 peer's close_notify closes both ways): fail
            // the stream rather than take nothing forever.
            throw new SSLException("the TLS session is closed for sending (the peer ended it with a close_notify); "
                    + before + " bytes were not sent");
        }
        long taken = before - remaining(srcs);
        raw.write(netOut);
        if (netOut.hasRemaining()) {
            startFlushing();
        }
        return taken;
    }

    private static long remaining(ByteBuffer[] srcs) {
        long n = 0;
        for (ByteBuffer b : srcs) {
            n += b.remaining();
        }
        return n;
    }

    private void startFlushing() {
        if (!flushing) {
            flushing = true;
            raw.watch(onWritable);
        }
    }

    private void onWritable() {
        try {
            if (netOut.hasRemaining()) {
                raw.write(netOut);
            }
        } catch (IOException e) {
            netOut.position(netOut.limit()); // the stream fails on its next write or unsent()
            if (sendFailure == null) {
                sendFailure = e;
            }
        }
        if (netOut.hasRemaining()) {
            return;
        }
        if (shutdownAfterFlush) {
            shutdownAfterFlush = false; // the close_notify is out: now the half close itself
            try {
                raw.shutdownOutput();
            } catch (IOException e) {
                // the peer is gone; the reader sees it
            }
        }
        Runnable w = watcher;
        if (w != null) {
            w.run();
        } else {
            flushing = false;
            raw.unwatch();
        }
    }

    @Override
    public void watch(Runnable whenWritable) {
        watcher = whenWritable;
        if (!flushing) {
            flushing = true;
            raw.watch(onWritable);
        }
    }

    @Override
    public void unwatch() {
        watcher = null;
        if (flushing && !netOut.hasRemaining()) {
            flushing = false;
            raw.unwatch();
        }
    }

    @Override
    public boolean canWriteEof() {
        return "TLSv1.3".equals(engine.getSession().getProtocol());
    }

    @Override
    public void shutdownOutput() throws IOException {
        engine.closeOutbound();
        wrap(NOTHING);
        raw.write(netOut); // close_notify, best effort
        if (!netOut.hasRemaining()) {
            raw.shutdownOutput();
        } else {
            shutdownAfterFlush = true; // onWritable shuts the output once the close_notify is sent
            startFlushing();
        }
    }

    @Override
    public void beginClose() throws IOException {
        if (raw.closedLocally()) {
            return;
        }
        try {
            engine.closeOutbound();
            wrap(NOTHING);
            if (netOut.hasRemaining()) { // nothing after a writeEof, which sent it already
                raw.write(netOut);
            }
        } catch (IOException e) {
            netOut.position(netOut.limit()); // the peer is gone: close() closes the socket regardless
            return;
        }
        if (netOut.hasRemaining()) {
            startFlushing(); // the socket is full: the close_notify goes out when it can take it
        }
    }

    @Override
    public void close() throws IOException {
        if (raw.closedLocally()) {
            return;
        }
        try {
            engine.closeOutbound();
            wrap(NOTHING);
            raw.write(netOut); // close_notify, best effort: the socket closes regardless
        } catch (IOException ignored) {
            // the peer is gone
        }
        raw.close();
    }

    @Override
    public Object peer() {
        return raw.peer();
    }

    @Override
    public String toString() {
        return "TLS " + raw;
    }
}
