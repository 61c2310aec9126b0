package dev.simmer.testing.simulation;

import dev.simmer.internal.Network;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/** A simulated listening socket: connections that arrived and wait to be accepted. Loop thread only. */
final class TcpListener implements Network.Listener {
    private final SimNetwork net;
    final SimHost host;
    private final InetSocketAddress address;
    private final ArrayDeque<TcpEnd> backlog = new ArrayDeque<>();
    private final Wakeup acceptable = new Wakeup();
    private boolean closed;

    TcpListener(SimNetwork net, SimHost host, InetSocketAddress address) {
        this.net = net;
        this.host = host;
        this.address = address;
    }

    /** Whether a connection to {@code target} reaches it: bound to every address, or to that one. */
    boolean accepts(InetAddress target) {
        InetAddress bound = address.getAddress();
        return bound.isAnyLocalAddress() || bound.equals(target);
    }

    void enqueue(TcpEnd end) {
        backlog.add(end);
        acceptable.signal();
    }

    @Override
    public Network.Stream accept() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        TcpEnd end = backlog.poll();
        if (end != null) {
            net.trace(host, "accepted " + end.label);
        }
        return end;
    }

    @Override
    public void awaitAcceptable() throws Exception {
        if (closed || !backlog.isEmpty()) {
            return;
        }
        acceptable.await();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        host.listeners.remove(address.getPort(), this);
        host.tcpPortsInUse.remove(address.getPort());
        net.trace(host, "stop listening on " + address.getPort());
        for (TcpEnd end; (end = backlog.poll()) != null; ) {
            end.destroy("the listener closed before accepting it"); // the client is reset
        }
        acceptable.signal();
    }

    @Override
    public String toString() {
        return "listener " + host.name + ":" + address.getPort();
    }
}
