package dev.simmer.io;

import dev.simmer.Async;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link ByteSource} over a blocking {@link InputStream} (a process's pipe, which NIO cannot
 * select): a virtual thread reads one chunk at a time, when the loop asks for it, so at most
 * one chunk is held beyond what the reader buffers. Loop thread only, but for the pump.
 */
final class PipeSource implements ByteSource {
    /*
     * Overview: `next` is the chunk the pump reads now, as a future (value null: the end;
     * exceptional: the stream failed). A reader waits on a copy of it, so that cancelling the
     * wait never cancels the chunk: a chunk that arrives after its reader was cancelled is
     * simply there for the next read.
     */
    private static final int CHUNK = 16 * 1024;

    private final InputStream in;
    private final String name;
    private final LinkedBlockingQueue<CompletableFuture<byte[]>> requests = new LinkedBlockingQueue<>();
    private final Thread pump;
    private CompletableFuture<byte[]> next;
    private byte[] chunk;
    private int pos;
    private boolean ended;
    private boolean closed;

    PipeSource(InputStream in, String name) {
        this.in = in;
        this.name = name;
        this.pump = Thread.ofVirtual().name("simmer-pipe-" + name).start(this::pump);
        request();
    }

    private void pump() {
        try {
            while (true) {
                CompletableFuture<byte[]> f = requests.take();
                byte[] buf = new byte[CHUNK];
                int n;
                try {
                    n = in.read(buf);
                } catch (IOException e) {
                    f.completeExceptionally(e);
                    return;
                }
                if (n < 0) {
                    f.complete(null);
                    return;
                }
                f.complete(n == CHUNK ? buf : java.util.Arrays.copyOf(buf, n));
            }
        } catch (InterruptedException closing) {
            // close(): nobody wants more
        }
    }

    private void request() {
        next = new CompletableFuture<>();
        requests.add(next);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        while (chunk == null || pos == chunk.length) {
            if (ended) {
                return -1;
            }
            if (!next.isDone()) {
                return 0;
            }
            try {
                chunk = next.join();
            } catch (java.util.concurrent.CompletionException e) {
                ended = true;
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
            pos = 0;
            if (chunk == null) {
                ended = true;
                return -1;
            }
            request();
        }
        int n = Math.min(dst.remaining(), chunk.length - pos);
        dst.put(chunk, pos, n);
        pos += n;
        return n;
    }

    @Override
    public void awaitData() throws Exception {
        if (!next.isDone()) {
            Async.await(next.copy()); // a copy: cancelling this wait leaves the chunk for the next read
        }
    }

    @Override
    public boolean closedLocally() {
        return closed;
    }

    void close() {
        closed = true;
        pump.interrupt();
        try {
            in.close();
        } catch (IOException ignored) {
            // the process is gone or going
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
