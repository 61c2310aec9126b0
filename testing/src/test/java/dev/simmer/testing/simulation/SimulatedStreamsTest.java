package dev.simmer.testing.simulation;

import dev.simmer.Async;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.StreamOptions;
import dev.simmer.io.StreamReader;
import dev.simmer.io.StreamWriter;
import dev.simmer.io.Streams;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedStreamsTest {

    /** A server host that answers each line with its upper case, on port 7000. */
    static void upperServer() throws Exception {
        Server s = Streams.startServer((in, out) -> {
            String line;
            while ((line = in.readLineUtf8()) != null) {
                out.write(line.toUpperCase() + "\n");
                out.drain();
            }
        }, "0.0.0.0", 7000);
        s.serveForever();
    }

    @Test
    void aClientTalksToAServerByName() {
        List<String> got = new ArrayList<>();
        SimulationResult r = Simulation.create(1)
                .host("server", SimulatedStreamsTest::upperServer)
                .host("client", () -> {
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        c.writer().write("hello\nworld\n");
                        got.add(c.reader().readLineUtf8());
                        got.add(c.reader().readLineUtf8());
                        got.add(String.valueOf(c.writer().peer()));
                    }
                    Simulation.control().stop();
                })
                .latency(Latency.fixed(Duration.ofMillis(10)))
                .run();
        assertThat(got).containsExactly("HELLO", "WORLD", "/10.0.0.1:7000");
        // connect: 1 round trip (20 ms); the lines: another (20 ms)
        assertThat(r.simulatedTime()).isEqualTo(Duration.ofMillis(40));
        assertThat(r.trace()).anyMatch(l -> l.contains("connected client:32768>server:7000"));
    }

    @Test
    void connectingWhereNothingListensIsRefused() {
        List<Object> got = new ArrayList<>();
        Simulation.create(2)
                .host("server", () -> Async.sleep(Duration.ofHours(1)))
                .host("client", () -> {
                    try {
                        Streams.openConnection("server", 80);
                    } catch (ConnectException e) {
                        got.add(e.getMessage());
                        got.add(Async.loop().time());
                    }
                    Simulation.control().stop();
                })
                .latency(Latency.fixed(Duration.ofMillis(5)))
                .run();
        assertThat((String) got.get(0)).contains("Connection refused");
        assertThat(got.get(1)).isEqualTo(Duration.ofMillis(10).toNanos()); // SYN there, RST back
    }

    @Test
    void namesResolveToHostsAndLocalhostToItself() {
        List<Object> got = new ArrayList<>();
        Simulation.create(3)
                .host("solo", () -> {
                    Server s = Streams.startServer((in, out) -> out.write("self\n"), "127.0.0.1", 9000);
                    try (Connection c = Streams.openConnection("localhost", 9000)) {
                        got.add(c.reader().readLineUtf8());
                    }
                    assertThatThrownBy(() -> Streams.openConnection("nowhere", 80))
                            .isInstanceOf(UnknownHostException.class).hasMessageContaining("its hosts: solo");
                    assertThatThrownBy(() -> Streams.openConnection("192.168.7.7", 80))
                            .isInstanceOf(ConnectException.class).hasMessageContaining("cannot reach the real network");
                    assertThatThrownBy(() -> Streams.startServer((in, out) -> { }, "0.0.0.0", 9000))
                            .isInstanceOf(BindException.class).hasMessageContaining("already in use");
                    assertThatThrownBy(() -> Streams.startServer((in, out) -> { }, "10.9.9.9", 1))
                            .isInstanceOf(BindException.class).hasMessageContaining("not an address of host solo");
                    got.add(s.address().toString());
                    s.close();
                    Simulation.control().stop();
                })
                .run();
        assertThat(got).containsExactly("self", "/127.0.0.1:9000");
    }

    @Test
    void aServerBoundToLoopbackIsNotReachableFromOtherHosts() {
        List<String> got = new ArrayList<>();
        Simulation.create(4)
                .host("server", () -> Streams.startServer((in, out) -> { }, "127.0.0.1", 7000).serveForever())
                .host("client", () -> {
                    Async.sleep(Duration.ofMillis(1));
                    try {
                        Streams.openConnection("server", 7000);
                    } catch (ConnectException e) {
                        got.add("refused");
                    }
                    Simulation.control().stop();
                })
                .run();
        assertThat(got).containsExactly("refused");
    }

    @Test
    void halfCloseLetsThePeerAnswerAfterTheEnd() {
        List<String> got = new ArrayList<>();
        Simulation.create(5)
                .host("server", () -> Streams.startServer((in, out) -> {
                    byte[] all = in.read(-1); // to the end of the stream
                    out.write("got " + all.length + " bytes\n");
                }, "0.0.0.0", 7000).serveForever())
                .host("client", () -> {
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        c.writer().write(new byte[5000]);
                        c.writer().writeEof();
                        got.add(c.reader().readLineUtf8());
                        got.add(Arrays.toString(c.reader().read(10))); // then the server's end
                    }
                    Simulation.control().stop();
                })
                .run();
        assertThat(got).containsExactly("got 5000 bytes", "[]");
    }

    @Test
    void writingToAConnectionThePeerClosedEndsInAReset() {
        List<String> got = new ArrayList<>();
        Simulation.create(6)
                .host("server", () -> Streams.startServer((in, out) -> {
                    in.readLineUtf8(); // one line, then the handler returns and the server closes it
                }, "0.0.0.0", 7000).serveForever())
                .host("client", () -> {
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        c.writer().write("one\n");
                        Async.sleep(Duration.ofSeconds(1)); // the server has closed by now
                        got.add(Arrays.toString(c.reader().read(10))); // its FIN: the end
                        c.writer().write("two\n"); // arrives at a closed socket: reset
                        Async.sleep(Duration.ofSeconds(1));
                        c.writer().write("three\n");
                    } catch (SocketException e) {
                        got.add(e.getMessage());
                    }
                    Simulation.control().stop();
                })
                .run();
        assertThat(got).containsExactly("[]", "Connection reset by peer");
    }

    @Test
    void drainWaitsForASlowReaderWithABoundedWindow() {
        int total = 200_000;
        List<Object> got = new ArrayList<>();
        Simulation.create(7)
                .host("server", () -> Streams.startServer((in, out) -> {
                    long n = 0;
                    byte[] chunk;
                    while ((chunk = in.read(1000)).length > 0) {
                        for (byte b : chunk) {
                            if (b != (byte) (n++ % 251)) {
                                throw new AssertionError("byte " + (n - 1) + " was corrupted");
                            }
                        }
                        Async.sleep(Duration.ofMillis(1)); // a slow reader: 1,000 bytes a millisecond at most
                    }
                    got.add(n);
                    out.write("done\n");
                }, "0.0.0.0", 7000).serveForever())
                .host("client", () -> {
                    StreamOptions opts = StreamOptions.defaults().withWaterMarks(8 * 1024, 2 * 1024);
                    try (Connection c = Streams.openConnection("server", 7000, opts)) {
                        StreamWriter w = c.writer();
                        long maxBuffered = 0;
                        byte[] data = new byte[total];
                        for (int i = 0; i < total; i++) {
                            data[i] = (byte) (i % 251);
                        }
                        for (int at = 0; at < total; at += 4096) {
                            w.write(data, at, Math.min(4096, total - at));
                            maxBuffered = Math.max(maxBuffered, w.bufferedBytes());
                            w.drain();
                        }
                        long writtenAt = Async.loop().time();
                        w.writeEof();
                        got.add(c.reader().readLineUtf8());
                        got.add(maxBuffered <= 8 * 1024 + 4096);
                        got.add(writtenAt >= Duration.ofMillis(100).toNanos()); // held back by the reader
                    }
                    Simulation.control().stop();
                })
                .window(16 * 1024)
                .run();
        assertThat(got).containsExactly((long) total, "done", true, true);
    }

    @Test
    void serverCloseAndAbortClientsWorkOverTheSimulatedNetwork() {
        List<String> got = new ArrayList<>();
        Simulation.create(8)
                .host("server", () -> {
                    Server s = Streams.startServer((in, out) -> Async.sleep(Duration.ofHours(1)), "0.0.0.0", 7000);
                    Async.sleep(Duration.ofSeconds(1));
                    got.add("active " + s.activeConnections());
                    s.abortClients();
                    s.close();
                    got.add("closed " + s.activeConnections());
                })
                .host("client", () -> {
                    Async.sleep(Duration.ofMillis(10));
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        got.add("read " + Arrays.toString(c.reader().read(10)));
                    }
                    Async.sleep(Duration.ofSeconds(1));
                    try {
                        Streams.openConnection("server", 7000);
                    } catch (ConnectException e) {
                        got.add("refused after close");
                    }
                    Simulation.control().stop();
                })
                .run();
        assertThat(got).containsExactly("active 1", "closed 0", "read []", "refused after close");
    }

    @Test
    void tasksInheritTheirHost() {
        List<String> got = new ArrayList<>();
        Simulation.create(9)
                .host("alpha", () -> {
                    got.add(Simulation.hostName());
                    Async.createTask(() -> {
                        got.add("child of " + Simulation.hostName());
                        return null;
                    }).await();
                })
                .chaos(control -> {
                    assertThatThrownBy(Simulation::hostName).isInstanceOf(IllegalStateException.class);
                    assertThatThrownBy(() -> Streams.openConnection("alpha", 1))
                            .isInstanceOf(IllegalStateException.class).hasMessageContaining("belongs to no simulated host");
                    Async.sleep(Duration.ofSeconds(1));
                    control.stop();
                })
                .run();
        assertThat(got).containsExactly("alpha", "child of alpha");
    }

    @Test
    void whatIsNotSimulatedIsRefused() {
        List<String> got = new ArrayList<>();
        Simulation.create(10)
                .host("a", () -> {
                    for (dev.simmer.AsyncRunnable call : List.<dev.simmer.AsyncRunnable>of(
                            () -> Async.toThread(() -> 1),
                            () -> Streams.openConnection(UnixDomainSocketAddress.of(Path.of("x.sock"))),
                            () -> dev.simmer.io.Subprocess.start("true"))) {
                        try {
                            call.run();
                        } catch (UnsupportedOperationException e) {
                            got.add(e.getMessage().substring(0, e.getMessage().indexOf(" cannot")));
                        }
                    }
                })
                .run();
        assertThat(got).containsExactly("Async.toThread", "a Unix-domain socket (x.sock)",
                "Subprocess.start (a real process)"); // TLS is simulated: see SimulatedTlsTest
    }

    @Test
    void aFailingHostFailsTheRunNamingTheSeed() {
        assertThatThrownBy(() -> Simulation.create(11)
                .host("a", () -> {
                    Async.sleep(Duration.ofSeconds(3));
                    throw new IOException("disk on fire");
                })
                .run())
                .isInstanceOf(SimulationFailure.class)
                .hasMessageContaining("Simulation with seed 11: host 'a' failed at 3.000000 s")
                .hasMessageContaining("Simulation.create(11)")
                .hasCauseInstanceOf(IOException.class)
                .satisfies(e -> assertThat(((SimulationFailure) e).seed()).isEqualTo(11));
    }

    @Test
    void readerAndWriterOfOneConnectionServeTwoTasks() {
        List<String> got = new ArrayList<>();
        Simulation.create(12)
                .host("server", SimulatedStreamsTest::upperServer)
                .host("client", () -> {
                    Connection c = Streams.openConnection("server", 7000);
                    StreamReader in = c.reader();
                    var reader = Async.createTask(() -> {
                        for (int i = 0; i < 3; i++) {
                            got.add(in.readLineUtf8());
                        }
                        return null;
                    });
                    for (String s : List.of("a", "b", "c")) {
                        c.writer().write(s + "\n");
                        Async.sleep(Duration.ofMillis(100));
                    }
                    reader.await();
                    c.close();
                    Simulation.control().stop();
                })
                .run();
        assertThat(got).containsExactly("A", "B", "C");
    }
}
