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
final class ChannelTransport implements ByteSource, ByteSink {
    private final EventLoop loop;
    private final SocketChannel channel;
    private final SocketAddress peer;
    private boolean closed;

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

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public void awaitData() throws Exception {
        Readiness.awaitReadable(channel);
    }

    @Override
    public boolean closedLocally() {
        return closed;
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
