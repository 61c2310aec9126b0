package dev.simmer.benchmarks;

import dev.simmer.Async;
import dev.simmer.LoopGroup;
import dev.simmer.LoopThread;
import dev.simmer.Task;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.ShardedServer;
import dev.simmer.io.StreamReader;
import dev.simmer.io.StreamWriter;
import dev.simmer.io.Streams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The echo workload on Simmer streams: a {@link Server} and {@code connections} client
 * {@link Connection}s on one {@link LoopThread}, opened once; or, for {@link ShardedEcho}, the
 * clients on that loop and the server on a {@link ShardedServer} over a group of loops of its
 * own. The engine is the fork's ({@code -Dsimmer.engine}). Thread-safe: the benchmark thread
 * only submits to the loops.
 */
final class SimmerEcho implements AutoCloseable {
    /** The most the server reads at once (the reader's chunk size). */
    private static final int READ = 16 * 1024;

    private final LoopThread loop = LoopThread.start();
    private final byte[] message;
    private final Server server;             // on the clients' loop, or
    private final LoopGroup serverLoops;     // a group of its own,
    private final ShardedServer sharded;     // with a server on each of its loops
    private final List<Connection> clients = new ArrayList<>();

    SimmerEcho(int connections, int size) throws Exception {
        this(connections, size, 0);
    }

    /** {@code serverLoops} 0: the server shares the clients' loop; else it has that many loops of its own. */
    SimmerEcho(int connections, int size, int serverLoops) throws Exception {
        message = Echo.message(size);
        if (serverLoops == 0) {
            this.serverLoops = null;
            sharded = null;
            server = await(loop.submit(() -> Streams.startServer(SimmerEcho::echo, "127.0.0.1", 0)));
        } else {
            this.serverLoops = LoopGroup.start(serverLoops);
            sharded = ShardedServer.start(this.serverLoops, SimmerEcho::echo, "127.0.0.1", 0);
            server = null;
        }
        int port = server != null ? server.port() : sharded.port();
        await(loop.submit(() -> {
            for (int i = 0; i < connections; i++) {
                clients.add(Streams.openConnection("127.0.0.1", port));
            }
        }));
    }

    /** The result of work submitted to the loop. */
    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get();
    }

    /** The server's handler: writes back whatever arrives, until the client closes. */
    private static void echo(StreamReader reader, StreamWriter writer) throws Exception {
        byte[] buf = new byte[READ];
        int n;
        while ((n = reader.read(buf, 0, buf.length)) > 0) {
            writer.write(buf, 0, n);
            writer.drain();
        }
    }

    /** Every client, in a task of its own, sends {@code rounds} messages and reads each echo; returns the bytes echoed. */
    long exchange(int rounds) throws Exception {
        return await(loop.submit(() -> {
            List<Task<Long>> running = new ArrayList<>(clients.size());
            for (Connection c : clients) {
                running.add(Async.createTask(() -> roundTrips(c, rounds)));
            }
            long bytes = 0;
            for (Task<Long> t : running) {
                bytes += t.await();
            }
            return bytes;
        }));
    }

    private long roundTrips(Connection c, int rounds) throws Exception {
        StreamWriter out = c.writer();
        StreamReader in = c.reader();
        byte[] back = new byte[message.length];
        byte last = message[message.length - 1];
        long bytes = 0;
        for (int i = 0; i < rounds; i++) {
            out.write(message);
            out.drain();
            in.readExactly(back, 0, back.length);
            Echo.check(back[back.length - 1], last);
            bytes += back.length;
        }
        return bytes;
    }

    @Override
    public void close() throws Exception {
        try {
            await(loop.submit(() -> {
                for (Connection c : clients) {
                    c.close();
                }
                if (server != null) {
                    server.close();
                }
            }));
            if (sharded != null) {
                sharded.close();
            }
        } finally {
            loop.close();
            if (serverLoops != null) {
                serverLoops.close();
            }
        }
    }
}
