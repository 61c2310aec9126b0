package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.ErrorReport;
import dev.simmer.EventLoop;
import dev.simmer.Task;
import dev.simmer.WaitMode;
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
 * waits until they have ended.
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
 * <p>Must be called from the loop thread; the waiting calls from inside a task.
 */
public final class Server implements AutoCloseable {
    /*
     * Overview: one accept task waits for the listening channel to be readable and accepts
     * every connection waiting, starting a handler task for each; `handlers` holds those
     * still running. stopAccepting() cancels the accept task and closes the channel; the
     * handlers go on until they end or closeClients() cancels them. Waiters (serveForever,
     * waitClosed) each wait on a promise of their own.
     */
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

    private final EventLoop loop;
    private final ServerSocketChannel channel;
    private final ConnectionHandler handler;
    private final StreamOptions options;
    private final SocketAddress address;
    private final Task<Void> acceptor;
    private final Set<Task<Void>> handlers = new LinkedHashSet<>();
    private final Waiters stopWaiters = new Waiters();
    private boolean accepting = true;
    private long accepted;

    Server(EventLoop loop, ServerSocketChannel channel, ConnectionHandler handler, StreamOptions options)
            throws IOException {
        this.loop = loop;
        this.channel = channel;
        this.handler = handler;
        this.options = options;
        this.address = channel.getLocalAddress();
        this.acceptor = Async.createTask("server " + address + " accepting", this::acceptLoop);
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
        return accepting;
    }

    /**
     * How many handlers are running now.
     *
     * @return the number of handler tasks that have not ended
     */
    public int activeConnections() {
        return handlers.size();
    }

    /**
     * How many connections it has accepted in all.
     *
     * @return the number of connections accepted since the server started
     */
    public long acceptedConnections() {
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
        if (!accepting) {
            return;
        }
        accepting = false;
        if (Async.currentTask() != acceptor) {
            acceptor.cancel();
        }
        try {
            loop.closeChannel(channel);
        } catch (IOException e) {
            loop.callExceptionHandler(new ErrorReport("closing the listening socket of " + this + " failed", e, null));
        }
        stopWaiters.wakeAll();
    }

    /** Cancels every running handler; each one's connection is closed when it ends (asyncio's {@code close_clients}). */
    public void closeClients() {
        for (Task<Void> t : new ArrayList<>(handlers)) {
            t.cancel("the server is closing");
        }
    }

    /**
     * Suspends until the server has stopped accepting and every handler has ended (asyncio's {@code wait_closed}).
     *
     * @throws Exception {@link dev.simmer.CancelledException} if the waiting task is cancelled; the server
     *     goes on closing
     */
    public void waitClosed() throws Exception {
        while (accepting) {
            stopWaiters.await();
        }
        if (!acceptor.isDone()) {
            Async.wait(List.of(acceptor), WaitMode.ALL_COMPLETED);
        }
        while (!handlers.isEmpty()) {
            Async.wait(new ArrayList<>(handlers), WaitMode.ALL_COMPLETED);
        }
    }

    /**
     * Stops accepting, cancels the running handlers and waits until they have ended; may
     * suspend. Declares no checked exception (no {@code -Xlint:try} warning at each use); what
     * the wait throws comes out unchanged.
     */
    @Override
    public void close() {
        stopAccepting();
        closeClients();
        try {
            waitClosed();
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        }
    }

    @Override
    public String toString() {
        return "Server[" + address + ", " + (accepting ? "serving" : "closed") + ", " + handlers.size()
                + " connections]";
    }

    // ------------------------------------------------------------------ internals

    private void acceptLoop() throws Exception {
        try {
            acceptAll();
        } finally {
            stopAccepting(); // cancelled by the loop's shutdown, or failed: the socket is closed all the same
        }
    }

    private void acceptAll() throws Exception {
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
            accepted++;
            serve(client);
        }
    }

    private void serve(SocketChannel client) {
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
        StreamWriter writer = c.writer();
        Task<Void> task = Async.createTask("connection " + writer.peer() + " of server " + address, () -> {
            try {
                handler.handle(c.reader(), writer);
                writer.close(); // what the handler wrote still goes out, then the connection closes
            } catch (CancelledException e) {
                writer.abort();
                throw e;
            } catch (Exception e) {
                writer.abort();
                loop.callExceptionHandler(new ErrorReport("The connection handler of " + this + " failed for "
                        + writer.peer() + "; the connection is closed and the server keeps serving", e,
                        Async.currentTask()));
            } catch (Throwable e) {
                writer.abort();
                throw e;
            }
            return null;
        });
        handlers.add(task);
        task.onDone(t -> {
            handlers.remove(t);
            if (t.isCancelled()) {
                writer.abort(); // done already, unless the handler was cancelled before its first step
                return;
            }
            Throwable unexpected = t.exception(); // an Error from the handler: report it rather than lose it
            if (unexpected != null) {
                loop.callExceptionHandler(new ErrorReport("The connection handler of " + this + " failed", unexpected, t));
            }
        });
    }
}
