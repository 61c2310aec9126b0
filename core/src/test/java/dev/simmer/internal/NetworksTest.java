package dev.simmer.internal;

import dev.simmer.Async;
import dev.simmer.EventLoop;
import dev.simmer.io.DatagramEndpoint;
import dev.simmer.io.Streams;
import dev.simmer.io.Subprocess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seam a simulated network plugs into: with one installed, the io layer asks it and nothing else. */
class NetworksTest {

    /** Records what the io layer asked, and opens nothing: each call ends in a recognisable exception. */
    static final class Recording implements Network {
        final List<String> calls = new ArrayList<>();

        @Override
        public List<InetAddress> resolve(String host) throws IOException {
            calls.add("resolve " + host);
            return List.of(InetAddress.getByAddress(host, new byte[] {10, 0, 0, 9}));
        }

        @Override
        public Stream connect(InetSocketAddress remote) throws IOException {
            calls.add("connect " + remote);
            throw new IOException("simulated connect");
        }

        @Override
        public Listener listen(InetSocketAddress local, int backlog) throws IOException {
            calls.add("listen " + local);
            throw new IOException("simulated listen");
        }

        @Override
        public Datagrams openDatagrams(InetSocketAddress local, InetSocketAddress remote) throws IOException {
            calls.add("datagrams " + local + " " + remote);
            throw new IOException("simulated datagrams");
        }

        @Override
        public RuntimeException refuse(String what) {
            calls.add("refuse " + what);
            return new UnsupportedOperationException(what);
        }
    }

    @Test
    void aRealLoopHasNoNetwork() throws Exception {
        Async.run(() -> assertThat(Networks.of(Async.loop())).isNull());
    }

    @Test
    void theIoLayerAsksTheInstalledNetwork() throws Exception {
        Recording net = new Recording();
        Async.run(() -> {
            Networks.install(Async.loop(), net);
            assertThat(Networks.of(Async.loop())).isSameAs(net);
            assertThatThrownBy(() -> Streams.openConnection("db", 5432)).hasMessage("simulated connect");
            assertThatThrownBy(() -> Streams.startServer((r, w) -> { }, "0.0.0.0", 80)).hasMessage("simulated listen");
            assertThatThrownBy(() -> DatagramEndpoint.bind("127.0.0.1", 53)).hasMessage("simulated datagrams");
            assertThatThrownBy(() -> Async.toThread(() -> 1)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> Async.runInExecutor(Executors.newSingleThreadExecutor(), () -> 1))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> Subprocess.start("true")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> Streams.openConnection(UnixDomainSocketAddress.of(Path.of("s.sock"))))
                    .isInstanceOf(UnsupportedOperationException.class);
        });
        assertThat(net.calls).containsExactly(
                "resolve db", "connect db/10.0.0.9:5432",
                "listen /0.0.0.0:80",
                "datagrams /127.0.0.1:53 null",
                "refuse Async.toThread", "refuse Async.runInExecutor", "refuse Subprocess.start (a real process)",
                "refuse a Unix-domain socket (s.sock)");
    }

    @Test
    void installingIsRefusedTwiceOrFromAnotherThread() throws Exception {
        Async.run(() -> {
            EventLoop loop = Async.loop();
            Thread other = Thread.ofPlatform().start(() -> assertThatThrownBy(
                    () -> Networks.install(loop, new Recording())).isInstanceOf(IllegalStateException.class));
            Async.toThread(() -> {
                other.join();
                return null;
            });
            assertThat(Networks.of(loop)).isNull(); // refused, and nothing changed
            Networks.install(loop, new Recording());
            assertThatThrownBy(() -> Networks.install(loop, new Recording()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already");
        });
    }
}
