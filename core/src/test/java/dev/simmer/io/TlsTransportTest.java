package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.Handle;
import dev.simmer.Promise;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.internal.Network;
import dev.simmer.internal.Networks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * TLS over a simulated socket (a {@link NetworkTransport}): the same transport as over a real
 * one, with the handshake's crypto on the loop. The network here is a bare in-memory pipe pair
 * that refuses every other thread, as a simulation does, so a handshake that still went to
 * {@code Async.toThread} would fail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTransportTest {

    @TempDir
    static Path dir;

    private static TestCertificate certificate;

    @BeforeAll
    static void makeCertificate() throws Exception {
        certificate = TestCertificate.make(dir);
    }

    @Test
    void linesMakeTheRoundTripOverASimulatedSocketWithTheCryptoOnTheLoop() throws Exception {
        List<String> got = Runner.create().virtualTime(true).run(() -> {
            Networks.install(Async.loop(), new NoThreads());
            Connection[] plain = MemoryStream.connectedPair();
            Task<Connection> server = Async.createTask(() ->
                    Streams.startTls(plain[1], certificate.server(), false, null));
            try (Connection c = Streams.startTls(plain[0], certificate.client(), true, "localhost");
                 Connection s = server.await()) {
                c.writer().write("secret\n");
                String heard = s.reader().readLineUtf8();
                s.writer().write(heard.toUpperCase() + "\n");
                String answer = c.reader().readLineUtf8();
                return List.of(heard, answer);
            }
        });
        assertThat(got).containsExactly("secret", "SECRET");
    }

    @Test
    void anUntrustedCertificateFailsTheHandshakeAsOnARealSocket() throws Exception {
        Throwable failure = Runner.create().virtualTime(true).run(() -> {
            Networks.install(Async.loop(), new NoThreads());
            Connection[] plain = MemoryStream.connectedPair();
            Task<Connection> server = Async.createTask(() ->
                    Streams.startTls(plain[1], certificate.server(), false, null));
            Throwable e = catchThrowable(() -> Streams.startTls(plain[0], javax.net.ssl.SSLContext.getDefault(),
                    true, "localhost"));
            catchThrowable(server::await);
            return e;
        });
        assertThat(failure).isInstanceOf(SSLHandshakeException.class);
        assertThat(failure.getMessage()).containsIgnoringCase("certification path");
    }

    /** A network that only refuses: what the tests need of one is that it admits no other thread. */
    private static final class NoThreads implements Network {
        @Override
        public List<InetAddress> resolve(String host) throws IOException {
            throw new IOException("no names here");
        }

        @Override
        public Stream connect(InetSocketAddress remote) throws IOException {
            throw new IOException("no connect here");
        }

        @Override
        public Listener listen(InetSocketAddress local, int backlog) throws IOException {
            throw new IOException("no listen here");
        }

        @Override
        public Datagrams openDatagrams(InetSocketAddress local, InetSocketAddress remote) throws IOException {
            throw new IOException("no datagrams here");
        }

        @Override
        public RuntimeException refuse(String what) {
            return new UnsupportedOperationException(what + " is refused by this test's network");
        }
    }

    /** One end of an in-memory stream pair: unbounded, instant. Loop thread only. */
    private static final class MemoryStream implements Network.Stream {
        private final ArrayDeque<Byte> in = new ArrayDeque<>();
        private final InetSocketAddress local;
        private final InetSocketAddress remote;
        private MemoryStream peer;
        private boolean eof;
        private boolean closed;
        private Promise<Void> readable;
        private Handle watched;

        private MemoryStream(int port, int peerPort) {
            this.local = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            this.remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), peerPort);
        }

        static Connection[] connectedPair() {
            MemoryStream a = new MemoryStream(1, 2);
            MemoryStream b = new MemoryStream(2, 1);
            a.peer = b;
            b.peer = a;
            return new Connection[] {Streams.wrap(Async.loop(), a, StreamOptions.defaults()),
                    Streams.wrap(Async.loop(), b, StreamOptions.defaults())};
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            int n = 0;
            while (dst.hasRemaining() && !in.isEmpty()) {
                dst.put(in.poll());
                n++;
            }
            return n > 0 ? n : eof ? -1 : 0;
        }

        @Override
        public void awaitReadable() throws Exception {
            if (!in.isEmpty() || eof || closed) {
                return;
            }
            readable = new Promise<>();
            readable.await();
        }

        @Override
        public long write(ByteBuffer[] srcs) throws IOException {
            if (closed || peer.closed) {
                throw new IOException("closed");
            }
            long n = 0;
            for (ByteBuffer b : srcs) {
                while (b.hasRemaining()) {
                    peer.in.add(b.get());
                    n++;
                }
            }
            peer.wake();
            return n;
        }

        private void wake() {
            if (readable != null) {
                readable.complete(null);
                readable = null;
            }
        }

        @Override
        public void awaitWritable() {
            // always writable
        }

        @Override
        public void watch(Runnable whenWritable) {
            unwatch();
            watched = Async.loop().callSoon(whenWritable); // always writable: once is enough
        }

        @Override
        public void unwatch() {
            if (watched != null) {
                watched.cancel();
                watched = null;
            }
        }

        @Override
        public void shutdownOutput() {
            peer.eof = true;
            peer.wake();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                peer.eof = true;
                peer.wake();
            }
        }

        @Override
        public boolean closedLocally() {
            return closed;
        }

        @Override
        public InetSocketAddress local() {
            return local;
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }
    }
}
