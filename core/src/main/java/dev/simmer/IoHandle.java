package dev.simmer;

import java.nio.channels.SelectableChannel;

/**
 * A readiness callback set by {@link EventLoop#addReader} or {@link EventLoop#addWriter}:
 * it runs on the loop each pass the channel is ready, until {@link #cancel()} removes it.
 *
 * <pre>{@code
 * IoHandle h = Async.loop().addReader(channel, () -> System.out.println("readable"));
 * ...
 * h.cancel();   // the loop stops watching the channel for reading
 * }</pre>
 *
 * <p>Must be called from the loop thread.
 */
public final class IoHandle extends Handle {
    private final EventLoop loop;
    private final SelectableChannel channel;
    private final boolean write;

    IoHandle(Runnable callback, EventLoop loop, SelectableChannel channel, boolean write) {
        super(callback);
        this.loop = loop;
        this.channel = channel;
        this.write = write;
    }

    /**
     * The channel watched.
     *
     * @return the channel this handle watches
     */
    public SelectableChannel channel() {
        return channel;
    }

    /**
     * Whether it watches for writing (or connecting) rather than reading (or accepting).
     *
     * @return {@code true} for a writer (or connect) watch, {@code false} for a reader (or accept) watch
     */
    public boolean watchesWrite() {
        return write;
    }

    /** Stops watching: the callback does not run again, not even if readiness was already seen this pass. */
    @Override
    public void cancel() {
        loop.checkThread("IoHandle.cancel");
        super.cancel();
        loop.removeIo(this);
    }

    @Override
    public String toString() {
        return "IoHandle[" + (write ? "writer" : "reader") + " of " + channel + (isCancelled() ? ", cancelled" : "") + "]";
    }
}
