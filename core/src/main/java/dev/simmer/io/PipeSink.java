package dev.simmer.io;

import dev.simmer.Async;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;

/**
 * A {@link ByteSink} over a blocking {@link OutputStream} (a process's stdin): it takes one
 * batch at a time and writes it on a virtual thread ({@link Async#toThread}); while that
 * write is under way it takes nothing more, which is what makes {@link StreamWriter#drain}
 * wait for a process that does not read. Loop thread only.
 */
final class PipeSink implements ByteSink {
    private static final int BATCH = 64 * 1024;

    private final OutputStream out;
    private final String name;
    private final UnaryOperator<IOException> explain; // a write's failure, told in the owner's terms
    private boolean busy;
    private boolean closed;
    private IOException failure;
    private Runnable watcher;
    private boolean shutdownAfter;

    PipeSink(OutputStream out, String name, UnaryOperator<IOException> explain) {
        this.out = out;
        this.name = name;
        this.explain = explain;
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (busy) {
            return 0;
        }
        int total = 0;
        for (ByteBuffer b : srcs) {
            total += Math.min(b.remaining(), BATCH - total);
            if (total == BATCH) {
                break;
            }
        }
        if (total == 0) {
            return 0;
        }
        byte[] batch = new byte[total];
        int at = 0;
        for (ByteBuffer b : srcs) {
            int n = Math.min(b.remaining(), total - at);
            b.get(batch, at, n);
            at += n;
            if (at == total) {
                break;
            }
        }
        busy = true;
        Async.createTask("write to " + name, () -> {
            try {
                Async.toThread(() -> {
                    out.write(batch);
                    out.flush();
                    return null;
                });
            } catch (IOException e) {
                failure = explain.apply(e);
            } finally {
                busy = false;
                if (shutdownAfter) {
                    closeQuietly();
                }
                Runnable w = watcher;
                if (w != null) {
                    w.run();
                }
            }
            return null;
        });
        return total;
    }

    @Override
    public boolean unsent() throws IOException {
        if (failure != null) {
            throw failure;
        }
        return busy;
    }

    @Override
    public void watch(Runnable whenWritable) {
        watcher = whenWritable;
    }

    @Override
    public void unwatch() {
        watcher = null;
    }

    @Override
    public void shutdownOutput() {
        if (busy) {
            shutdownAfter = true;
        } else {
            closeQuietly();
        }
    }

    @Override
    public void close() {
        closed = true;
        shutdownOutput();
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // the process has gone: nothing more to send anyway
        }
    }

    @Override
    public Object peer() {
        return null;
    }

    @Override
    public String toString() {
        return name;
    }
}
