package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.ErrorReport;
import dev.simmer.LoopThread;
import dev.simmer.Promise;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.sync.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Server}: the lifetime of its connections. A connection is the server's until it is
 * really closed, including after its handler returned while the peer has not yet taken what
 * it wrote; closing the server leaves no socket open; a peer that never reads costs bounded
 * memory and does not stop the others being served.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static final int EIGHT_MIB = 8 << 20;
    /** Small socket buffers: the kernel holds little, so most of a big write stays in the writer. */
    private static final StreamOptions SMALL = StreamOptions.defaults().withBufferSizes(8192, 8192);

    private static <T> T virtual(AsyncCallable<T> main) throws Exception {
        return Runner.create().virtualTime(true).run(main);
    }

    /** Writes 8 MiB and returns: most of it is still buffered when it does, if the peer does not read. */
    private static ConnectionHandler writesEightMibAndReturns(Event returned) {
        return (reader, writer) -> {
            writer.write(new byte[EIGHT_MIB]);
            returned.set();
        };
    }

    /** Reads to the end of the stream (or a reset) and says how many bytes came. */
    private static long readToTheEnd(StreamReader reader) throws Exception {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            while ((n = reader.read(buffer, 0, buffer.length)) >= 0) {
                total += n;
            }
        } catch (IOException reset) {
            // the server aborted: a reset is as good an end as any
        }
        return total;
    }

    // ================================================================== the loop's thread

    @Test
    void closeFromAnotherThreadIsRefusedChangesNothingAndSaysToSubmitIt() throws Exception {
        try (LoopThread lt = LoopThread.start()) {
            Server server = lt.submit(() -> Streams.startServer((reader, writer) -> writer.write("hi\n"),
                    LOOPBACK, 0)).get(10, TimeUnit.SECONDS);
            Throwable refused = catchThrowable(server::close); // a shutdown hook's mistake
            assertThat(refused).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Server.close()").hasMessageContaining("submit(() -> server.close())");
            for (Runnable call : List.<Runnable>of(server::stopAccepting, server::closeClients, server::abortClients,
                    server::isServing, server::activeConnections)) {
                assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class);
            }
            assertThat(lt.submit(server::isServing).get(10, TimeUnit.SECONDS)).as("still serving").isTrue();
            try (Socket s = new Socket(LOOPBACK, server.port())) {
                assertThat(new String(s.getInputStream().readNBytes(3), StandardCharsets.UTF_8)).isEqualTo("hi\n");
            }
            lt.submit(server::close).get(10, TimeUnit.SECONDS); // what the error says to do
            assertThat(lt.submit(server::isServing).get(10, TimeUnit.SECONDS)).isFalse();
            assertThatThrownBy(() -> new Socket(LOOPBACK, server.port()).close()).isInstanceOf(IOException.class);
            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress(LOOPBACK, server.port())); // the listening socket was released
            }
        }
    }

    @Test
    void closeFromAPlainCallbackIsRefusedBeforeItStopsAnything() throws Exception {
        List<Object> got = virtual(() -> {
            Server server = Streams.startServer((reader, writer) -> { }, LOOPBACK, 0);
            Promise<Throwable> refused = new Promise<>();
            Async.loop().callSoon(() -> refused.complete(catchThrowable(server::close)));
            List<Object> out = new ArrayList<>();
            out.add(refused.await().getMessage().contains("inside a task"));
            out.add(server.isServing());
            server.close();
            out.add(server.isServing());
            return out;
        });
        assertThat(got).containsExactly(true, true, false);
    }

    // ================================================================== a returned handler's connection

    @Test
    void aConnectionStaysTheServersUntilWhatItsHandlerWroteIsSent() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        virtual(() -> {
            Event returned = new Event();
            Server server = Streams.startServer((reader, writer) -> {
                writer.write(new byte[1 << 20]);
                returned.set();
            }, LOOPBACK, 0, SMALL);
            Connection c = Streams.openConnection(LOOPBACK, server.port(), SMALL);
            returned.await();
            events.add("handler returned, " + server.activeConnections() + " connection open");
            server.stopAccepting();
            server.closeClients(); // asyncio's close_clients: a closing connection goes on sending
            Task<Void> waiting = Async.createTask(server::waitClosed);
            Async.sleep(Duration.ofSeconds(10)); // the client does not read yet
            events.add("after 10 s: waitClosed " + (waiting.isDone() ? "returned" : "still waits"));
            events.add("the client read " + readToTheEnd(c.reader()) + " bytes");
            waiting.await();
            events.add("waitClosed returned, " + server.activeConnections() + " open");
            c.close();
            return null;
        });
        assertThat(events).containsExactly(
                "handler returned, 1 connection open",
                "after 10 s: waitClosed still waits",
                "the client read " + (1 << 20) + " bytes",
                "waitClosed returned, 0 open");
    }

    @Test
    void closeLeavesNoSocketOpenWhenAReturnedHandlersPeerNeverReads() throws Exception {
        assumeTrue(StreamsStressTest.openDescriptors() > 0, "needs /proc/self/fd (Linux)");
        System.gc();
        int before = StreamsStressTest.openDescriptors();
        long[] seen = virtual(() -> {
            Event returned = new Event();
            Server server = Streams.startServer(writesEightMibAndReturns(returned), LOOPBACK, 0, SMALL);
            Connection c = Streams.openConnection(LOOPBACK, server.port(), SMALL);
            returned.await();
            long start = Async.loop().time();
            server.close();
            long closeTook = Async.loop().time() - start;
            int open = server.activeConnections();
            // what the kernel's buffers held, then the end: the rest was dropped, not sent
            long got = Async.timeout(Duration.ofSeconds(1), () -> readToTheEnd(c.reader()));
            c.close();
            Async.yieldNow(); // one pass: the loop lets go of the closed channels
            return new long[] {closeTook, open, got};
        });
        int after = StreamsStressTest.openDescriptors();
        assertThat(seen[0]).as("loop time close() took (ns): the grace, then the abort")
                .isBetween(Server.CLOSE_GRACE.toNanos(), Server.CLOSE_GRACE.toNanos() + 1_000_000_000L);
        assertThat(seen[1]).as("connections open after close()").isZero();
        assertThat(seen[2]).as("bytes the client got after close()").isLessThan(EIGHT_MIB);
        assertThat(after).as("descriptors after Async.run (%d before)", before).isLessThanOrEqualTo(before);
    }

    @Test
    void closeLetsAPeerThatReadsHaveWhatAReturnedHandlerWrote() throws Exception {
        // On the real clock: the close grace is a timer, and a virtual clock jumps to it once the
        // loop has found no I/O ready for a few real milliseconds, which a loaded machine can take
        // to move data over loopback (TlsTest's twin of this test lost the end of its data so)
        long[] seen = Runner.create().run(() -> {
            Event returned = new Event();
            Server server = Streams.startServer(writesEightMibAndReturns(returned), LOOPBACK, 0, SMALL);
            Connection c = Streams.openConnection(LOOPBACK, server.port(), SMALL);
            returned.await();
            Task<Long> reading = Async.createTask(() -> readToTheEnd(c.reader()));
            long start = Async.loop().time();
            server.close(); // within the grace: nothing is cut short
            long closeTook = Async.loop().time() - start;
            long got = reading.await();
            c.close();
            return new long[] {closeTook, got};
        });
        assertThat(seen[0]).as("loop time close() took (ns)").isLessThan(Server.CLOSE_GRACE.toNanos());
        assertThat(seen[1]).as("bytes the client got").isEqualTo(EIGHT_MIB);
    }

    @Test
    void theLoopShuttingDownClosesAConnectionStillSending() throws Exception {
        assumeTrue(StreamsStressTest.openDescriptors() > 0, "needs /proc/self/fd (Linux)");
        System.gc();
        int before = StreamsStressTest.openDescriptors();
        // a peer outside the loop that outlives it, as a remote client would, and never reads
        try (Socket peer = new Socket()) {
            peer.setReceiveBufferSize(8192);
            virtual(() -> {
                Event returned = new Event();
                Server server = Streams.startServer(writesEightMibAndReturns(returned), LOOPBACK, 0, SMALL);
                peer.connect(server.address()); // the kernel completes it; the server accepts it then
                returned.await();
                assertThat(server.isServing()).isTrue(); // left to the loop's shutdown
                return null;
            });
            assertThat(StreamsStressTest.openDescriptors()).as("descriptors after Async.run with the peer open (%d before)", before)
                    .isLessThanOrEqualTo(before + 1);
        }
        assertThat(StreamsStressTest.openDescriptors()).as("descriptors after Async.run (%d before)", before).isLessThanOrEqualTo(before);
    }

    @Test
    void abortClientsClosesEveryConnectionAtOnce() throws Exception {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        long[] seen = Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            Event returned = new Event();
            Event reading = new Event();
            Server server = Streams.startServer((reader, writer) -> {
                if (reader.readLineUtf8().equals("flood")) {
                    writer.write(new byte[EIGHT_MIB]);
                    returned.set();
                } else {
                    reading.set();
                    reader.read(1); // the client stays silent
                }
            }, LOOPBACK, 0, SMALL);
            Connection flooded = Streams.openConnection(LOOPBACK, server.port(), SMALL);
            flooded.writer().write("flood\n");
            Connection silent = Streams.openConnection(LOOPBACK, server.port(), SMALL);
            silent.writer().write("wait\n");
            returned.await();
            reading.await();
            long open = server.activeConnections();
            server.abortClients();
            long got = Async.timeout(Duration.ofSeconds(1), () -> readToTheEnd(flooded.reader()));
            long silentGot = Async.timeout(Duration.ofSeconds(1), () -> readToTheEnd(silent.reader()));
            Async.yieldNow(); // the handlers' tasks end
            long afterAbort = server.activeConnections() + (server.isServing() ? 1000 : 0);
            server.close();
            flooded.close();
            silent.close();
            return new long[] {open, afterAbort, got, silentGot};
        });
        assertThat(seen[0]).as("connections open before").isEqualTo(2);
        assertThat(seen[1]).as("still serving, with no connection, once the handlers have ended").isEqualTo(1000);
        assertThat(seen[2]).as("bytes of the 8 MiB the client got").isLessThan(EIGHT_MIB);
        assertThat(seen[3]).as("bytes the silent client got").isZero();
        assertThat(reports).isEmpty();
    }

    // ================================================================== a peer that never reads

    @Test
    void aHandlerWritingToAPeerThatNeverReadsWaitsInDrainAndOthersAreStillServed() throws Exception {
        int high = 32 * 1024;
        int chunk = 4096;
        StreamOptions opts = SMALL.withWaterMarks(high, 8 * 1024);
        long[] most = {0};
        long[] written = {0};
        boolean[] inDrain = {false};
        List<String> log = virtual(() -> {
            List<String> events = new ArrayList<>();
            ConnectionHandler handler = (reader, writer) -> {
                String first = reader.readLineUtf8();
                if ("flood".equals(first)) {
                    byte[] data = new byte[chunk];
                    while (true) {
                        writer.write(data);
                        written[0] += chunk;
                        most[0] = Math.max(most[0], writer.bufferedBytes());
                        inDrain[0] = true;
                        writer.drain();
                        inDrain[0] = false;
                    }
                }
                for (String line = first; line != null; line = reader.readLineUtf8()) {
                    writer.write("echo " + line + "\n");
                    writer.drain();
                }
            };
            try (Server server = Streams.startServer(handler, LOOPBACK, 0, opts);
                 Connection neverReads = Streams.openConnection(LOOPBACK, server.port(), opts)) {
                neverReads.writer().write("flood\n");
                Async.sleep(Duration.ofSeconds(1));
                long stalledAt = written[0];
                events.add("flooding handler in drain: " + inDrain[0]);
                List<AsyncCallable<String>> others = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int id = i;
                    others.add(() -> {
                        try (Connection c = Streams.openConnection(LOOPBACK, server.port(), opts)) {
                            c.writer().write("hello " + id + "\n");
                            return c.reader().readLineUtf8();
                        }
                    });
                }
                events.addAll(Async.gather(others));
                Async.sleep(Duration.ofSeconds(1));
                events.add("written meanwhile: " + (written[0] - stalledAt));
                events.add("still in drain: " + inDrain[0]);
            }
            return events;
        });
        assertThat(log).containsExactly(
                "flooding handler in drain: true",
                "echo hello 0", "echo hello 1", "echo hello 2", "echo hello 3", "echo hello 4",
                "written meanwhile: 0",
                "still in drain: true");
        // never more buffered than the high-water mark plus the one write that crossed it
        assertThat(most[0]).isGreaterThan(high).isLessThanOrEqualTo(high + chunk);
    }
    @Test
    void aBurstOfConnectsLargerThanTheJdksDefaultBacklogIsAllAccepted() throws Exception {
        // The JDK's default backlog is 50: a larger burst, connecting in one pass before the
        // server accepts any, would lose SYNs, and each lost one waits a second for its retry.
        // Under virtual time that wait lets the clock jump to the timeout below.
        int served = Runner.create().virtualTime(true).run(() -> {
            ConnectionHandler hello = (reader, writer) -> writer.write("hi\n");
            try (Server server = Streams.startServer(hello, "127.0.0.1", 0)) {
                List<AsyncCallable<String>> clients = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    clients.add(() -> {
                        try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                            return c.reader().readLineUtf8();
                        }
                    });
                }
                List<String> answers = Async.timeout(Duration.ofSeconds(1), () -> Async.gather(clients));
                return (int) answers.stream().filter("hi"::equals).count();
            }
        });
        assertThat(served).isEqualTo(300);
    }
}
