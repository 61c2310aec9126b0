package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.AsyncRunnable;
import dev.simmer.EventLoop;
import dev.simmer.internal.Network;
import dev.simmer.internal.Networks;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * TCP and Unix-domain streams on the event loop (asyncio's {@code open_connection} and
 * {@code start_server}).
 *
 * <pre>{@code
 * // a server that answers each line with its upper case, on a free loopback port
 * Server server = Streams.startServer((reader, writer) -> {
 *     String line;
 *     while ((line = reader.readLineUtf8()) != null) {
 *         writer.write(line.toUpperCase() + "\n");
 *         writer.drain();
 *     }
 * }, "127.0.0.1", 0);
 *
 * try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
 *     c.writer().write("hello\n");
 *     System.out.println(c.reader().readLineUtf8());   // HELLO
 * }
 * server.close();
 * }</pre>
 *
 * <p>Host names are resolved on a virtual thread ({@link Async#toThread}), never on the loop;
 * numeric addresses (IPv4 or IPv6) are used as they are. A Unix-domain socket is a
 * {@link UnixDomainSocketAddress}.
 *
 * <p>Must be called from inside a task.
 */
public final class Streams {
    private static final Pattern NUMERIC = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9a-fA-F:.%\\w]*:[0-9a-fA-F:.%\\w]*]?");

    /** The backlog asked for by default; the kernel lowers it to its own maximum. */
    private static final int MAX_BACKLOG = 65_535;

    private Streams() {
    }

    /**
     * {@link #openConnection(String, int, StreamOptions)} with the default options.
     *
     * @param host a host name or a numeric IPv4/IPv6 address
     * @param port the TCP port, 1 to 65535
     * @return the open connection: its reader and writer; close it when done
     * @throws Exception an {@link java.io.IOException} if no address accepts the connection;
     *     {@link dev.simmer.CancelledException} if the task is cancelled meanwhile
     */
    public static Connection openConnection(String host, int port) throws Exception {
        return openConnection(host, port, StreamOptions.defaults());
    }

    /**
     * Connects to {@code host:port}: each address the name resolves to is tried in turn until
     * one connects (each within the options' connect timeout). Cancelling the task while it
     * connects closes the half-made connection.
     *
     * @param host a host name (resolved off the loop) or a numeric IPv4/IPv6 address
     * @param port the TCP port, 1 to 65535
     * @param options buffer sizes, limits and the connect timeout; not {@code null}
     * @return the open connection: its reader and writer; close it when done
     * @throws ConnectException if no address accepts the connection (each attempt's failure
     *         attached as suppressed)
     * @throws SocketTimeoutException if the connect timeout passed
     */
    public static Connection openConnection(String host, int port, StreamOptions options) throws Exception {
        Objects.requireNonNull(options, "options");
        List<InetAddress> addresses = resolve(host);
        IOException failure = null;
        for (InetAddress address : addresses) {
            try {
                return openConnection(new InetSocketAddress(address, port), options);
            } catch (IOException e) {
                if (failure == null) {
                    failure = addresses.size() == 1 ? e
                            : new ConnectException("could not connect to " + host + ":" + port + " at any of its "
                                    + addresses.size() + " addresses");
                }
                if (failure != e) {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure;
    }

    /**
     * {@link #openConnection(SocketAddress, StreamOptions)} with the default options.
     *
     * @param address an {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @return the open connection
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled meanwhile
     */
    public static Connection openConnection(SocketAddress address) throws Exception {
        return openConnection(address, StreamOptions.defaults());
    }

    /**
     * Connects to one resolved address: an {@link InetSocketAddress} (TCP) or a
     * {@link UnixDomainSocketAddress}. An unresolved {@code InetSocketAddress} is resolved
     * off the loop first.
     *
     * @param address an {@link InetSocketAddress} (resolved or not) or a {@link UnixDomainSocketAddress}
     * @param options buffer sizes, limits and the connect timeout; not {@code null}
     * @return the open connection
     * @throws SocketTimeoutException if the options' connect timeout passed
     * @throws Exception an {@link java.io.IOException} if the connection fails;
     *     {@link dev.simmer.CancelledException} if the task is cancelled meanwhile
     */
    public static Connection openConnection(SocketAddress address, StreamOptions options) throws Exception {
        Objects.requireNonNull(options, "options");
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            return openConnection(inet.getHostString(), inet.getPort(), options);
        }
        EventLoop loop = Async.loop();
        Network network = Networks.of(loop);
        if (network != null) {
            return openSimulated(network, loop, address, options);
        }
        SocketChannel channel = SocketChannel.open(family(address));
        boolean connected = false;
        try {
            channel.configureBlocking(false);
            configure(channel, options, address);
            within(options.connectTimeout(), () -> connect(channel, address), () -> "connecting to " + address
                    + " took longer than the connect timeout of " + describe(options.connectTimeout()));
            connected = true;
            return wrap(loop, channel, options);
        } finally {
            if (!connected) {
                loop.closeChannel(channel);
            }
        }
    }

    /**
     * {@link #startServer(ConnectionHandler, String, int, StreamOptions)} with the default options.
     *
     * @param handler run in a new task for each accepted connection
     * @param host the address to listen on, as a name or a numeric address
     * @param port the TCP port, or 0 for a free one
     * @return the listening server; close it to stop accepting
     * @throws Exception an {@link java.io.IOException} if the address cannot be bound (in use, not local)
     */
    public static Server startServer(ConnectionHandler handler, String host, int port) throws Exception {
        return startServer(handler, host, port, StreamOptions.defaults());
    }

    /**
     * Listens on {@code host:port} (port 0: a free port, see {@link Server#port()}) and runs
     * {@code handler} in a new task for each connection; it starts accepting at once. Give a
     * loopback address ({@code "127.0.0.1"}, {@code "::1"}) unless others must reach it;
     * {@code "0.0.0.0"} or {@code "::"} listen on every interface. A name is resolved off the
     * loop and the first address it resolves to is used.
     *
     * @param handler run in a new task for each accepted connection; not {@code null}
     * @param host the address to listen on, as a name or a numeric address
     * @param port the TCP port, or 0 for a free one
     * @param options the backlog, buffer sizes and limits of each connection; not {@code null}
     * @return the listening server; close it to stop accepting
     * @throws Exception an {@link java.io.IOException} if the address cannot be bound (in use, not local)
     */
    public static Server startServer(ConnectionHandler handler, String host, int port, StreamOptions options)
            throws Exception {
        return startServer(handler, new InetSocketAddress(resolve(host).get(0), port), options);
    }

    /**
     * Listens on {@code address}: an {@link InetSocketAddress} or a
     * {@link UnixDomainSocketAddress} (the socket file must not exist yet; the server does
     * not delete it when it closes).
     *
     * @param handler run in a new task for each accepted connection; not {@code null}
     * @param address where to listen: an {@link InetSocketAddress} (port 0 for a free one) or a
     *     {@link UnixDomainSocketAddress}
     * @param options the backlog, buffer sizes and limits of each connection; not {@code null}
     * @return the listening server; close it to stop accepting
     * @throws Exception an {@link java.io.IOException} if the address cannot be bound
     */
    public static Server startServer(ConnectionHandler handler, SocketAddress address, StreamOptions options)
            throws Exception {
        return startServer(handler, null, address, options);
    }

    private static Server startServer(ConnectionHandler handler, Server.Upgrade upgrade, SocketAddress address,
                                      StreamOptions options) throws Exception {
        return startServer(handler, upgrade, address, options, false, null);
    }

    /**
     * Binds and starts a server on the running loop; {@code reusePort} sets SO_REUSEPORT
     * before binding (a {@link ShardedServer}'s sockets share one port), {@code dispatcher}
     * may take accepted connections to serve them on other loops.
     */
    static Server startServer(ConnectionHandler handler, Server.Upgrade upgrade, SocketAddress address,
                              StreamOptions options, boolean reusePort, Server.Dispatcher dispatcher) throws Exception {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        EventLoop loop = Async.loop();
        Network network = Networks.of(loop);
        if (network != null) {
            return startSimulated(network, loop, handler, upgrade, address, options, reusePort || dispatcher != null);
        }
        ServerSocketChannel channel = ServerSocketChannel.open(family(address));
        boolean started = false;
        try {
            channel.configureBlocking(false);
            if (!(address instanceof UnixDomainSocketAddress)) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (reusePort) {
                    channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                if (options.receiveBufferSize() > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
                }
            }
            // 0: the kernel's cap (listen(2) truncates to somaxconn), not the JDK's 50: a burst of
            // connects larger than the queue loses SYNs, and each lost one costs its client a 1 s retry.
            channel.bind(address, options.backlog() == 0 ? MAX_BACKLOG : options.backlog());
            Server server = new Server(loop, channel, channel.getLocalAddress(), handler, upgrade, options, dispatcher);
            started = true;
            return server;
        } finally {
            if (!started) {
                loop.closeChannel(channel);
            }
        }
    }

    // ------------------------------------------------------------------ TLS

    /**
     * Connects to {@code host:port} and runs a TLS handshake as the client (asyncio's
     * {@code open_connection(..., ssl=context)}): the server's certificate must be valid for
     * {@code host}, checked against {@code context}'s trust managers. A failed or cancelled
     * handshake closes the connection.
     *
     * <pre>{@code
     * try (Connection c = Streams.openTlsConnection("localhost", 8443, SSLContext.getDefault(),
     *         StreamOptions.defaults())) {
     *     c.writer().write("hello over TLS\n");
     * }
     * }</pre>
     *
     * @param host the server's name, resolved off the loop and checked against its certificate
     * @param port the TCP port
     * @param context supplies the trust managers (and key managers, for a client certificate); not
     *     {@code null}
     * @param options buffer sizes, limits, the connect timeout and the TLS handshake timeout; not
     *     {@code null}
     * @return the secured connection, handshake done
     * @throws SocketTimeoutException if the connect or the handshake took longer than its timeout
     * @throws Exception an {@link java.io.IOException} if connecting fails, an
     *     {@link javax.net.ssl.SSLException} if the handshake does
     */
    public static Connection openTlsConnection(String host, int port, SSLContext context, StreamOptions options)
            throws Exception {
        Objects.requireNonNull(context, "context");
        Connection plain = openConnection(host, port, options);
        return startTls(plain, context, true, host, options.tlsHandshakeTimeout());
    }

    /**
     * {@link #startServer(ConnectionHandler, String, int, StreamOptions)} whose connections
     * speak TLS: each runs the handshake as the server (with {@code context}'s key managers)
     * before its handler sees it, within the options' TLS handshake timeout (60 s unless set, so
     * a peer silent during the handshake is let go); a failed or timed-out handshake closes that
     * connection and is reported, and the server keeps serving.
     *
     * @param handler run in a new task for each connection, after its handshake; not {@code null}
     * @param host the address to listen on
     * @param port the TCP port, or 0 for a free one
     * @param context supplies the server's key managers (its certificate); not {@code null}
     * @param options the backlog, limits, and the TLS handshake timeout that bounds each handshake
     * @return the listening server; close it to stop accepting
     * @throws Exception an {@link java.io.IOException} if the address cannot be bound
     */
    public static Server startTlsServer(ConnectionHandler handler, String host, int port, SSLContext context,
                                        StreamOptions options) throws Exception {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        return startServer(handler, tlsHandshake(context, options), new InetSocketAddress(resolve(host).get(0), port),
                options);
    }

    /** The server side of a TLS handshake, run on each accepted connection before its handler. */
    static Server.Upgrade tlsHandshake(SSLContext context, StreamOptions options) {
        return plain -> startTls(plain, context, false, null, options.tlsHandshakeTimeout());
    }

    /**
     * Upgrades an open plain connection to TLS (asyncio's {@code start_tls}): runs the
     * handshake as the client ({@code serverName} is checked against the certificate and sent
     * as SNI) or as the server, and returns the secured connection; the plain one must not be
     * used afterwards. Nothing may be buffered in either direction (read the plaintext part of
     * the protocol exactly, and drain, before upgrading). A failed or cancelled handshake closes
     * the connection; so does one that takes longer than
     * {@link StreamOptions#DEFAULT_TLS_HANDSHAKE_TIMEOUT} (60 s; the overload with a timeout
     * sets another). The handshake's crypto runs on a worker thread while the loop serves
     * others; inside a simulation ({@code dev.simmer.testing.simulation}), where TLS runs over
     * the simulated network, it runs on the loop instead.
     *
     * <pre>{@code
     * Connection plain = Streams.openConnection("mail.example.com", 587);
     * // ... the plaintext part of the protocol (STARTTLS), read exactly ...
     * Connection secured = Streams.startTls(plain, SSLContext.getDefault(), true, "mail.example.com");
     * }</pre>
     *
     * @param plain an open socket connection with nothing buffered; unusable afterwards
     * @param context supplies the trust and key managers; not {@code null}
     * @param client {@code true} to handshake as the client, {@code false} as the server
     * @param serverName for a client, the name the certificate must match and the SNI to send; {@code null}
     *     checks no name (and for a server it is ignored)
     * @return the secured connection over the same socket
     * @throws IllegalStateException if bytes are buffered in either direction
     * @throws IllegalArgumentException if {@code plain} is not a plain socket connection
     * @throws SocketTimeoutException if the handshake took longer than 60 s
     * @throws Exception an {@link javax.net.ssl.SSLException} if the handshake fails, an
     *     {@link java.io.IOException} if the socket does
     */
    public static Connection startTls(Connection plain, SSLContext context, boolean client, String serverName)
            throws Exception {
        return startTls(plain, context, client, serverName, StreamOptions.DEFAULT_TLS_HANDSHAKE_TIMEOUT);
    }

    /**
     * {@link #startTls(Connection, SSLContext, boolean, String)} with a handshake timeout of
     * your choice: a handshake that has not finished within it closes the connection and throws
     * a {@link SocketTimeoutException}.
     *
     * <pre>{@code
     * Connection secured = Streams.startTls(plain, context, true, "mail.example.com", Duration.ofSeconds(10));
     * }</pre>
     *
     * @param plain an open socket connection with nothing buffered; unusable afterwards
     * @param context supplies the trust and key managers; not {@code null}
     * @param client {@code true} to handshake as the client, {@code false} as the server
     * @param serverName for a client, the name the certificate must match and the SNI to send; {@code null}
     *     checks no name (and for a server it is ignored)
     * @param handshakeTimeout the longest the handshake may take, positive; {@code null} for no limit
     * @return the secured connection over the same socket
     * @throws SocketTimeoutException if the handshake took longer than {@code handshakeTimeout}
     * @throws IllegalStateException if bytes are buffered in either direction
     * @throws IllegalArgumentException if {@code plain} is not a plain socket connection, or the timeout is
     *     not positive
     * @throws Exception an {@link javax.net.ssl.SSLException} if the handshake fails, an
     *     {@link java.io.IOException} if the socket does
     */
    public static Connection startTls(Connection plain, SSLContext context, boolean client, String serverName,
                                      Duration handshakeTimeout) throws Exception {
        Objects.requireNonNull(plain, "plain");
        StreamOptions.checkTimeout("handshakeTimeout", handshakeTimeout);
        Objects.requireNonNull(context, "context");
        if (plain.reader().buffered() > 0 || plain.writer().bufferedBytes() > 0) {
            throw new IllegalStateException("startTls needs a connection with nothing buffered (" + plain.reader().buffered()
                    + " bytes unread, " + plain.writer().bufferedBytes() + " unsent): read the plain part exactly and"
                    + " drain before upgrading.");
        }
        if (!(plain.writer().sink() instanceof SocketTransport raw)) {
            throw new IllegalArgumentException("startTls upgrades a plain socket connection, not " + plain.writer().sink());
        }
        SSLEngine engine;
        if (client && serverName != null) {
            int port = raw.peer() instanceof InetSocketAddress inet ? inet.getPort() : -1;
            engine = context.createSSLEngine(serverName, port);
            engine.setUseClientMode(true); // first: the parameters below start from the client's defaults
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!NUMERIC.matcher(serverName).matches()) {
                params.setServerNames(List.of(new SNIHostName(serverName)));
            }
            engine.setSSLParameters(params);
        } else {
            engine = context.createSSLEngine();
        }
        engine.setUseClientMode(client);
        EventLoop loop = Async.loop(); // plain's own: buffered() above has checked that
        TlsTransport tls = new TlsTransport(raw, engine, raw instanceof NetworkTransport
                ? TlsTransport.DelegatedTasks.ON_THE_LOOP : TlsTransport.DelegatedTasks.OFF_THE_LOOP);
        boolean ok = false;
        try {
            within(handshakeTimeout, tls::handshake, () -> "the TLS handshake "
                    + (client ? "with the server " : "with the client ") + raw.peer() + " did not finish within "
                    + describe(handshakeTimeout) + " (StreamOptions.withTlsHandshakeTimeout sets the limit); the "
                    + "connection is closed");
            ok = true;
        } finally {
            if (!ok) {
                plain.writer().abort();
            }
        }
        return new Connection(new StreamReader(loop, tls, plain.reader().limit()),
                new StreamWriter(loop, tls, plain.writer().highWater(), plain.writer().lowWater()));
    }

    // ------------------------------------------------------------------ on a simulated network

    private static Connection openSimulated(Network network, EventLoop loop, SocketAddress address,
                                            StreamOptions options) throws Exception {
        if (!(address instanceof InetSocketAddress inet)) {
            throw network.refuse("a Unix-domain socket (" + address + ")");
        }
        Network.Stream[] made = new Network.Stream[1];
        within(options.connectTimeout(), () -> made[0] = network.connect(inet), () -> "connecting to " + address
                + " took longer than the connect timeout of " + describe(options.connectTimeout()));
        return wrap(loop, made[0], options);
    }

    private static Server startSimulated(Network network, EventLoop loop, ConnectionHandler handler,
                                         Server.Upgrade upgrade, SocketAddress address, StreamOptions options,
                                         boolean sharded) throws IOException {
        if (sharded) {
            throw network.refuse("a ShardedServer (its other loops would run outside the simulation)");
        }
        if (!(address instanceof InetSocketAddress inet)) {
            throw network.refuse("a Unix-domain socket (" + address + ")");
        }
        Network.Listener listener = network.listen(inet, options.backlog());
        return new Server(loop, listener, handler, upgrade, options);
    }

    static Connection wrap(EventLoop loop, Network.Stream stream, StreamOptions options) {
        NetworkTransport transport = new NetworkTransport(stream);
        return new Connection(new StreamReader(loop, transport, options.limit()),
                new StreamWriter(loop, transport, options.highWater(), options.lowWater()));
    }

    // ------------------------------------------------------------------ shared with Server

    static Connection wrap(EventLoop loop, SocketChannel channel, StreamOptions options) {
        ChannelTransport transport = new ChannelTransport(loop, channel);
        return new Connection(new StreamReader(loop, transport, options.limit()),
                new StreamWriter(loop, transport, options.highWater(), options.lowWater()));
    }

    static void configure(NetworkChannel channel, StreamOptions options, SocketAddress address) throws IOException {
        if (address instanceof UnixDomainSocketAddress) {
            return; // TCP options do not apply
        }
        channel.setOption(StandardSocketOptions.TCP_NODELAY, options.noDelay());
        if (options.keepAlive()) {
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        }
        if (options.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, options.receiveBufferSize());
        }
        if (options.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, options.sendBufferSize());
        }
    }

    // ------------------------------------------------------------------ internals

    /** Runs {@code body}, within {@code limit} if there is one (null: none); past it, a SocketTimeoutException. */
    private static void within(Duration limit, AsyncRunnable body, Supplier<String> timedOut) throws Exception {
        if (limit == null) {
            body.run();
        } else if (!Async.timeoutOr(limit, false, () -> {
            body.run();
            return true;
        })) {
            throw new SocketTimeoutException(timedOut.get());
        }
    }

    private static void connect(SocketChannel channel, SocketAddress address) throws Exception {
        if (channel.connect(address)) {
            return;
        }
        while (true) {
            Readiness.awaitWritable(channel);
            if (channel.finishConnect()) {
                return;
            }
        }
    }

    /** The addresses of {@code host}: a numeric one at once, a name on a virtual thread. */
    static List<InetAddress> resolve(String host) throws Exception {
        Objects.requireNonNull(host, "host");
        if (NUMERIC.matcher(host).matches()) {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return List.of(InetAddress.getByName(bare)); // a literal: no lookup happens
        }
        Network network = Networks.of(Async.loop());
        if (network != null) {
            return network.resolve(host); // the simulation's hosts, never the real DNS
        }
        return List.of(Async.toThread(() -> InetAddress.getAllByName(host)));
    }

    private static StandardProtocolFamily family(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return StandardProtocolFamily.UNIX;
        }
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        }
        throw new IllegalArgumentException("Simmer streams connect to an InetSocketAddress or a UnixDomainSocketAddress, "
                + "not a " + address.getClass().getName());
    }

    private static String describe(Duration d) {
        return d.toMillis() + " ms";
    }
}
