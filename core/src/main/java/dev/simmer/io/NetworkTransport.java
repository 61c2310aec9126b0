package dev.simmer.io;

import dev.simmer.internal.Network;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream of a simulated network ({@link Network.Stream}) seen as a {@link ByteSource} and a
 * {@link ByteSink}, so that {@link StreamReader}, {@link StreamWriter}, {@link Server} and
 * {@link TlsTransport} run over it unchanged. Loop thread only.
 */
final class NetworkTransport implements SocketTransport {
    private final Network.Stream stream;

    NetworkTransport(Network.Stream stream) {
        this.stream = stream;
    }

    Network.Stream stream() {
        return stream;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return stream.read(dst);
    }

    @Override
    public void awaitData() throws Exception {
        stream.awaitReadable();
    }

    @Override
    public boolean closedLocally() {
        return stream.closedLocally();
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return stream.write(srcs);
    }

    @Override
    public void awaitWritable() throws Exception {
        stream.awaitWritable();
    }

    @Override
    public void tlsHandshaking(boolean inProgress) {
        stream.tlsHandshaking(inProgress);
    }

    @Override
    public void watch(Runnable whenWritable) {
        stream.watch(whenWritable);
    }

    @Override
    public void unwatch() {
        stream.unwatch();
    }

    @Override
    public void shutdownOutput() throws IOException {
        stream.shutdownOutput();
    }

    @Override
    public void close() {
        stream.close();
    }

    @Override
    public Object peer() {
        return stream.remote();
    }

    @Override
    public String toString() {
        return String.valueOf(stream.remote());
    }
}
