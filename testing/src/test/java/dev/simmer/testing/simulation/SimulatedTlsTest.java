package dev.simmer.testing.simulation;

import dev.simmer.Async;
import dev.simmer.io.Connection;
import dev.simmer.io.ConnectionHandler;
import dev.simmer.io.Server;
import dev.simmer.io.StreamOptions;
import dev.simmer.io.Streams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** TLS between simulated hosts: the code of a real TLS program, run unchanged on the simulated network. */
class SimulatedTlsTest {

    @TempDir
    static Path dir;

    /** An ECDSA certificate: its handshake's size varies from run to run, which the digest must not see. */
    private static TestCertificate certificate;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.make(dir, "EC");
    }

    private static final ConnectionHandler UPPER = (in, out) -> {
        String line;
        while ((line = in.readLineUtf8()) != null) {
            out.write(line.toUpperCase() + "\n");
            out.drain();
        }
    };

    /** A TLS server and a client that sends two lines over each of two connections (the second resumes the session). */
    private static Simulation echo(long seed, List<String> got) {
        return Simulation.create(seed)
                .latency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(20)))
                .host("server", () -> {
                    SSLContext tls = certificate.server(Simulation.control().secureRandom());
                    Streams.startTlsServer(UPPER, "0.0.0.0", 8443, tls, StreamOptions.defaults()).serveForever();
                })
                .host("client", () -> {
                    SSLContext tls = certificate.client(Simulation.control().secureRandom());
                    for (int i = 0; i < 2; i++) {
                        try (Connection c = Streams.openTlsConnection("server", 8443, tls, StreamOptions.defaults())) {
                            for (String word : List.of("secret", "second")) {
                                c.writer().write(word + " " + i + "\n");
                                got.add(c.reader().readLineUtf8());
                            }
                        }
                    }
                    Simulation.control().stop();
                });
    }

    @Test
    void linesMakeTheRoundTripOverTlsBetweenSimulatedHosts() {
        List<String> got = new ArrayList<>();
        SimulationResult r = echo(1, got).run();
        assertThat(got).containsExactly("SECRET 0", "SECOND 0", "SECRET 1", "SECOND 1");
        assertThat(r.trace()).anyMatch(l -> l.contains("bytes of TLS handshake client:32768>server:8443"));
    }

    @Test
    void aSeedReplaysTheSameDigestWithTls() {
        for (long seed : List.of(1L, 2L, 3L)) {
            String first = echo(seed, new ArrayList<>()).run().digest();
            String second = echo(seed, new ArrayList<>()).run().digest();
            assertThat(second).as("seed %d", seed).isEqualTo(first);
        }
    }

    @Test
    void startTlsUpgradesAPlainSimulatedConnection() {
        List<String> got = new ArrayList<>();
        Simulation.create(4)
                .host("server", () -> {
                    SSLContext tls = certificate.server(Simulation.control().secureRandom());
                    Streams.startServer((in, out) -> {
                        String hello = in.readLineUtf8(); // plain: "STARTTLS"
                        out.write("OK " + hello + "\n");
                        out.drain();
                        Connection secured = Streams.startTls(new Connection(in, out), tls, false, null);
                        UPPER.handle(secured.reader(), secured.writer());
                        secured.writer().close();
                    }, "0.0.0.0", 25).serveForever();
                })
                .host("client", () -> {
                    SSLContext tls = certificate.client(Simulation.control().secureRandom());
                    Connection plain = Streams.openConnection("server", 25);
                    plain.writer().write("STARTTLS\n");
                    got.add(plain.reader().readLineUtf8());
                    try (Connection c = Streams.startTls(plain, tls, true, "server")) {
                        c.writer().write("now private\n");
                        got.add(c.reader().readLineUtf8());
                    }
                    Simulation.control().stop();
                })
                .run();
        assertThat(got).containsExactly("OK STARTTLS", "NOW PRIVATE");
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeAsOnTheRealNetwork() {
        List<Throwable> thrown = new ArrayList<>();
        SimulationResult r = Simulation.create(5)
                .host("server", () -> {
                    SSLContext tls = certificate.server(Simulation.control().secureRandom());
                    Streams.startTlsServer(UPPER, "0.0.0.0", 8443, tls, StreamOptions.defaults()).serveForever();
                })
                .host("client", () -> {
                    SSLContext stranger = SSLContext.getInstance("TLS");
                    stranger.init(null, null, Simulation.control().secureRandom()); // the JDK's CAs: ours is not one
                    thrown.add(catchThrowable(() ->
                            Streams.openTlsConnection("server", 8443, stranger, StreamOptions.defaults())));
                    Async.sleep(Duration.ofSeconds(1)); // the server hears the alert
                    Simulation.control().stop();
                })
                .run();
        assertThat(thrown).singleElement().isInstanceOf(SSLHandshakeException.class)
                .satisfies(e -> assertThat(e).hasMessageContaining("PKIX path building failed"));
        assertThat(r.trace()).as("the server learns why: the client's alert, reported")
                .anyMatch(l -> l.contains("error report") && l.contains("certificate_unknown"));
    }

    @Test
    void aServerCrashMidHandshakeResetsTheClientAndItsRestartServesAgain() {
        List<String> got = new ArrayList<>();
        Simulation.create(6)
                .latency(Latency.fixed(Duration.ofMillis(10)))
                .host("server", () -> {
                    SSLContext tls = certificate.server(Simulation.control().secureRandom());
                    Streams.startTlsServer(UPPER, "0.0.0.0", 8443, tls, StreamOptions.defaults()).serveForever();
                })
                .host("client", () -> {
                    SSLContext tls = certificate.client(Simulation.control().secureRandom());
                    while (true) {
                        try (Connection c = Streams.openTlsConnection("server", 8443, tls, StreamOptions.defaults())) {
                            c.writer().write("hello\n");
                            got.add(c.reader().readLineUtf8());
                            Simulation.control().stop();
                            return;
                        } catch (IOException e) {
                            got.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                            Async.sleep(Duration.ofMillis(500));
                        }
                    }
                })
                .chaos(control -> {
                    // SYN at 0, SYN_ACK at 10 ms, ClientHello reaches the server at 20 ms, its answer is due at 30
                    Async.sleep(Duration.ofMillis(25));
                    control.crash("server");
                    Async.sleep(Duration.ofMillis(100));
                    control.restart("server");
                })
                .run();
        assertThat(got).containsExactly("SocketException: Connection reset by peer", "HELLO");
    }

    @Test
    void aSilentPeerIsLetGoAtTheHandshakeTimeoutOnVirtualTime() {
        List<Object> got = new ArrayList<>();
        Simulation.create(7)
                .latency(Latency.fixed(Duration.ofMillis(10)))
                .host("server", () -> Streams.startServer((in, out) -> in.read(-1), "0.0.0.0", 8443).serveForever())
                .host("client", () -> {
                    SSLContext tls = certificate.client(Simulation.control().secureRandom());
                    StreamOptions opts = StreamOptions.defaults().withTlsHandshakeTimeout(Duration.ofSeconds(5));
                    got.add(catchThrowable(() -> Streams.openTlsConnection("server", 8443, tls, opts)));
                    got.add(Simulation.control().now());
                    Simulation.control().stop();
                })
                .run();
        assertThat(got.get(0)).isInstanceOf(SocketTimeoutException.class)
                .satisfies(e -> assertThat((Throwable) e).hasMessageContaining("TLS handshake")
                        .hasMessageContaining("5000 ms"));
        assertThat(got.get(1)).as("connected after 20 ms, then 5 s of handshake")
                .isEqualTo(Duration.ofMillis(5020));
    }
}
