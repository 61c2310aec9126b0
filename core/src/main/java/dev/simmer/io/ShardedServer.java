package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.LoopGroup;
import dev.simmer.LoopThread;
import dev.simmer.internal.FirstFailure;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.net.ssl.SSLContext;

/**
 * A stream server whose connections are spread over the loops of a {@link LoopGroup}: each
 * loop runs a {@link Server} of its own, and each connection lives on one loop for its whole
 * life, its handler running there as a task of that loop. The handler is the same
 * {@link ConnectionHandler} a one-loop server runs, and it is called on several loops at once:
 * what it shares between connections must be thread-safe (see the guide on partitioning state).
 *
 * <pre>{@code
 * try (LoopGroup group = LoopGroup.start(2);
 *      ShardedServer server = ShardedServer.start(group, (reader, writer) -> {
 *          String line;
 *          while ((line = reader.readLineUtf8()) != null) {   // on this connection's loop
 *              writer.write(line.toUpperCase() + "\n");
 *              writer.drain();
 *          }
 *      }, "127.0.0.1", 8888)) {
 *     System.out.println("serving on port " + server.port() + " with " + server.strategy());
 *     stop.await();                                // a CountDownLatch: until told to stop
 * }   // the server closes first: no socket is left open on any loop; then the loops stop
 * }</pre>
 *
 * <p>How connections reach the loops ({@link #strategy()}):
 * <ul>
 *   <li>{@link Strategy#REUSE_PORT} where the system offers {@code SO_REUSEPORT} (Linux, and
 *       the BSDs): every loop listens on a socket of its own, all bound to the same port, and
 *       the kernel spreads new connections over them (on Linux, by a hash of the connection's
 *       addresses and ports). Nothing crosses loops. Any other program of the same user may
 *       bind the same port with {@code SO_REUSEPORT} and receive a share of the connections.
 *   <li>{@link Strategy#ACCEPTOR} elsewhere, and for a Unix-domain socket: the first loop
 *       listens alone and hands the accepted connections to the loops in turn (itself
 *       included); each is handed over once, before anything is read from it.
 * </ul>
 *
 * <p>{@link #start} and {@link #close()} block the calling thread until every loop has done its
 * part, so they are called from a plain thread (a {@code main}, a test, a thread of
 * {@link Async#toThread}), never from a loop: there they are refused with an
 * {@link IllegalStateException}. Each loop's {@link Server} is in {@link #servers()}, to be used
 * on its own loop ({@code group.loops().get(i).submit(() -> servers.get(i).activeConnections())}).
 * The other methods are thread-safe.
 */
public final class ShardedServer implements AutoCloseable {
    /*
     * Overview. start() binds the loops' servers one after the other, from the calling thread,
     * by submitting to each loop and waiting: with REUSE_PORT loop 0 binds first (resolving
     * the host, choosing the port when 0 was asked), and the others bind to the address it got.
     * With ACCEPTOR loop 0's server has a Dispatcher that submits every accepted socket, in
     * turn, to the fed server (no listening socket) of a loop; a submission that fails (its
     * loop is closing) closes the socket, so no descriptor is lost on the way. close() closes
     * loop 0's server first in ACCEPTOR mode, so that nothing is handed out any more, then the
     * others, each on its own loop; it returns when every one has closed.
     */

    /** How accepted connections reach the loops. */
    public enum Strategy {
        /** One listening socket per loop, all on one port ({@code SO_REUSEPORT}); the kernel spreads connections. */
        REUSE_PORT,
        /** One listening socket on the first loop, which hands accepted connections to the loops in turn. */
        ACCEPTOR
    }

    private static final boolean REUSE_PORT_SUPPORTED = reusePortSupported();

    private final LoopGroup group;
    private final List<Server> servers;
    private final SocketAddress address;
    private final Strategy strategy;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ShardedServer(LoopGroup group, List<Server> servers, SocketAddress address, Strategy strategy) {
        this.group = group;
        this.servers = List.copyOf(servers);
        this.address = address;
        this.strategy = strategy;
    }

    /**
     * {@link #start(LoopGroup, ConnectionHandler, String, int, StreamOptions)} with the default options.
     *
     * @param group the loops to spread connections over; open, not {@code null}
     * @param handler run in a new task, on the connection's loop, for each accepted connection; not {@code null}
     * @param host the address to listen on, as a name or a numeric address
     * @param port the TCP port, or 0 for a free one
     * @return the listening server; close it before the group
     * @throws Exception an {@link IOException} if the address cannot be bound (in use, not local)
     */
    public static ShardedServer start(LoopGroup group, ConnectionHandler handler, String host, int port)
            throws Exception {
        return start(group, handler, host, port, StreamOptions.defaults());
    }

    /**
     * Listens on {@code host:port} with one server per loop of {@code group}, as
     * {@link Streams#startServer(ConnectionHandler, String, int, StreamOptions)} does on one loop;
     * every loop accepts from the moment this returns. Blocks until every loop listens.
     *
     * <pre>{@code
     * ShardedServer server = ShardedServer.start(group, handler, "0.0.0.0", 8080,
     *         StreamOptions.defaults().limit(64 * 1024));
     * }</pre>
     *
     * @param group the loops to spread connections over; open, not {@code null}
     * @param handler run in a new task, on the connection's loop, for each accepted connection; not {@code null}
     * @param host the address to listen on, as a name or a numeric address
     * @param port the TCP port, or 0 for a free one (the same one for every loop)
     * @param options the backlog, buffer sizes and limits of each connection; not {@code null}
     * @return the listening server; close it before the group
     * @throws IllegalStateException if called from a loop, or if the group is closed; nothing is started
     * @throws Exception an {@link IOException} if the address cannot be bound (in use, not local); the loops that
     *     had bound already are closed again
     */
    public static ShardedServer start(LoopGroup group, ConnectionHandler handler, String host, int port,
                                      StreamOptions options) throws Exception {
        Objects.requireNonNull(host, "host");
        return start(group, handler, null, host, null, port, options, null);
    }

    /**
     * Listens on {@code address}, an {@link InetSocketAddress} or a
     * {@link java.net.UnixDomainSocketAddress} (always served by {@link Strategy#ACCEPTOR}).
     *
     * @param group the loops to spread connections over; open, not {@code null}
     * @param handler run in a new task, on the connection's loop, for each accepted connection; not {@code null}
     * @param address where to listen (port 0 for a free one)
     * @param options the backlog, buffer sizes and limits of each connection; not {@code null}
     * @return the listening server; close it before the group
     * @throws IllegalStateException if called from a loop, or if the group is closed; nothing is started
     * @throws Exception an {@link IOException} if the address cannot be bound
     */
    public static ShardedServer start(LoopGroup group, ConnectionHandler handler, SocketAddress address,
                                      StreamOptions options) throws Exception {
        Objects.requireNonNull(address, "address");
        return start(group, handler, null, null, address, 0, options, null);
    }

    /**
     * {@link #start(LoopGroup, ConnectionHandler, String, int, StreamOptions)} whose connections
     * speak TLS, as {@link Streams#startTlsServer}: each runs its handshake on its own loop before
     * its handler sees it.
     *
     * @param group the loops to spread connections over; open, not {@code null}
     * @param handler run in a new task for each connection, after its handshake; not {@code null}
     * @param host the address to listen on
     * @param port the TCP port, or 0 for a free one
     * @param context supplies the server's key managers (its certificate); thread-safe, shared by the loops;
     *     not {@code null}
     * @param options the backlog, limits, and the TLS handshake timeout that bounds each handshake
     * @return the listening server; close it before the group
     * @throws IllegalStateException if called from a loop, or if the group is closed; nothing is started
     * @throws Exception an {@link IOException} if the address cannot be bound
     */
    public static ShardedServer startTls(LoopGroup group, ConnectionHandler handler, String host, int port,
                                         SSLContext context, StreamOptions options) throws Exception {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(options, "options");
        return start(group, handler, Streams.tlsHandshake(context, options), host, null, port, options, null);
    }

    /** Every start: by {@code host}/{@code port} or by {@code address}; {@code forced} null chooses the strategy. */
    static ShardedServer start(LoopGroup group, ConnectionHandler handler, Server.Upgrade upgrade, String host,
                               SocketAddress address, int port, StreamOptions options, Strategy forced)
            throws Exception {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        refuseOnLoop("ShardedServer.start(...)");
        if (group.isClosed()) {
            throw new IllegalStateException("ShardedServer.start: the group is closed; start the server on an open "
                    + "group, before closing it.");
        }
        Strategy strategy = forced != null ? forced
                : REUSE_PORT_SUPPORTED && !(address != null && !(address instanceof InetSocketAddress))
                ? Strategy.REUSE_PORT : Strategy.ACCEPTOR;
        List<LoopThread> loops = group.loops();
        int n = loops.size();
        AtomicReferenceArray<Server> fed = new AtomicReferenceArray<>(n); // ACCEPTOR: read by loop 0's dispatcher
        List<Server> started = new ArrayList<>(n);
        try {
            Server.Dispatcher dispatcher = strategy == Strategy.ACCEPTOR && n > 1 ? new Dispatcher(loops, fed) : null;
            boolean reusePort = strategy == Strategy.REUSE_PORT;
            Server first = join(loops.get(0).submit(() -> Streams.startServer(handler, upgrade,
                    address != null ? address : new InetSocketAddress(Streams.resolve(host).get(0), port),
                    options, reusePort, dispatcher)));
            started.add(first);
            SocketAddress bound = first.address();
            for (int i = 1; i < n; i++) {
                Server s = join(loops.get(i).submit(() -> reusePort
                        ? Streams.startServer(handler, upgrade, bound, options, true, null)
                        : new Server(Async.loop(), null, bound, handler, upgrade, options, null)));
                started.add(s);
                fed.set(i, s);
            }
            return new ShardedServer(group, started, bound, strategy);
        } catch (Throwable e) {
            try {
                closeAll(loops, started, strategy);
            } catch (Throwable other) {
                e.addSuppressed(other);
            }
            throw e;
        }
    }

    /**
     * The address every loop listens on (with the real port when it was started on port 0).
     *
     * @return the bound address
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * The TCP port every loop listens on; -1 for a Unix-domain socket.
     *
     * @return the bound port, or -1
     */
    public int port() {
        return address instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    /**
     * How connections reach the loops: {@link Strategy#REUSE_PORT} where the system offers
     * {@code SO_REUSEPORT}, else {@link Strategy#ACCEPTOR}.
     *
     * @return the strategy chosen at start
     */
    public Strategy strategy() {
        return strategy;
    }

    /**
     * Each loop's server, in the order of {@code group.loops()}: server {@code i} belongs to
     * loop {@code i} and is used there only ({@code activeConnections()},
     * {@code acceptedConnections()}). With {@link Strategy#ACCEPTOR} only the first listens.
     *
     * @return an unmodifiable list, one server per loop
     */
    public List<Server> servers() {
        return servers;
    }

    /**
     * Closes every loop's server as {@link Server#close()} does (stops accepting, cancels the
     * running handlers, gives returned ones {@link Server#CLOSE_GRACE} to finish sending) and
     * returns once each has closed: no socket of the server is open on any loop. A server whose
     * loop has closed already was closed with it. Calling it again does nothing.
     *
     * @throws IllegalStateException if called from a loop: it would block it; nothing is closed then. Call it
     *     from a plain thread, or from a task with {@code Async.toThread(server::close)}
     */
    @Override
    public void close() {
        refuseOnLoop("ShardedServer.close()");
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeAll(group.loops(), servers, strategy);
    }

    @Override
    public String toString() {
        return "ShardedServer[" + address + ", " + servers.size() + " loops, " + strategy
                + (closed.get() ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ internals

    /** Loop 0 of an ACCEPTOR server: hands accepted sockets to the loops in turn, itself included. */
    private static final class Dispatcher implements Server.Dispatcher {
        private final List<LoopThread> loops;
        private final AtomicReferenceArray<Server> fed;
        private int turn; // loop 0 only

        Dispatcher(List<LoopThread> loops, AtomicReferenceArray<Server> fed) {
            this.loops = loops;
            this.fed = fed;
        }

        @Override
        public boolean dispatch(SocketChannel client) {
            int i = turn;
            turn = (turn + 1) % loops.size();
            Server target = fed.get(i);
            if (target == null) {
                return false; // loop 0 itself, or a loop whose server is not ready yet: served here
            }
            loops.get(i).submit(() -> target.adopt(client)).whenComplete((ignored, failure) -> {
                if (failure != null) { // not adopted: the loop is closing
                    closeQuietly(client);
                }
            });
            return true;
        }
    }

    /** Closes the servers, each on its loop; with ACCEPTOR the listening one first. Throws the first failure. */
    private static void closeAll(List<LoopThread> loops, List<Server> servers, Strategy strategy) {
        FirstFailure failures = new FirstFailure("ShardedServer.close()");
        int from = 0;
        if (strategy == Strategy.ACCEPTOR && !servers.isEmpty()) {
            failures.add(failureOf(loops.get(0), closeOn(loops.get(0), servers.get(0)))); // nothing is handed out any more
            from = 1;
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (int i = from; i < servers.size(); i++) {
            closing.add(closeOn(loops.get(i), servers.get(i)));
        }
        for (int i = 0; i < closing.size(); i++) {
            failures.add(failureOf(loops.get(from + i), closing.get(i)));
        }
        failures.throwIfAny("ShardedServer.close(): a loop's server failed to close");
    }

    private static CompletableFuture<Void> closeOn(LoopThread loop, Server server) {
        return loop.submit(() -> {
            server.close();
            Async.yieldNow(); // one more pass: the loop's selector lets go of the closed sockets' descriptors
        });
    }

    /**
     * Waits for {@code closing}; what it failed with, or null. A loop that is closing or closed
     * is no failure: its shutdown cancels the server's tasks, and that closes every socket.
     */
    private static Throwable failureOf(LoopThread loop, CompletableFuture<Void> closing) {
        try {
            closing.join();
            return null;
        } catch (CancellationException e) {
            return null;
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            boolean loopGone = cause instanceof RejectedExecutionException
                    || cause instanceof dev.simmer.CancelledException || loop.loop().isClosed();
            return loopGone ? null : cause;
        }
    }

    private static <T> T join(CompletableFuture<T> f) throws Exception {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            if (cause instanceof Error x) {
                throw x;
            }
            throw e;
        }
    }

    private static void refuseOnLoop(String call) {
        boolean onLoop;
        try {
            Async.loop();
            onLoop = true;
        } catch (IllegalStateException none) {
            onLoop = false;
        }
        if (onLoop) {
            throw new IllegalStateException(call + " waits for every loop of the group, so it must not be called "
                    + "from a loop (it would block it, or wait for itself); it did nothing. Call it from a plain "
                    + "thread, or from a task with Async.toThread(() -> ...).");
        }
    }

    private static void closeQuietly(SocketChannel client) {
        try {
            client.close();
        } catch (IOException ignored) {
            // nothing was read or written on it
        }
    }

    private static boolean reusePortSupported() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            Set<SocketOption<?>> supported = probe.supportedOptions();
            return supported.contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
