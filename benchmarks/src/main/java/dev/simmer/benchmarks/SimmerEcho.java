package dev.simmer.benchmarks;

import dev.simmer.Async;
import dev.simmer.LoopThread;
import dev.simmer.Task;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.StreamReader;
import dev.simmer.io.StreamWriter;
import dev.simmer.io.Streams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The echo workload on Simmer streams: a {@link Server} and {@code connections} client
 * {@link Connection}s on one {@link LoopThread}, opened once. The engine is the fork's
 * ({@code -Dsimmer.engine}). Thread-safe: the benchmark thread only submits to the loop.
 *
 * <p>A work-around, see {@link #await}: a submission to a loop that is going idle while it
 * watches sockets can be lost (the loop's poll-before-wait {@code selectNow()} consumes the
 * selector wake-up), and the loop then waits in {@code select()} until I/O or a timer wakes it,
 * here for ever. The benchmark thread re-posts a no-op every {@value #STALL_MS} ms without an
 * answer, and says so on stderr when the loop made no progress meanwhile (a slow invocation, such
 * as the first one of a cold JVM, makes progress), so a stall shows in the output instead of
 * hanging the run.
 */
final class SimmerEcho implements AutoCloseable {
    /** The most the server reads at once (the reader's chunk size). */
    private static final int READ = 16 * 1024;

    /** How long the benchmark thread waits for the loop before it suspects a lost wake-up. */
    private static final long STALL_MS = 200;

    private final LoopThread loop = LoopThread.start();
    private final byte[] message;
    private final Server server;
    private final List<Connection> clients = new ArrayList<>();
    /** Round trips, connections opened and closed: written by the loop, read (racily, as a hint) by {@link #await}. */
    private long progress;

    SimmerEcho(int connections, int size) throws Exception {
        message = Echo.message(size);
        server = await(loop.submit(() -> Streams.startServer(SimmerEcho::echo, "127.0.0.1", 0)));
        await(loop.submit(() -> {
            for (int i = 0; i < connections; i++) {
                clients.add(Streams.openConnection("127.0.0.1", server.port()));
                progress++;
            }
        }));
    }

    /** {@code f.get()}, nudging the loop with a no-op while it has not answered (see the class comment). */
    private <T> T await(CompletableFuture<T> f) throws Exception {
        long seen = progress;
        while (true) {
            try {
                return f.get(STALL_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                loop.execute(() -> { });
                long now = progress;
                if (now == seen) {
                    System.err.println("SimmerEcho: no answer from the loop and no progress for " + STALL_MS
                            + " ms; re-posted a wake-up (a lost selector wake-up)");
                }
                seen = now;
            }
        }
    }

    /** The server's handler: writes back whatever arrives, until the client closes. */
    private static void echo(StreamReader reader, StreamWriter writer) throws Exception {
        byte[] data;
        while ((data = reader.read(READ)).length > 0) {
            writer.write(data);
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
        byte last = message[message.length - 1];
        long bytes = 0;
        for (int i = 0; i < rounds; i++) {
            out.write(message);
            out.drain();
            byte[] back = in.readExactly(message.length);
            Echo.check(back[back.length - 1], last);
            bytes += back.length;
            progress++;
        }
        return bytes;
    }

    @Override
    public void close() throws Exception {
        try {
            await(loop.submit(() -> {
                for (Connection c : clients) {
                    c.close();
                    progress++;
                }
                server.close();
            }));
        } finally {
            loop.close();
        }
    }
}
