package dev.simmer.io;

import dev.simmer.EventLoop;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A connected, non-blocking socket channel seen as a {@link ByteSource} and a {@link ByteSink}:
 * the two halves of a TCP or Unix-domain stream share it. Loop thread only.
 */
final class ChannelTransport implements SocketTransport {
    private final EventLoop loop;
    private final SocketChannel channel;
    private final SocketAddress peer;
    private boolean closed;
    private boolean drained;
    private final ByteBuffer[] scatter = new ByteBuffer[2];

    ChannelTransport(EventLoop loop, SocketChannel channel) {
        this.loop = loop;
        this.channel = channel;
        SocketAddress remote;
        try {
            remote = channel.getRemoteAddress();
        } catch (IOException e) {
            remote = null;
        }
        this.peer = remote;
    }

    SocketChannel channel() {
        return channel;
    }

    /*
     * A read that leaves room in its buffers found the socket drained: the next read waits
     * for the selector first instead of asking the kernel (a read returning nothing costs a
     * system call, two per round trip of a request and its reply). Readiness is level-
     * triggered, so bytes that arrive meanwhile are reported at the next selection, and none
     * is missed; asyncio and Netty read only when told to.
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (drained) {
            return 0;
        }
        int room = dst.remaining();
        int n = channel.read(dst);
        drained = n >= 0 && n < room;
        return n;
    }

    @Override
    public int read(ByteBuffer dst, ByteBuffer overflow) throws IOException {
        if (drained) {
            return 0;
        }
        long room = (long) dst.remaining() + overflow.remaining();
        scatter[0] = dst;
        scatter[1] = overflow;
        long n;
        try {
            n = channel.read(scatter);
        } finally {
            scatter[0] = null;
            scatter[1] = null;
        }
        drained = n >= 0 && n < room;
        return (int) n;
    }

    @Override
    public void awaitData() throws Exception {
        Readiness.awaitReadable(channel);
        drained = false;
    }

    @Override
    public boolean closedLocally() {
        return closed;
    }

    @Override
    public void awaitWritable() throws Exception {
        Readiness.awaitWritable(channel);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return channel.write(srcs);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src); // not the gathering write: no iovec set-up for one buffer
    }

    @Override
    public void watch(Runnable whenWritable) {
        loop.addWriter(channel, whenWritable);
    }

    @Override
    public void unwatch() {
        loop.removeWriter(channel);
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            loop.closeChannel(channel);
        }
    }

    @Override
    public Object peer() {
        return peer;
    }

    @Override
    public String toString() {
        return String.valueOf(peer);
    }
}
