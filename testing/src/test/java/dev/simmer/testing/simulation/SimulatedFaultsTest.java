package dev.simmer.testing.simulation;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.io.Connection;
import dev.simmer.io.Datagram;
import dev.simmer.io.DatagramEndpoint;
import dev.simmer.io.Server;
import dev.simmer.io.Streams;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedFaultsTest {

    private static long millis() {
        return Duration.ofNanos(Async.loop().time()).toMillis();
    }

    private static void echoServer() throws Exception {
        Streams.startServer((in, out) -> {
            String line;
            while ((line = in.readLineUtf8()) != null) {
                out.write(line + "\n");
            }
        }, "0.0.0.0", 7000).serveForever();
    }

    @Test
    void eachLinkHasItsLatency() {
        List<Long> got = new ArrayList<>();
        Simulation.create(1)
                .host("near", SimulatedFaultsTest::echoServer)
                .host("far", SimulatedFaultsTest::echoServer)
                .host("client", () -> {
                    for (String target : List.of("near", "far")) {
                        long start = millis();
                        Connection c = Streams.openConnection(target, 7000);
                        got.add(millis() - start); // one round trip
                        c.close();
                    }
                    Simulation.control().stop();
                })
                .latency(Latency.fixed(Duration.ofMillis(2)))
                .link("client", "far", Latency.fixed(Duration.ofMillis(80)))
                .run();
        assertThat(got).containsExactly(4L, 160L);
    }

    @Test
    void drawnLatenciesStayWithinTheirDistribution() {
        List<Long> rtts = new ArrayList<>();
        Simulation.create(2)
                .host("server", SimulatedFaultsTest::echoServer)
                .host("client", () -> {
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        for (int i = 0; i < 200; i++) {
                            long start = Async.loop().time();
                            c.writer().write("x\n");
                            c.reader().readLineUtf8();
                            rtts.add(Async.loop().time() - start);
                        }
                    }
                    Simulation.control().stop();
                })
                .latency(Latency.uniform(Duration.ofMillis(10), Duration.ofMillis(30)))
                .run();
        assertThat(rtts).allSatisfy(rtt -> assertThat(rtt).isBetween(Duration.ofMillis(20).toNanos(),
                Duration.ofMillis(60).toNanos()));
        assertThat(rtts.stream().distinct().count()).isGreaterThan(100); // drawn, not fixed
    }

    @Test
    void aPartitionHoldsTcpSegmentsUntilTheHeal() {
        List<String> got = new ArrayList<>();
        Simulation.create(3)
                .host("server", SimulatedFaultsTest::echoServer)
                .host("client", () -> {
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        Async.sleep(Duration.ofSeconds(1)); // the partition begins at 1 s
                        c.writer().write("during\n");
                        got.add(c.reader().readLineUtf8() + " at " + millis() / 1000 + " s");
                    }
                    Simulation.control().stop();
                })
                .latency(Latency.fixed(Duration.ofMillis(1)))
                .chaos(control -> {
                    Async.sleep(Duration.ofMillis(500));
                    control.partition(List.of("server"));
                    Async.sleep(Duration.ofSeconds(10));
                    control.heal();
                })
                .run();
        assertThat(got).containsExactly("during at 10 s");
    }

    @Test
    void aConnectAcrossAPartitionWaitsForTheHealOrTimesOut() {
        List<String> got = new ArrayList<>();
        Simulation.create(4)
                .host("server", SimulatedFaultsTest::echoServer)
                .host("patient", () -> {
                    Streams.openConnection("server", 7000).close();
                    got.add("patient connected at " + millis() / 1000 + " s");
                })
                .host("isolated", () -> {
                    try {
                        Streams.openConnection("server", 7000);
                    } catch (ConnectException e) {
                        got.add("isolated: " + e.getMessage().substring(0, 20) + " at " + millis() / 1000 + " s");
                    }
                })
                .latency(Latency.fixed(Duration.ofMillis(1)))
                .chaos(control -> {
                    control.partition(List.of("server"), List.of("patient", "isolated"));
                    Async.sleep(Duration.ofSeconds(30));
                    control.heal(List.of("server"), List.of("patient"));
                    Async.sleep(Duration.ofMinutes(3));
                    control.stop();
                })
                .duration(Duration.ofMinutes(10))
                .run();
        assertThat(got).containsExactly("patient connected at 30 s", "isolated: Connection timed out at 127 s");
    }

    @Test
    void resetConnectionsResetsBothSides() {
        List<String> got = new ArrayList<>();
        Simulation.create(5)
                .host("server", () -> Streams.startServer((in, out) -> {
                    try {
                        in.readLineUtf8();
                    } catch (SocketException e) {
                        got.add("server: " + e.getMessage());
                    }
                }, "0.0.0.0", 7000).serveForever())
                .host("client", () -> {
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        c.reader().readLineUtf8();
                    } catch (SocketException e) {
                        got.add("client: " + e.getMessage());
                    }
                })
                .chaos(control -> {
                    Async.sleep(Duration.ofSeconds(1));
                    control.resetConnections("client", "server");
                    Async.sleep(Duration.ofSeconds(1));
                    control.stop();
                })
                .run();
        assertThat(got).containsExactlyInAnyOrder("server: Connection reset", "client: Connection reset");
    }

    @Test
    void aCrashCancelsTheHostsTasksResetsItsConnectionsAndARestartRunsItsMainAgain() {
        List<String> got = new ArrayList<>();
        Simulation.create(6)
                .host("server", () -> {
                    got.add("server main starts as " + Async.currentTask().name() + " at " + millis() + " ms");
                    Async.createTask(() -> {
                        try {
                            Async.sleep(Duration.ofHours(1));
                        } catch (CancelledException e) {
                            got.add("server's background task cancelled at " + millis() + " ms");
                            try {
                                Streams.openConnection("client", 1); // its life has ended: refused
                            } catch (SocketException refused) { // ConnectException too: a live host's task
                                got.add("refused: " + refused.getMessage().substring(0, 35));
                            }
                            throw e;
                        }
                        return null;
                    });
                    echoServer();
                })
                .host("client", () -> {
                    Async.sleep(Duration.ofMillis(100));
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        c.reader().readLineUtf8();
                    } catch (SocketException e) {
                        got.add("client: " + e.getMessage() + " at " + millis() + " ms");
                    }
                    try {
                        Streams.openConnection("server", 7000);
                    } catch (ConnectException e) {
                        got.add("client: refused while down");
                    }
                    Async.sleep(Duration.ofSeconds(2));
                    try (Connection c = Streams.openConnection("server", 7000)) {
                        c.writer().write("back\n");
                        got.add("client: " + c.reader().readLineUtf8());
                    }
                    Simulation.control().stop();
                })
                .latency(Latency.fixed(Duration.ofMillis(5)))
                .chaos(control -> {
                    Async.sleep(Duration.ofSeconds(1));
                    control.crash("server");
                    got.add("server up: " + control.isUp("server"));
                    Async.sleep(Duration.ofSeconds(1));
                    control.restart("server");
                })
                .run();
        assertThat(got).containsExactly(
                "server main starts as server at 0 ms",
                "server up: false",
                "server's background task cancelled at 1000 ms",
                "refused: Streams.openConnection: host server",
                "client: Connection reset by peer at 1005 ms",
                "client: refused while down",
                "server main starts as server#1 at 2000 ms",
                "client: back",
                // stop(): the run's end cancels the second life's task; its connect is a live host's
                "server's background task cancelled at 3035 ms",
                "refused: Connection refused: nothing listens");
    }

    @Test
    void datagramsCanBeLostDuplicatedAndReordered() {
        List<Integer> received = new ArrayList<>();
        Simulation.create(7)
                .host("receiver", () -> {
                    try (DatagramEndpoint e = DatagramEndpoint.bind("0.0.0.0", 5000)) {
                        while (true) {
                            Datagram d = e.receive();
                            received.add(Integer.parseInt(new String(d.data(), StandardCharsets.UTF_8)));
                        }
                    }
                })
                .host("sender", () -> {
                    try (DatagramEndpoint e = DatagramEndpoint.connect("receiver", 5000)) {
                        for (int i = 0; i < 1000; i++) {
                            e.send(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                        }
                    }
                })
                .latency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(50)))
                .datagramLoss(0.2)
                .datagramDuplication(0.1)
                .duration(Duration.ofSeconds(1))
                .run();
        long distinct = received.stream().distinct().count();
        assertThat(distinct).isBetween(700L, 900L); // about 800 of 1,000 arrive (a fixed seed: always the same)
        assertThat(received.size() - distinct).isBetween(40L, 120L); // about a tenth of those twice
        assertThat(received).isNotEqualTo(received.stream().sorted().toList()); // latencies drawn per datagram
    }

    @Test
    void datagramsAreLostAcrossAPartitionAndToAConnectedSocketOnlyItsPeerSends() {
        List<String> got = new ArrayList<>();
        Simulation.create(8)
                .host("a", () -> {
                    try (DatagramEndpoint e = DatagramEndpoint.open(
                            new java.net.InetSocketAddress("0.0.0.0", 5000),
                            new java.net.InetSocketAddress("10.0.0.2", 5000), // b
                            DatagramEndpoint.MAX_DATAGRAM_SIZE)) {
                        while (true) {
                            got.add(new String(e.receive().data(), StandardCharsets.UTF_8) + " at " + millis() + " ms");
                        }
                    }
                })
                .host("b", () -> {
                    try (DatagramEndpoint e = DatagramEndpoint.bind("0.0.0.0", 5000)) {
                        e.send("before".getBytes(), new java.net.InetSocketAddress("10.0.0.1", 5000));
                        Async.sleep(Duration.ofSeconds(2));
                        e.send("during".getBytes(), new java.net.InetSocketAddress("10.0.0.1", 5000));
                        Async.sleep(Duration.ofSeconds(2));
                        e.send("after".getBytes(), new java.net.InetSocketAddress("10.0.0.1", 5000));
                    }
                })
                .host("c", () -> {
                    try (DatagramEndpoint e = DatagramEndpoint.connect("a", 5000)) {
                        e.send("from c".getBytes()); // a is connected to b: dropped
                    }
                })
                .latency(Latency.fixed(Duration.ofMillis(3)))
                .chaos(control -> {
                    Async.sleep(Duration.ofSeconds(1));
                    control.partition(List.of("a"), List.of("b"));
                    Async.sleep(Duration.ofSeconds(2));
                    control.heal();
                })
                .duration(Duration.ofSeconds(10))
                .run();
        assertThat(got).containsExactly("before at 3 ms", "after at 4003 ms");
    }
}
