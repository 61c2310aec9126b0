package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.ErrorReport;
import dev.simmer.LoopGroup;
import dev.simmer.Runner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The I/O layer's descriptor-leak and hostile-peer workload, against a {@link ShardedServer} on
 * a group of two loops, with each strategy: connections served, cancelled by the client
 * mid-read, reset mid-message, and flooding an endless line past the limit, all at once, many
 * times. Afterwards each loop has counted its share, every peer had its answer, and the
 * process has as many descriptors open as before the group started. Scales with
 * {@code -Dsimmer.stress.scale=N} (2,000 connections per unit and strategy).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ShardedServerStressTest {
    private static final int SCALE = Integer.getInteger("simmer.stress.scale", 1);
    private static final String LOOPBACK = "127.0.0.1";
    private static final int LIMIT = 1024;

    /** "echo" is echoed; "wait" waits for more than ever comes; a line past the limit is refused. */
    private static final ConnectionHandler HANDLER = (reader, writer) -> {
        String line;
        try {
            line = reader.readLineUtf8();
        } catch (LimitOverrunException e) {
            writer.write("line too long\n");
            writer.writeEof();
            while (reader.read(8192).length > 0) {
                // discard the rest until the peer hangs up (closing now would reset the connection)
            }
            return;
        }
        if (line != null && line.startsWith("echo")) {
            writer.write(line + "\n");
        } else {
            reader.readExactly(1 << 20);
        }
    };

    @ParameterizedTest
    @EnumSource(ShardedServer.Strategy.class)
    void everyConnectionIsAnsweredOnBothLoopsAndNoDescriptorIsLeft(ShardedServer.Strategy strategy) throws Exception {
        assumeTrue(StreamsStressTest.openDescriptors() > 0, "needs /proc/self/fd (Linux)");
        assumeTrue(strategy == ShardedServer.Strategy.ACCEPTOR || ShardedServerTest.reusePortSupported(), "needs SO_REUSEPORT");
        int total = 2_000 * SCALE;
        AtomicInteger served = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger reset = new AtomicInteger();
        AtomicInteger refusedLines = new AtomicInteger();
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        long[] perLoop = new long[2];
        // A round first, on a group of its own: what the JDK opens once, lazily, and keeps for the
        // process (on the threads engine, the virtual-thread poller's descriptors) is open before the count.
        serve(strategy, 40, Collections.synchronizedList(new ArrayList<>()), new long[2], new AtomicInteger(), new AtomicInteger(),
                new AtomicInteger(), new AtomicInteger());
        System.gc();
        List<String> before = descriptors();
        serve(strategy, total, reports, perLoop, served, cancelled, reset, refusedLines);
        List<String> after = descriptors();
        System.out.printf("ShardedServerStressTest %s: %d connections (%d served, %d cancelled, %d reset, %d endless"
                + " lines refused), %d and %d per loop, %d handler failures reported, descriptors %d before, %d after%n",
                strategy, total, served.get(), cancelled.get(), reset.get(), refusedLines.get(), perLoop[0], perLoop[1],
                reports.size(), before.size(), after.size());
        assertThat(served.get()).isEqualTo(total / 4);
        assertThat(cancelled.get()).as("connections cancelled mid-read").isEqualTo(total / 4);
        assertThat(reset.get()).isEqualTo(total / 4);
        assertThat(refusedLines.get()).as("endless lines refused with an answer").isEqualTo(total / 4);
        assertThat(perLoop[0] + perLoop[1]).as("each connection counted once, by the loop that served it")
                .isEqualTo(total);
        assertThat(perLoop[0]).as("connections on loop 0").isPositive();
        assertThat(perLoop[1]).as("connections on loop 1").isPositive();
        // What a handler met (a reset, a peer gone mid-read) is reported, never anything else.
        synchronized (reports) {
            for (ErrorReport r : reports) {
                assertThat(r.exception()).as(r.message()).isInstanceOf(IOException.class);
            }
        }
        List<String> left = new ArrayList<>(after);
        left.removeAll(before);
        assertThat(after.size()).as("descriptors after the group closed; new ones: %s", left)
                .isLessThanOrEqualTo(before.size());
    }

    /** Serves {@code total} connections of the four kinds on a group of two, then closes server and group. */
    private static void serve(ShardedServer.Strategy strategy, int total, List<ErrorReport> reports, long[] perLoop,
                              AtomicInteger served, AtomicInteger cancelled, AtomicInteger reset,
                              AtomicInteger refusedLines) throws Exception {
        try (LoopGroup group = LoopGroup.start(2, Runner.create().exceptionHandler(reports::add))) {
            ShardedServer server = ShardedServer.start(group, HANDLER, null, LOOPBACK, null, 0,
                    StreamOptions.defaults().withLimit(LIMIT), strategy);
            try {
                Runner.create().exceptionHandler(report -> { }).run(() -> {
                    for (int batch = 0; batch < total; batch += 100) {
                        List<AsyncCallable<Void>> bodies = new ArrayList<>();
                        for (int i = batch; i < Math.min(total, batch + 100); i++) {
                            int kind = i % 4;
                            bodies.add(() -> {
                                peer(kind, server.port(), served, cancelled, reset, refusedLines);
                                return null;
                            });
                        }
                        Async.gather(bodies);
                    }
                });
                for (int i = 0; i < 2; i++) {
                    Server s = server.servers().get(i);
                    perLoop[i] = group.loops().get(i).submit(s::acceptedConnections).join();
                }
            } finally {
                server.close();
            }
        }
    }

    /** What each open descriptor of this process is ("socket:[123]", "anon_inode:[eventpoll]", a path). */
    private static List<String> descriptors() throws IOException {
        List<String> targets = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one closed since
                }
            }
        }
        return targets;
    }

    /** One client connection of the given kind: 0 served, 1 cancelled mid-read, 2 reset, 3 endless line. */
    private static void peer(int kind, int port, AtomicInteger served, AtomicInteger cancelled,
                             AtomicInteger reset, AtomicInteger refusedLines) throws Exception {
        switch (kind) {
            case 0 -> {
                try (Connection c = Streams.openConnection(LOOPBACK, port)) {
                    c.writer().write("echo\n");
                    assertThat(c.reader().readLineUtf8()).isEqualTo("echo");
                    served.incrementAndGet();
                }
            }
            case 1 -> {
                if (StreamsStressTest.cancelledMidRead(port)) {
                    cancelled.incrementAndGet(); // cancelled mid-read, its socket closed
                }
            }
            case 2 -> {
                Connection c = Streams.openConnection(LOOPBACK, port);
                c.writer().write("half a mess");
                c.writer().abort();
                reset.incrementAndGet();
            }
            default -> {
                try (Connection c = Streams.openConnection(LOOPBACK, port)) {
                    byte[] noNewline = new byte[LIMIT * 4];
                    Arrays.fill(noNewline, (byte) 'z');
                    c.writer().write(noNewline);
                    String answer = c.reader().readLineUtf8();
                    c.writer().writeEof(); // the server reads to the end, then closes
                    assertThat(c.reader().read(8192)).isEmpty();
                    if ("line too long".equals(answer)) {
                        refusedLines.incrementAndGet();
                    }
                }
            }
        }
    }
}
