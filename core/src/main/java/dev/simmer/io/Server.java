package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.ErrorReport;
import dev.simmer.EventLoop;
import dev.simmer.Task;
import dev.simmer.WaitMode;
import dev.simmer.internal.Network;
import dev.simmer.internal.Rethrow;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A listening stream server made by {@link Streams#startServer}: it accepts connections and
 * runs its {@link ConnectionHandler} for each in a task of its own (asyncio's {@code Server}).
 * An async resource: {@link #close()} stops accepting, cancels the handlers still running and
 * waits until every connection is closed.
 *
 * <pre>{@code
 * try (Server server = Streams.startServer(handler, "127.0.0.1", 8888)) {
 *     server.serveForever();       // until cancelled (Ctrl-C), or closed by a handler
 * }
 * }</pre>
 *
 * <p>The server keeps serving whatever a handler does: a handler's failure is reported to the
 * loop's exception handler and its connection closed. A failure to accept (too many open
 * files) is reported too, and accepting resumes a little later.
 *
 * <p>A connection stays the server's until its socket is closed, not only while its handler
 * runs: when the handler returns, what it wrote is still sent (the writer is
 * {@linkplain StreamWriter#close() closed}, not aborted), and {@link #activeConnections()},
 * {@link #waitClosed()} and {@link #close()} count the connection until that is done. A peer
 * that never reads would keep it open forever, so {@link #close()} gives such connections
 * {@link #CLOSE_GRACE} of loop time to finish sending, then aborts them: when it returns, no
 * socket of the server is open. For asyncio's own steps use {@link #stopAccepting()}, then
 * {@link #closeClients()} (sending may take as long as the peers take to read) or
 * {@link #abortClients()} (nothing more is sent), then {@link #waitClosed()}. A loop shutting
 * down with the server still open cancels its tasks, and that aborts every connection too.
 *
 * <p>Must be called from the loop thread; the waiting calls ({@code serveForever},
 * {@code waitClosed}, {@code close}) from inside a task. A call from another thread (a JVM
 * shutdown hook, say) or a waiting call from a plain callback is refused with an
 * {@link IllegalStateException} before it changes anything: hand it to the loop instead,
 * {@code loopThread.submit(server::close)}. {@link #address()}, {@link #port()} and
 * {@code toString()} are thread-safe.
 */
public final class Server implements AutoCloseable {
    /*
     * Overview: one accept task waits for the listening channel to be readable and accepts
     * every connection waiting, starting a connection task for each. The task runs the handler,
     * then closes the writer and waits until the socket is really closed; `clients` holds each
     * connection until its task ends, and the task ends only once its socket is closed:
     *
     *   phase      the task                                  closeClients()   abortClients()
     *   HANDLING   runs the handler                          cancels it       aborts, cancels it
     *   FLUSHING   the handler returned: close() sends what  (closing already) aborts: the task
     *              it wrote, waitClosed() waits for that                      ends at once
     *
     * Every way out of the task (return, failure, cancellation, even before its first step)
     * closes or aborts the writer, so a cancelled task, such as the loop's shutdown makes,
     * leaves no socket open. stopAccepting() cancels the accept task and closes the listening
     * channel. Waiters (serveForever, waitClosed) each wait on a promise of their own.
     */

    /**
     * How long {@link #close()} lets connections whose handler has returned finish sending
     * what it wrote, in loop time, before it aborts them: 5 seconds.
     */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

    private enum Phase { HANDLING, FLUSHING }

    /** Turns an accepted plain connection into the one the handler gets (a TLS handshake); may suspend. */
    @FunctionalInterface
    interface Upgrade {
        Connection apply(Connection plain) throws Exception;
    }

    /**
     * Takes an accepted connection to serve it on another loop (a {@link ShardedServer} whose
     * one listening socket hands connections out in turn); false: this server serves it.
     */
    @FunctionalInterface
    interface Dispatcher {
        boolean dispatch(SocketChannel client);
    }

    /** One accepted connection, the server's until its socket is closed. */
    private static final class Client {
        StreamWriter writer; // the plain one, then the upgraded one once its handshake is done
        Task<Void> task;
        Phase phase = Phase.HANDLING;

        Client(StreamWriter writer) {
            this.writer = writer;
        }
    }

    private final EventLoop loop;
    private final ServerSocketChannel channel; // null: fed by another loop's acceptor (adopt), or simulated
    private final Network.Listener simulated; // a listener of a simulated network, else null
    private final ConnectionHandler handler;
    private final Upgrade upgrade; // null: the handler gets the plain connection
    private final StreamOptions options;
    private final SocketAddress address;
    private final Task<Void> acceptor; // null without a listening channel
    private final Dispatcher dispatcher; // null: every accepted connection is served here
    private final Set<Client> clients = new LinkedHashSet<>();
    private final Waiters stopWaiters = new Waiters();
    private boolean accepting = true;
    private long accepted;

    Server(EventLoop loop, ServerSocketChannel channel, ConnectionHandler handler, Upgrade upgrade,
           StreamOptions options) throws IOException {
        this(loop, channel, channel.getLocalAddress(), handler, upgrade, options, null);
    }

    /**
     * A server listening on {@code channel} whose accepted connections first go to
     * {@code dispatcher} (if not null); or, with no channel, one fed by {@link #adopt} only,
     * serving connections accepted for {@code address} on another loop.
     */
    Server(EventLoop loop, ServerSocketChannel channel, SocketAddress address, ConnectionHandler handler,
           Upgrade upgrade, StreamOptions options, Dispatcher dispatcher) {
        this(loop, channel, null, address, handler, upgrade, options, dispatcher);
    }

    /** A server listening on a simulated network (see Streams.startSimulated). */
    Server(EventLoop loop, Network.Listener listener, ConnectionHandler handler, Upgrade upgrade,
           StreamOptions options) {
        this(loop, null, listener, listener.address(), handler, upgrade, options, null);
    }

    private Server(EventLoop loop, ServerSocketChannel channel, Network.Listener simulated, SocketAddress address,
                   ConnectionHandler handler, Upgrade upgrade, StreamOptions options, Dispatcher dispatcher) {
        this.loop = loop;
        this.channel = channel;
        this.simulated = simulated;
        this.handler = handler;
        this.upgrade = upgrade;
        this.options = options;
        this.address = address;
        this.dispatcher = dispatcher;
        this.acceptor = channel == null && simulated == null ? null
                : Async.createTask("server " + address + " accepting", this::acceptLoop);
    }

    /**
     * Serves {@code client}, accepted by another loop's listening socket; closes it if this
     * server no longer accepts. Must be called from this server's loop.
     */
    void adopt(SocketChannel client) {
        LoopConfined.check(loop, "Server.adopt(...)");
        if (!accepting) {
            try {
                client.close();
            } catch (IOException ignored) {
                // nothing was sent on it
            }
            return;
        }
        serve(client);
    }

    /**
     * The address it listens on (with the real port when it was started on port 0).
     *
     * @return the bound address; an {@link InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * The TCP port it listens on; -1 for a Unix-domain socket.
     *
     * @return the bound port, or -1 for a Unix-domain socket
     */
    public int port() {
        return address instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    /**
     * Whether it still accepts connections (asyncio's {@code is_serving}).
     *
     * @return {@code true} until {@link #stopAccepting()} or {@link #close()}
     */
    public boolean isServing() {
        LoopConfined.check(loop, "Server.isServing()");
        return accepting;
    }

    /**
     * How many connections are open: those whose handler is running, and those whose handler
     * has returned but which are still sending what it wrote.
     *
     * @return the number of connections accepted and not yet closed
     */
    public int activeConnections() {
        LoopConfined.check(loop, "Server.activeConnections()");
        return clients.size();
    }

    /**
     * How many connections it has accepted in all.
     *
     * @return the number of connections accepted since the server started
     */
    public long acceptedConnections() {
        LoopConfined.check(loop, "Server.acceptedConnections()");
        return accepted;
    }

    /**
     * Suspends until the server stops accepting (asyncio's {@code serve_forever}). Cancelling
     * the waiting task closes the server, as in asyncio, and then throws the cancellation.
     *
     * @throws Exception {@link dev.simmer.CancelledException} when the waiting task is cancelled (the server
     *     is closed first)
     */
    public void serveForever() throws Exception {
        LoopConfined.checkTask(loop, "Server.serveForever()");
        try {
            while (accepting) {
                stopWaiters.await();
            }
        } catch (CancelledException e) {
            close();
            throw e;
        }
    }

    /** Stops accepting and closes the listening socket; running handlers go on (asyncio's {@code close}). */
    public void stopAccepting() {
        LoopConfined.check(loop, "Server.stopAccepting()");
        if (!accepting) {
            return;
        }
        accepting = false;
        if (acceptor != null && Async.currentTask() != acceptor) {
            acceptor.cancel();
        }
        try {
            if (channel != null) {
                loop.closeChannel(channel);
            }
            if (simulated != null) {
                simulated.close();
            }
        } catch (IOException e) {
            loop.callExceptionHandler(new ErrorReport("closing the listening socket of " + this + " failed", e, null));
        }
        stopWaiters.wakeAll();
    }

    /**
     * Cancels every running handler, whose connection is aborted when it ends; a connection
     * whose handler has returned goes on sending what it wrote and closes when that is done,
     * however long the peer takes to read (asyncio's {@code close_clients}). Never suspends.
     */
    public void closeClients() {
        LoopConfined.check(loop, "Server.closeClients()");
        for (Client c : new ArrayList<>(clients)) {
            if (c.phase == Phase.HANDLING) {
                c.task.cancel("the server is closing");
            }
        }
    }

    /**
     * Aborts every connection at once, dropping what is buffered for it, and cancels the
     * handlers still running (asyncio's {@code abort_clients}). Never suspends; the sockets
     * are closed when it returns, the handlers' tasks end soon after (their {@code finally}
     * blocks run and may suspend).
     */
    public void abortClients() {
        LoopConfined.check(loop, "Server.abortClients()");
        for (Client c : new ArrayList<>(clients)) {
            c.writer.abort();
            if (c.phase == Phase.HANDLING) {
                c.task.cancel("the server is closing");
            }
        }
    }

    /**
     * Suspends until the server has stopped accepting and every connection is closed: its
     * handler has ended, and what it wrote is sent or dropped (asyncio's {@code wait_closed}).
     *
     * @throws Exception {@link dev.simmer.CancelledException} if the waiting task is cancelled; the server
     *     goes on closing
     */
    public void waitClosed() throws Exception {
        LoopConfined.checkTask(loop, "Server.waitClosed()");
        while (accepting) {
            stopWaiters.await();
        }
        if (acceptor != null && !acceptor.isDone()) {
            Async.wait(List.of(acceptor), WaitMode.ALL_COMPLETED);
        }
        while (!clients.isEmpty()) {
            Async.wait(tasks(), WaitMode.ALL_COMPLETED);
        }
    }

    /**
     * Stops accepting, cancels the running handlers, and waits until every connection is
     * closed; may suspend. Connections whose handler has returned get {@link #CLOSE_GRACE} to
     * send what it wrote; those still open then (a peer that does not read, or a handler
     * whose {@code finally} block is still at work) are aborted. It still waits for the
     * handlers to end. Declares no checked exception (no {@code -Xlint:try} warning at each
     * use); what the wait throws comes out unchanged.
     */
    @Override
    public void close() {
        LoopConfined.checkTask(loop, "Server.close()");
        stopAccepting();
        closeClients();
        try {
            long deadline = loop.time() + CLOSE_GRACE.toNanos();
            while (!clients.isEmpty()) {
                long left = deadline - loop.time();
                if (left <= 0) {
                    for (Client c : new ArrayList<>(clients)) {
                        c.writer.abort(); // no socket outlives close(); the handlers were cancelled already
                    }
                    break;
                }
                Async.wait(tasks(), WaitMode.ALL_COMPLETED, Duration.ofNanos(left));
            }
            waitClosed();
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        }
    }

    @Override
    public String toString() {
        return "Server[" + address + ", " + (accepting ? "serving" : "closed") + ", " + clients.size()
                + " connections]";
    }

    // ------------------------------------------------------------------ internals

    private List<Task<Void>> tasks() {
        List<Task<Void>> tasks = new ArrayList<>(clients.size());
        for (Client c : clients) {
            tasks.add(c.task);
        }
        return tasks;
    }

    private void acceptLoop() throws Exception {
        try {
            acceptAll();
        } finally {
            stopAccepting(); // cancelled by the loop's shutdown, or failed: the socket is closed all the same
        }
    }

    private void acceptAll() throws Exception {
        if (simulated != null) {
            acceptSimulated();
            return;
        }
        while (accepting) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (IOException e) {
                if (!accepting) {
                    return;
                }
                loop.callExceptionHandler(new ErrorReport("Server " + address + " could not accept a connection ("
                        + e.getMessage() + "); it tries again in " + ACCEPT_BACKOFF.toMillis() + " ms", e, null));
                Async.sleep(ACCEPT_BACKOFF);
                continue;
            }
            if (client == null) {
                Readiness.awaitReadable(channel);
                continue;
            }
            if (dispatcher == null || !dispatcher.dispatch(client)) {
                serve(client);
            }
        }
    }

    private void acceptSimulated() throws Exception {
        while (accepting) {
            Network.Stream client = simulated.accept();
            if (client == null) {
                simulated.awaitAcceptable();
                continue;
            }
            accepted++;
            serve(Streams.wrap(loop, client, options));
        }
    }

    private void serve(SocketChannel client) {
        accepted++;
        Connection c;
        try {
            client.configureBlocking(false);
            Streams.configure(client, options, address);
            c = Streams.wrap(loop, client, options);
        } catch (IOException e) {
            try {
                client.close();
            } catch (IOException ignored) {
                // it failed already
            }
            return;
        }
        serve(c);
    }

    private void serve(Connection c) {
        Client tracked = new Client(c.writer());
        Object peer = c.writer().peer();
        Task<Void> task = Async.createTask("connection " + peer + " of server " + address, () -> {
            try {
                Connection conn = upgrade == null ? c : upgrade.apply(c);
                tracked.writer = conn.writer(); // a TLS stream closes (and aborts) the socket under it too
                handler.handle(conn.reader(), conn.writer());
            } catch (CancelledException e) {
                tracked.writer.abort();
                throw e;
            } catch (Exception e) {
                tracked.writer.abort();
                loop.callExceptionHandler(new ErrorReport("The connection handler of " + this + " failed for "
                        + peer + "; the connection is closed and the server keeps serving", e,
                        Async.currentTask()));
                return null;
            } catch (Throwable e) {
                tracked.writer.abort();
                throw e;
            }
            StreamWriter writer = tracked.writer;
            tracked.phase = Phase.FLUSHING;
            writer.close(); // what the handler wrote still goes out, then the connection closes
            try {
                writer.waitClosed();
            } catch (CancelledException e) {
                writer.abort(); // the loop is shutting down: no socket outlives it
                throw e;
            } catch (IOException e) {
                // the peer went away before taking it all: nobody is left to tell
            }
            return null;
        });
        tracked.task = task;
        clients.add(tracked);
        task.onDone(t -> {
            clients.remove(tracked);
            if (t.isCancelled()) {
                tracked.writer.abort(); // done already, unless the handler was cancelled before its first step
                return;
            }
            Throwable unexpected = t.exception(); // an Error from the handler: report it rather than lose it
            if (unexpected != null) {
                loop.callExceptionHandler(new ErrorReport("The connection handler of " + this + " failed", unexpected, t));
            }
        });
    }
}
