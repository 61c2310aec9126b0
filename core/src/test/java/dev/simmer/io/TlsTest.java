package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.ErrorReport;
import dev.simmer.Runner;
import dev.simmer.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** TLS streams on SSLEngine, with a certificate keytool makes for the test (valid for localhost and 127.0.0.1). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {

    @TempDir
    static Path dir;

    private static TestCertificate certificate;
    private static SSLContext server;
    private static SSLContext client;
    private static SSLContext stranger; // does not trust our certificate

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.make(dir);
        server = certificate.server();
        client = certificate.client();
        stranger = SSLContext.getDefault(); // the JDK's CA certificates: ours is not among them
    }

    private static final ConnectionHandler UPPER = (reader, writer) -> {
        String line;
        while ((line = reader.readLineUtf8()) != null) {
            writer.write(line.toUpperCase() + "\n");
            writer.drain();
        }
    };

    @Test
    void linesMakeTheRoundTripOverTls() throws Exception {
        List<String> got = Runner.create().virtualTime(true).run(() -> {
            try (Server s = Streams.startTlsServer(UPPER, "127.0.0.1", 0, server, StreamOptions.defaults());
                 Connection c = Streams.openTlsConnection("localhost", s.port(), client, StreamOptions.defaults())) {
                List<String> out = new ArrayList<>();
                for (String word : List.of("secret", "second")) {
                    c.writer().write(word + "\n");
                    out.add(c.reader().readLineUtf8());
                }
                return out;
            }
        });
        assertThat(got).containsExactly("SECRET", "SECOND");
    }

    @Test
    void aMegabyteEachWay() throws Exception {
        int size = 1 << 20;
        int got = Async.run(() -> {
            ConnectionHandler echoAll = (reader, writer) -> {
                byte[] b;
                while ((b = reader.read(65536)).length > 0) {
                    writer.write(b);
                    writer.drain();
                }
            };
            try (Server s = Streams.startTlsServer(echoAll, "127.0.0.1", 0, server, StreamOptions.defaults());
                 Connection c = Streams.openTlsConnection("127.0.0.1", s.port(), client, StreamOptions.defaults())) {
                var sender = Async.createTask(() -> {
                    byte[] chunk = new byte[10_000];
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        c.writer().write(chunk, 0, Math.min(chunk.length, size - sent));
                        c.writer().drain();
                    }
                    return null;
                });
                byte[] back = c.reader().readExactly(size);
                sender.await();
                return back.length;
            }
        });
        assertThat(got).isEqualTo(size);
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeAndTheServerKeepsServing() throws Exception {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        String after = Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            try (Server s = Streams.startTlsServer(UPPER, "127.0.0.1", 0, server, StreamOptions.defaults())) {
                Throwable thrown = catchThrowable(() ->
                        Streams.openTlsConnection("localhost", s.port(), stranger, StreamOptions.defaults()));
                assertThat(thrown).isInstanceOf(SSLHandshakeException.class);
                try (Connection c = Streams.openTlsConnection("localhost", s.port(), client, StreamOptions.defaults())) {
                    c.writer().write("still here\n");
                    return c.reader().readLineUtf8();
                }
            }
        });
        assertThat(after).isEqualTo("STILL HERE");
        assertThat(reports).as("the server learns why: the client's alert").singleElement()
                .satisfies(r -> assertThat(r.exception()).hasStackTraceContaining("certificate_unknown"));
    }

    @Test
    void startTlsUpgradesAPlainConnection() throws Exception {
        List<String> got = Runner.create().virtualTime(true).run(() -> {
            ConnectionHandler starttls = (reader, writer) -> {
                String hello = reader.readLineUtf8();   // plain: "STARTTLS"
                writer.write("OK " + hello + "\n");
                writer.drain();
                Connection secured = Streams.startTls(new Connection(reader, writer), server, false, null);
                UPPER.handle(secured.reader(), secured.writer());
                secured.writer().close();
            };
            try (Server s = Streams.startServer(starttls, "127.0.0.1", 0)) {
                Connection plain = Streams.openConnection("127.0.0.1", s.port());
                plain.writer().write("STARTTLS\n");
                String ok = plain.reader().readLineUtf8();
                try (Connection c = Streams.startTls(plain, client, true, "localhost")) {
                    c.writer().write("now secret\n");
                    return List.of(ok, c.reader().readLineUtf8());
                }
            }
        });
        assertThat(got).containsExactly("OK STARTTLS", "NOW SECRET");
    }
    @Test
    void aClientThatNeverSpeaksIsLetGoAtTheHandshakeTimeoutAndTheServerKeepsServing() throws Exception {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        List<Object> got = Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            StreamOptions opts = StreamOptions.defaults().withTlsHandshakeTimeout(Duration.ofSeconds(5));
            try (Server s = Streams.startTlsServer(UPPER, "127.0.0.1", 0, server, opts)) {
                double start = Async.loop().time();
                try (Connection silent = Streams.openConnection("127.0.0.1", s.port())) {
                    byte[] first = silent.reader().read(100); // says nothing; the server hangs up
                    double waited = (Async.loop().time() - start) / 1e9;
                    try (Connection c = Streams.openTlsConnection("localhost", s.port(), client, opts)) {
                        c.writer().write("next\n");
                        return List.of(first.length, waited, c.reader().readLineUtf8());
                    }
                }
            }
        });
        assertThat(got.get(0)).as("bytes the server sent the silent client").isEqualTo(0);
        assertThat((double) got.get(1)).as("seconds until it hung up").isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat(got.get(2)).isEqualTo("NEXT");
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.exception())
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("TLS handshake").hasMessageContaining("5000 ms"));
    }

    @Test
    void aClientHandshakeWithASilentServerTimesOutAndClosesTheSocket() throws Exception {
        List<Object> got = Runner.create().virtualTime(true).run(() -> {
            List<Object> out = new ArrayList<>();
            ConnectionHandler mute = (reader, writer) -> out.add(reader.read(-1).length); // reads to the end, never answers
            try (Server s = Streams.startServer(mute, "127.0.0.1", 0)) {
                StreamOptions opts = StreamOptions.defaults().withTlsHandshakeTimeout(Duration.ofSeconds(2));
                double start = Async.loop().time();
                Throwable thrown = catchThrowable(() -> Streams.openTlsConnection("localhost", s.port(), client, opts));
                out.add(thrown);
                out.add((Async.loop().time() - start) / 1e9);
                while (out.size() < 3) {
                    Async.sleep(Duration.ofMillis(10)); // the server's handler sees the end of the stream
                }
            }
            return out;
        });
        assertThat(got.get(0)).isInstanceOfSatisfying(SocketTimeoutException.class, e ->
                assertThat(e).hasMessageContaining("TLS handshake with the server").hasMessageContaining("2000 ms"));
        assertThat((double) got.get(1)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.5));
        assertThat((int) got.get(2)).as("ClientHello bytes the server read before the client closed").isPositive();
    }

    @Test
    void aHandshakeTimeoutMustBePositive() throws Exception {
        assertThatThrownBy(() -> StreamOptions.defaults().withTlsHandshakeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tlsHandshakeTimeout must be positive");
        assertThat(StreamOptions.defaults().tlsHandshakeTimeout()).isEqualTo(Duration.ofSeconds(60));
        Runner.create().virtualTime(true).run(() -> {
            try (Server s = Streams.startServer((r, w) -> r.read(-1), "127.0.0.1", 0);
                 Connection plain = Streams.openConnection("127.0.0.1", s.port())) {
                assertThatThrownBy(() -> Streams.startTls(plain, client, true, "localhost", Duration.ofSeconds(-1)))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
            }
        });
    }

    @Test
    void aCertificateForAnotherNameFailsTheHandshake() throws Exception {
        Throwable thrown = Runner.create().virtualTime(true).run(() -> {
            try (Server s = Streams.startTlsServer(UPPER, "127.0.0.1", 0, server, StreamOptions.defaults())) {
                Connection plain = Streams.openConnection("127.0.0.1", s.port());
                Throwable t = catchThrowable(() -> Streams.startTls(plain, client, true, "simmer.example"));
                assertThat(plain.writer().isClosing()).as("the failed connection is closed").isTrue();
                return t;
            }
        });
        assertThat(thrown).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void closeSendsEveryBufferedRecordToASlowReaderBeforeClosing() throws Exception {
        int size = 4 << 20;
        StreamOptions small = StreamOptions.defaults().withBufferSizes(8192, 8192);
        long got = Runner.create().virtualTime(true).run(() -> {
            ConnectionHandler flood = (reader, writer) -> {
                byte[] chunk = new byte[100_000];
                for (int sent = 0; sent < size; sent += chunk.length) {
                    writer.write(chunk, 0, Math.min(chunk.length, size - sent));
                }
                // no drain: all of it is buffered, and close() must still send every byte of it
            };
            try (Server s = Streams.startTlsServer(flood, "127.0.0.1", 0, server, small);
                 Connection c = Streams.openTlsConnection("localhost", s.port(), client, small)) {
                Async.sleep(Duration.ofSeconds(1)); // the server has closed (in its own mind) by now
                long total = 0;
                byte[] b;
                while ((b = c.reader().read(65536)).length > 0) {
                    total += b.length;
                }
                return total;
            }
        });
        assertThat(got).isEqualTo(size);
    }

    @Test
    void writeEofOverTlsIsAHalfClose() throws Exception {
        String got = Runner.create().virtualTime(true).run(() -> {
            ConnectionHandler countThenAnswer = (reader, writer) -> {
                int n = reader.read(-1).length; // to the end of the client's half
                writer.write("got " + n + "\n");
            };
            try (Server s = Streams.startTlsServer(countThenAnswer, "127.0.0.1", 0, server, StreamOptions.defaults());
                 Connection c = Streams.openTlsConnection("localhost", s.port(), client, StreamOptions.defaults())) {
                c.writer().write(new byte[300_000]);
                c.writer().writeEof();
                return c.reader().readLineUtf8();
            }
        });
        assertThat(got).isEqualTo("got 300000");
    }
    @Test
    void writingAfterATls12PeerClosedTheSessionIsAnErrorNotASpin() throws Exception {
        SSLContext tls12 = tls12Client(); // a TLS 1.2 close_notify closes both directions
        Throwable thrown = Runner.create().virtualTime(true).run(() -> {
            ConnectionHandler oneLine = (reader, writer) -> {
                writer.write(reader.readLine());
                writer.writeEof(); // close_notify, the socket stays open
                Async.sleep(Duration.ofSeconds(60));
            };
            try (Server s = Streams.startTlsServer(oneLine, "127.0.0.1", 0, server, StreamOptions.defaults())) {
                Connection c = Streams.openTlsConnection("localhost", s.port(), tls12, StreamOptions.defaults());
                c.writer().write("bye\n");
                assertThat(c.reader().readLineUtf8()).isEqualTo("bye");
                assertThat(c.reader().readLine()).as("the server's close_notify: a clean end").isEmpty();
                Throwable t = catchThrowable(() -> Async.timeout(Duration.ofSeconds(5), () -> {
                    for (int i = 0; i < 100; i++) {
                        c.writer().write(new byte[10_000]);
                        c.writer().drain();
                    }
                    return null;
                }));
                c.writer().abort();
                return t;
            }
        });
        assertThat(thrown).isInstanceOf(javax.net.ssl.SSLException.class).hasMessageContaining("closed for sending");
    }

    /** A client that trusts our certificate and offers TLS 1.2 only. */
    private static SSLContext tls12Client() throws Exception {
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, TestCertificate.trustManagersOf(certificate.certificate()), null);
        return tls12;
    }

    @Test
    void writeEofIsRefusedOverTls12WhichHasNoHalfClose() throws Exception {
        SSLContext tls12 = tls12Client();
        List<Object> got = Runner.create().virtualTime(true).run(() -> {
            try (Server s = Streams.startTlsServer(UPPER, "127.0.0.1", 0, server, StreamOptions.defaults());
                 Connection c12 = Streams.openTlsConnection("localhost", s.port(), tls12, StreamOptions.defaults());
                 Connection c13 = Streams.openTlsConnection("localhost", s.port(), client, StreamOptions.defaults())) {
                Throwable refused = catchThrowable(() -> c12.writer().writeEof());
                c12.writer().write("still open\n");
                return List.of(c12.writer().canWriteEof(), c13.writer().canWriteEof(), refused,
                        c12.reader().readLineUtf8());
            }
        });
        assertThat(got.get(0)).isEqualTo(false);
        assertThat(got.get(1)).isEqualTo(true);
        assertThat(got.get(2)).isInstanceOf(UnsupportedOperationException.class).asString().contains("no half close");
        assertThat(got.get(3)).isEqualTo("STILL OPEN");
    }
    @Test
    void serverCloseLetsAReturnedHandlersTlsRecordsReachAPeerThatReads() throws Exception {
        int size = 4 << 20;
        StreamOptions small = StreamOptions.defaults().withBufferSizes(8192, 8192);
        // On the real clock: the close grace is a timer, and a virtual clock jumps to it once the
        // loop has found no I/O ready for a few real milliseconds, which a loaded machine can
        // take to move data over loopback (1 run in 15 lost the end of the data that way)
        List<Object> got = Runner.create().run(() -> {
            dev.simmer.sync.Event returned = new dev.simmer.sync.Event();
            ConnectionHandler flood = (reader, writer) -> {
                writer.write(new byte[size]);
                returned.set(); // returns at once
            };
            Server s = Streams.startTlsServer(flood, "127.0.0.1", 0, server, small);
            try (Connection c = Streams.openTlsConnection("localhost", s.port(), client, small)) {
                returned.await();
                Async.yieldNow(); // the handler has returned; its records wait in the writer
                int open = s.activeConnections();
                Task<Long> reading = Async.createTask(() -> {
                    Async.sleep(Duration.ofMillis(200)); // starts reading only once close() is under way
                    long total = 0;
                    byte[] b;
                    while ((b = c.reader().read(65536)).length > 0) {
                        total += b.length;
                    }
                    return total;
                });
                s.close(); // the grace lets the connection finish sending
                return List.of(open, reading.await(), s.activeConnections());
            }
        });
        assertThat(got).containsExactly(1, (long) size, 0);
    }
    @Test
    void theHandshakesCryptoRunsOffTheTasksThreadSoTheLoopServesOthersMeanwhile() throws Exception {
        // A trust manager runs inside the engine's delegated tasks: record where it runs.
        javax.net.ssl.X509TrustManager ours = (javax.net.ssl.X509TrustManager) TestCertificate.trustManagersOf(certificate.certificate())[0];
        List<Thread> checkedOn = Collections.synchronizedList(new ArrayList<>());
        javax.net.ssl.X509TrustManager recording = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                ours.checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                checkedOn.add(Thread.currentThread());
                ours.checkServerTrusted(chain, authType);
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return ours.getAcceptedIssuers();
            }
        };
        SSLContext recorder = SSLContext.getInstance("TLS");
        recorder.init(null, new javax.net.ssl.TrustManager[] {recording}, null);
        Thread[] taskThread = new Thread[1];
        String got = Runner.create().virtualTime(true).run(() -> {
            try (Server s = Streams.startTlsServer(UPPER, "127.0.0.1", 0, server, StreamOptions.defaults())) {
                taskThread[0] = Thread.currentThread();
                try (Connection c = Streams.openTlsConnection("127.0.0.1", s.port(), recorder, StreamOptions.defaults())) {
                    c.writer().write("checked\n");
                    return c.reader().readLineUtf8();
                }
            }
        });
        assertThat(got).isEqualTo("CHECKED");
        assertThat(checkedOn).isNotEmpty().doesNotContain(taskThread[0]);
    }

}
