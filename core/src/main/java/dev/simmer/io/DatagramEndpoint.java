package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.EventLoop;
import dev.simmer.internal.Network;
import dev.simmer.internal.Networks;
import dev.simmer.internal.Rethrow;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * A UDP socket on the event loop (asyncio's {@code create_datagram_endpoint}, with a
 * suspending {@link #receive()} in place of the protocol callback).
 *
 * <pre>{@code
 * try (DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 0);
 *      DatagramEndpoint client = DatagramEndpoint.connect("127.0.0.1", server.port())) {
 *     client.send("ping".getBytes());
 *     Datagram d = server.receive();               // suspends until one arrives
 *     server.send("pong".getBytes(), d.sender());
 *     System.out.println(new String(client.receive().data()));
 * }
 * }</pre>
 *
 * <p>Memory is bounded: datagrams wait in the kernel's socket buffer, not in Simmer, until
 * {@code receive} takes them one at a time; one longer than {@link #maxDatagramSize()} is
 * truncated, as UDP does, and says so ({@link Datagram#truncated()}). Cancelling a
 * {@code receive} loses no datagram.
 *
 * <p>Must be called from the loop thread; {@code bind}, {@code connect}, {@code send} and
 * {@code receive} from inside a task. One task at a time may receive; any number may send. A
 * call from another thread is refused with an {@link IllegalStateException} that changes
 * nothing ({@link #localAddress()}, {@link #port()}, {@link #maxDatagramSize()} and
 * {@code toString()} are thread-safe).
 */
public final class DatagramEndpoint implements AutoCloseable {
    /** The largest payload a UDP datagram can carry over IPv4. */
    public static final int MAX_UDP_PAYLOAD = 65_507;

    /**
     * The receive size {@link #bind} and {@link #connect} use: 65,535 bytes, more than any UDP
     * payload over IPv4 (65,507) or IPv6 (65,527), so no datagram is cut.
     */
    public static final int MAX_DATAGRAM_SIZE = 65_535;

    private final EventLoop loop;
    private final DatagramChannel channel; // null on a simulated network
    private final Network.Datagrams simulated; // a socket of a simulated network, else null
    private final SocketAddress local;
    private final ByteBuffer in;
    private boolean receiving;
    private boolean sendWaiting;
    private final Waiters roomWaiters = new Waiters();

    private DatagramEndpoint(EventLoop loop, DatagramChannel channel, Network.Datagrams simulated,
                             int maxDatagramSize) throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.simulated = simulated;
        this.local = channel != null ? channel.getLocalAddress() : simulated.local();
        this.in = ByteBuffer.allocate(maxDatagramSize + 1); // one byte more: a datagram that fills it was cut
    }

    /**
     * A socket bound to {@code host:port} (port 0: a free one), sending to and receiving from anyone.
     *
     * @param host the local address to bind, as a name or a numeric address ({@code "0.0.0.0"}: every
     *     interface)
     * @param port the UDP port, or 0 for a free one ({@link #port()} tells which)
     * @return the open endpoint; close it when done
     * @throws Exception an {@link java.io.IOException} if the address cannot be bound or resolved
     */
    public static DatagramEndpoint bind(String host, int port) throws Exception {
        InetSocketAddress address = new InetSocketAddress(Streams.resolve(host).get(0), port);
        return open(address, null, MAX_DATAGRAM_SIZE);
    }

    /**
     * A socket connected to {@code host:port}: {@link #send(byte[])} goes there, only its datagrams are received.
     *
     * @param host the peer, as a name (resolved off the loop) or a numeric address
     * @param port the peer's UDP port
     * @return the open endpoint, bound to a free local port
     * @throws Exception an {@link java.io.IOException} if the name cannot be resolved or the socket opened
     */
    public static DatagramEndpoint connect(String host, int port) throws Exception {
        InetSocketAddress remote = new InetSocketAddress(Streams.resolve(host).get(0), port);
        return open(null, remote, MAX_DATAGRAM_SIZE);
    }

    /**
     * A socket bound to {@code local} (null: any free port of the remote's family) and, if
     * {@code remote} is not null, connected to it; datagrams longer than
     * {@code maxDatagramSize} are truncated.
     *
     * @param local the address to bind, or {@code null} for a free port
     * @param remote the peer to connect to, or {@code null} to send to and receive from anyone
     * @param maxDatagramSize the receive buffer's size in bytes, 1 to 65535; {@link #MAX_DATAGRAM_SIZE} keeps
     *     every datagram whole
     * @return the open endpoint
     * @throws IllegalArgumentException if both addresses are {@code null} or the size is out of range
     * @throws Exception an {@link java.io.IOException} if the socket cannot be opened, bound or connected
     */
    public static DatagramEndpoint open(InetSocketAddress local, InetSocketAddress remote, int maxDatagramSize)
            throws Exception {
        if (local == null && remote == null) {
            throw new IllegalArgumentException("a datagram endpoint needs a local address, a remote one, or both");
        }
        if (maxDatagramSize < 1 || maxDatagramSize > 65_535) {
            throw new IllegalArgumentException("maxDatagramSize must be 1..65535, was " + maxDatagramSize);
        }
        EventLoop loop = Async.loop();
        Network network = Networks.of(loop);
        if (network != null) {
            return new DatagramEndpoint(loop, null, network.openDatagrams(local, remote), maxDatagramSize);
        }
        InetSocketAddress either = local != null ? local : remote;
        DatagramChannel channel = DatagramChannel.open(either.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        boolean ok = false;
        try {
            channel.configureBlocking(false);
            channel.bind(local);
            if (remote != null) {
                channel.connect(remote);
            }
            DatagramEndpoint endpoint = new DatagramEndpoint(loop, channel, null, maxDatagramSize);
            ok = true;
            return endpoint;
        } finally {
            if (!ok) {
                loop.closeChannel(channel);
            }
        }
    }

    /**
     * The local address (with the real port when bound to port 0).
     *
     * @return the address the socket is bound to
     */
    public SocketAddress localAddress() {
        return local;
    }

    /**
     * The local port.
     *
     * @return the bound UDP port
     */
    public int port() {
        return ((InetSocketAddress) local).getPort();
    }

    /**
     * The largest payload {@link #receive()} returns whole.
     *
     * @return the receive buffer's size in bytes; longer datagrams are cut to it
     */
    public int maxDatagramSize() {
        return in.capacity() - 1;
    }

    /**
     * Sends {@code data} to {@code target}; suspends only if the socket's send buffer is full.
     * UDP does not say whether anyone received it; on some systems an ICMP "port unreachable"
     * for an earlier datagram surfaces here or in {@link #receive()} as a
     * {@link java.net.PortUnreachableException}.
     *
     * @param data the whole payload, sent as one datagram; may be empty
     * @param target where to send it; not {@code null}
     * @throws Exception an {@link java.io.IOException} if the socket fails (for example, a payload too long
     *     for UDP); {@link dev.simmer.CancelledException} if cancelled while waiting for buffer space
     */
    public void send(byte[] data, SocketAddress target) throws Exception {
        LoopConfined.check(loop, "DatagramEndpoint.send(...)");
        Objects.requireNonNull(target, "target");
        ByteBuffer out = ByteBuffer.wrap(data);
        if (simulated != null) {
            if (!(target instanceof InetSocketAddress inet)) {
                throw new IllegalArgumentException("a datagram goes to an InetSocketAddress, not " + target);
            }
            simulated.send(out, inet);
            return;
        }
        while (channel.send(out, target) == 0 && data.length > 0) {
            awaitRoom();
        }
    }

    /*
     * The send buffer is full. One task waits for the socket to become writable (the loop
     * watches a channel for one waiter per direction); other senders wait for that one to
     * wake, then each tries again.
     */
    private void awaitRoom() throws Exception {
        if (sendWaiting) {
            roomWaiters.await();
            return;
        }
        sendWaiting = true;
        try {
            Readiness.awaitWritable(channel);
        } finally {
            sendWaiting = false;
            roomWaiters.wakeAll();
        }
    }

    /**
     * Sends {@code data} to the address this endpoint is connected to.
     *
     * @param data the whole payload, sent as one datagram; may be empty
     * @throws IllegalStateException if the endpoint is not connected
     * @throws Exception an {@link java.io.IOException} if the socket fails;
     *     {@link dev.simmer.CancelledException} if cancelled while waiting for buffer space
     */
    public void send(byte[] data) throws Exception {
        LoopConfined.check(loop, "DatagramEndpoint.send(...)");
        if (!isConnected()) {
            throw new IllegalStateException("send(data) needs a connected endpoint (DatagramEndpoint.connect); "
                    + "name the target with send(data, target)");
        }
        ByteBuffer out = ByteBuffer.wrap(data);
        if (simulated != null) {
            simulated.send(out, null);
            return;
        }
        while (channel.write(out) == 0 && data.length > 0) {
            awaitRoom();
        }
    }

    /**
     * Suspends until a datagram arrives and returns it. On a connected endpoint, an ICMP
     * "port unreachable" for an earlier send may surface here as a
     * {@link java.net.PortUnreachableException}.
     *
     * @return the next datagram: its payload (cut to {@link #maxDatagramSize()}) and its sender
     * @throws IllegalStateException if another task is already receiving on this endpoint
     * @throws Exception an {@link java.io.IOException} if the socket fails or is closed;
     *     {@link dev.simmer.CancelledException} if the task is cancelled while it waits
     */
    public Datagram receive() throws Exception {
        LoopConfined.check(loop, "DatagramEndpoint.receive()");
        if (receiving) {
            throw new IllegalStateException("receive() was called while another task already waits on this endpoint;"
                    + " receive from one task and hand the datagrams on through a Queue.");
        }
        receiving = true;
        try {
            while (true) {
                in.clear();
                SocketAddress from = simulated != null ? simulated.receive(in) : channel.receive(in);
                if (from != null) {
                    boolean truncated = in.position() > maxDatagramSize();
                    return new Datagram(Arrays.copyOf(in.array(), Math.min(in.position(), maxDatagramSize())), from,
                            truncated);
                }
                if (simulated != null) {
                    simulated.awaitReadable();
                } else {
                    Readiness.awaitReadable(channel);
                }
            }
        } finally {
            receiving = false;
        }
    }

    /**
     * Closes the socket; idempotent. A task waiting in {@link #receive()} wakes and fails with
     * an {@link java.io.IOException}. Declares no checked exception (no {@code -Xlint:try}
     * warning at each use); a failure to close comes out unchanged.
     */
    @Override
    public void close() {
        LoopConfined.check(loop, "DatagramEndpoint.close()");
        if (simulated != null) {
            simulated.close();
            return;
        }
        try {
            loop.closeChannel(channel);
        } catch (IOException e) {
            throw Rethrow.unchecked(e);
        }
    }

    @Override
    public String toString() {
        return "DatagramEndpoint[" + local + (isConnected() ? " -> " + remoteOrNull() : "") + "]";
    }

    private boolean isConnected() {
        return simulated != null ? simulated.remote() != null : channel.isConnected();
    }

    private SocketAddress remoteOrNull() {
        if (simulated != null) {
            return simulated.remote();
        }
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
