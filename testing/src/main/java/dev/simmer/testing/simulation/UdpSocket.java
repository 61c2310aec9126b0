package dev.simmer.testing.simulation;

import dev.simmer.internal.Network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/** A simulated UDP socket: datagrams that arrived and wait to be received. Loop thread only. */
final class UdpSocket implements Network.Datagrams {
    /** The most datagrams that wait in a socket; more are dropped, as a full receive buffer drops them. */
    static final int QUEUE_LIMIT = 1024;

    /** The largest UDP payload over IPv4. */
    static final int MAX_PAYLOAD = 65_507;

    record Packet(byte[] data, InetSocketAddress sender) {
    }

    private final SimNetwork net;
    final SimHost host;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    private final Wakeup readable = new Wakeup();
    private boolean closed;

    UdpSocket(SimNetwork net, SimHost host, InetSocketAddress local, InetSocketAddress remote) {
        this.net = net;
        this.host = host;
        this.local = local;
        this.remote = remote;
    }

    /** Whether a datagram from {@code sender} to {@code target} is for this socket. */
    boolean accepts(InetSocketAddress sender, InetAddress target) {
        InetAddress bound = local.getAddress();
        if (!bound.isAnyLocalAddress() && !bound.equals(target)) {
            return false;
        }
        return remote == null || remote.equals(sender);
    }

    /** A datagram arrived: false if the queue was full and it is dropped. */
    boolean enqueue(Packet p) {
        if (closed || queue.size() >= QUEUE_LIMIT) {
            return false;
        }
        queue.add(p);
        readable.signal();
        return true;
    }

    @Override
    public void send(ByteBuffer data, InetSocketAddress target) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        InetSocketAddress to = target != null ? target : remote;
        if (data.remaining() > MAX_PAYLOAD) {
            throw new IOException("Message too long: " + data.remaining() + " bytes, UDP carries at most " + MAX_PAYLOAD);
        }
        byte[] payload = new byte[data.remaining()];
        data.get(payload);
        net.sendDatagram(this, to, payload);
    }

    /** The address a datagram to {@code target} comes from. */
    InetSocketAddress sourceFor(InetAddress target) {
        InetAddress from = target.isLoopbackAddress() ? SimNetwork.LOOPBACK
                : local.getAddress().isAnyLocalAddress() ? host.address : local.getAddress();
        return new InetSocketAddress(from, local.getPort());
    }

    @Override
    public InetSocketAddress receive(ByteBuffer into) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        Packet p = queue.poll();
        if (p == null) {
            return null;
        }
        into.put(p.data(), 0, Math.min(p.data().length, into.remaining()));
        return p.sender();
    }

    @Override
    public void awaitReadable() throws Exception {
        if (closed || !queue.isEmpty()) {
            return;
        }
        readable.await();
    }

    @Override
    public InetSocketAddress local() {
        return local;
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        host.datagramSockets.remove(local.getPort(), this);
        readable.signal();
    }

    @Override
    public String toString() {
        return "udp " + host.name + ":" + local.getPort();
    }
}
