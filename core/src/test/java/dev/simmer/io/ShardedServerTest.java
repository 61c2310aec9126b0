package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.EventLoop;
import dev.simmer.LoopGroup;
import dev.simmer.Runner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link ShardedServer}: connections spread over a group's loops, each served on one loop;
 * closing leaves no socket open; a hostile peer, or a handler that holds its loop, on one loop
 * does not stop another loop serving. Real time (a group never runs on a virtual clock), with
 * blocking sockets on the test thread as the peers. Both strategies run everywhere: REUSE_PORT
 * where the system offers SO_REUSEPORT, ACCEPTOR forced.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShardedServerTest {
    private static final String LOOPBACK = "127.0.0.1";
    private static SSLContext serverTls;
    private static SSLContext clientTls;

    /** Says which loop serves it ("loop 1"), then echoes each line in upper case. */
    private static ConnectionHandler reportLoop(LoopGroup group) {
        return (reader, writer) -> {
            writer.write("loop " + indexOf(group, Async.loop()) + "\n");
            writer.drain();
            String line;
            while ((line = reader.readLineUtf8()) != null) {
                writer.write(line.toUpperCase() + "\n");
                writer.drain();
            }
        };
    }

    private static int indexOf(LoopGroup group, EventLoop loop) {
        for (int i = 0; i < group.size(); i++) {
            if (group.loops().get(i).loop() == loop) {
                return i;
            }
        }
        return -1;
    }

    private static ShardedServer start(LoopGroup group, ConnectionHandler handler, ShardedServer.Strategy strategy)
            throws Exception {
        assumeTrue(strategy == ShardedServer.Strategy.ACCEPTOR || reusePortSupported(), "needs SO_REUSEPORT");
        return ShardedServer.start(group, handler, null, LOOPBACK, null, 0, StreamOptions.defaults(), strategy);
    }

    static boolean reusePortSupported() {
        try (java.nio.channels.ServerSocketChannel probe = java.nio.channels.ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(java.net.StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /** A blocking peer: its socket and a reader of its lines. */
    private record Peer(Socket socket, BufferedReader in) implements AutoCloseable {
        static Peer connect(int port) throws IOException {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(LOOPBACK, port), 10_000);
            s.setSoTimeout(20_000);
            return new Peer(s, new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
        }

        int loop() throws IOException {
            String first = in.readLine();
            assertThat(first).startsWith("loop ");
            return Integer.parseInt(first.substring(5));
        }

        String ask(String line) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ShardedServer.Strategy.class)
    void connectionsAreSpreadOverTheLoopsAndEachIsServed(ShardedServer.Strategy strategy) throws Exception {
        try (LoopGroup group = LoopGroup.start(2);
             ShardedServer server = start(group, reportLoop(group), strategy)) {
            assertThat(server.strategy()).isEqualTo(strategy);
            assertThat(server.servers()).hasSize(2);
            int[] perLoop = new int[2];
            List<Peer> peers = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    Peer p = Peer.connect(server.port());
                    peers.add(p);
                    perLoop[p.loop()]++;
                }
                for (int i = 0; i < peers.size(); i++) {
                    assertThat(peers.get(i).ask("hello " + i)).isEqualTo("HELLO " + i); // every one served
                }
            } finally {
                for (Peer p : peers) {
                    p.close();
                }
            }
            assertThat(perLoop[0]).as("connections on loop 0").isPositive();
            assertThat(perLoop[1]).as("connections on loop 1").isPositive();
            if (strategy == ShardedServer.Strategy.ACCEPTOR) {
                assertThat(perLoop).containsExactly(20, 20); // handed out in turn
            }
            long accepted = 0;
            for (int i = 0; i < 2; i++) {
                Server s = server.servers().get(i);
                accepted += group.loops().get(i).submit(s::acceptedConnections).join();
            }
            assertThat(accepted).isEqualTo(40); // each counted once, by the loop that served it
        }
    }

    @ParameterizedTest
    @EnumSource(ShardedServer.Strategy.class)
    void closeLeavesNoSocketOpenOnAnyLoop(ShardedServer.Strategy strategy) throws Exception {
        assumeTrue(StreamsStressTest.openDescriptors() > 0, "needs /proc/self/fd (Linux)");
        try (LoopGroup group = LoopGroup.start(2)) {
            // Sockets only: a loop opens its selector (two more descriptors) on its first wait for
            // I/O, which with ACCEPTOR, where loop 1 has no listening socket, may come only now
            int before = StreamsStressTest.openSockets();
            ShardedServer server = start(group, reportLoop(group), strategy);
            Set<Integer> loops = new HashSet<>();
            List<Peer> peers = new ArrayList<>();
            for (int i = 0; i < 20 || (loops.size() < 2 && i < 64); i++) { // both loops, as below
                Peer p = Peer.connect(server.port()); // each handler waits for a line that never comes
                peers.add(p);
                loops.add(p.loop());
            }
            assertThat(loops).containsExactlyInAnyOrder(0, 1);
            server.close(); // handlers cancelled, every socket and listening socket closed, on both loops
            server.close(); // again: nothing
            for (Peer p : peers) {
                assertThat(p.in().readLine()).isNull(); // the server's end is closed
                p.close();
            }
            // 20 connections and a listening socket per loop must all be gone
            assertThat(StreamsStressTest.openSockets()).as("sockets (%d before)", before).isLessThanOrEqualTo(before);
            assertThat(server.toString()).contains("closed");
        }
    }

    @ParameterizedTest
    @EnumSource(ShardedServer.Strategy.class)
    void aHostilePeerOrABusyHandlerOnOneLoopDoesNotStopTheOther(ShardedServer.Strategy strategy) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LoopGroup group = LoopGroup.start(2, Runner.create().exceptionHandler(report -> { })); // resets reported
             ShardedServer server = start(group, (reader, writer) -> {
                 int me = indexOf(group, Async.loop());
                 writer.write("loop " + me + "\n");
                 writer.drain();
                 String line;
                 while ((line = reader.readLineUtf8()) != null) {
                     if (line.equals("hold")) {
                         release.await(); // holds this whole loop's thread, on purpose
                     }
                     writer.write(line.toUpperCase() + "\n");
                     writer.drain();
                 }
             }, strategy)) {
            Peer[] byLoop = new Peer[2];
            List<Peer> spare = new ArrayList<>();
            List<Peer> hostile = new ArrayList<>(); // two more peers of loop 0
            try {
                while (byLoop[0] == null || byLoop[1] == null || hostile.size() < 2) {
                    Peer p = Peer.connect(server.port());
                    int loop = p.loop();
                    if (byLoop[loop] == null) {
                        byLoop[loop] = p;
                    } else if (loop == 0 && hostile.size() < 2) {
                        hostile.add(p);
                    } else {
                        spare.add(p);
                    }
                }
                Socket slowloris = hostile.get(0).socket();
                slowloris.getOutputStream().write("GET / HTTP/1.1\r\nHost: ".getBytes(StandardCharsets.US_ASCII));
                slowloris.getOutputStream().flush(); // and never more
                Socket resetMidLine = hostile.get(1).socket();
                resetMidLine.getOutputStream().write("half a li".getBytes(StandardCharsets.US_ASCII));
                resetMidLine.setSoLinger(true, 0);
                resetMidLine.close(); // RST
                OutputStream hold = byLoop[0].socket().getOutputStream();
                hold.write("hold\n".getBytes(StandardCharsets.US_ASCII));
                hold.flush(); // loop 0 is now held until release
                for (int i = 0; i < 5; i++) {
                    assertThat(byLoop[1].ask("still here " + i)).isEqualTo("STILL HERE " + i);
                }
                release.countDown();
                assertThat(byLoop[0].in().readLine()).isEqualTo("HOLD");
                assertThat(byLoop[0].ask("after")).isEqualTo("AFTER"); // loop 0 serves again
                try (Peer late = Peer.connect(server.port())) {
                    late.loop();
                    assertThat(late.ask("late")).isEqualTo("LATE");
                }
            } finally {
                release.countDown();
                for (Peer p : byLoop) {
                    if (p != null) {
                        p.close();
                    }
                }
                for (Peer p : spare) {
                    p.close();
                }
                for (Peer p : hostile) {
                    p.close();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ShardedServer.Strategy.class)
    void tlsConnectionsAreSpreadAndServed(ShardedServer.Strategy strategy) throws Exception {
        assumeTrue(strategy == ShardedServer.Strategy.ACCEPTOR || reusePortSupported(), "needs SO_REUSEPORT");
        try (LoopGroup group = LoopGroup.start(2);
             ShardedServer server = ShardedServer.start(group, reportLoop(group),
                     Streams.tlsHandshake(serverTls, StreamOptions.defaults()), LOOPBACK, null, 0,
                     StreamOptions.defaults(), strategy)) {
            // The kernel picks a REUSE_PORT loop by a hash of each connection's address: all of
            // 12 connections land on the same loop in about 1 run of 2,000. So connect at least 12 and
            // until both loops have served one; 64 all on one loop means the loop does not serve.
            Set<Integer> loops = new HashSet<>();
            for (int i = 0; i < 12 || (loops.size() < 2 && i < 64); i++) {
                try (SSLSocket s = (SSLSocket) clientTls.getSocketFactory().createSocket(LOOPBACK, server.port())) {
                    s.setSoTimeout(20_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    String first = in.readLine();
                    loops.add(Integer.parseInt(first.substring(5)));
                    s.getOutputStream().write(("secret " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                    assertThat(in.readLine()).isEqualTo("SECRET " + i);
                }
            }
            assertThat(loops).containsExactlyInAnyOrder(0, 1);
        }
    }

    @Test
    void thePublicTlsStartServesTls() throws Exception {
        try (LoopGroup group = LoopGroup.start(2);
             ShardedServer server = ShardedServer.startTls(group, reportLoop(group), LOOPBACK, 0, serverTls,
                     StreamOptions.defaults());
             SSLSocket s = (SSLSocket) clientTls.getSocketFactory().createSocket(LOOPBACK, server.port())) {
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("loop ");
        }
    }

    @Test
    void startAndCloseAreRefusedOnALoopAndStartOnAClosedGroup() throws Exception {
        LoopGroup group = LoopGroup.start(1);
        try (ShardedServer server = ShardedServer.start(group, reportLoop(group), LOOPBACK, 0)) {
            Throwable onLoop = group.loops().get(0).submit(() -> {
                try {
                    server.close();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).join();
            assertThat(onLoop).hasMessageContaining("must not be called from a loop");
            try (Peer p = Peer.connect(server.port())) { // still serving: the refused close did nothing
                assertThat(p.loop()).isZero();
            }
            assertThat(group.loops().get(0).submit(() -> {
                try {
                    ShardedServer.start(group, reportLoop(group), LOOPBACK, 0);
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).join()).hasMessageContaining("must not be called from a loop");
        } finally {
            group.close();
        }
        assertThatThrownBy(() -> ShardedServer.start(group, reportLoop(group), LOOPBACK, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the group is closed");
    }

    @Test
    void aServerLeftOpenIsClosedWithItsGroup() throws Exception {
        assumeTrue(StreamsStressTest.openDescriptors() > 0, "needs /proc/self/fd (Linux)");
        System.gc();
        int before = StreamsStressTest.openSockets();
        LoopGroup group = LoopGroup.start(2);
        ShardedServer server = ShardedServer.start(group, reportLoop(group), LOOPBACK, 0);
        Peer p = Peer.connect(server.port());
        p.loop();
        group.close(); // cancels every handler and the accept tasks: the sockets close with the loops
        assertThat(p.in().readLine()).isNull();
        p.close();
        server.close(); // nothing left to do, and no error
        assertThat(StreamsStressTest.openSockets()).isEqualTo(before);
    }

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path dir = Files.createTempDirectory("sharded-tls");
        try {
            TestCertificate certificate = TestCertificate.make(dir);
            serverTls = certificate.server();
            clientTls = certificate.client();
        } finally {
            Files.deleteIfExists(dir.resolve("server.p12"));
            Files.deleteIfExists(dir);
        }
    }
}
