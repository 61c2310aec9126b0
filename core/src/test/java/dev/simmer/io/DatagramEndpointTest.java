package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.AsyncTimeoutException;
import dev.simmer.Runner;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** UDP over loopback. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DatagramEndpointTest {

    private static String text(Datagram d) {
        return new String(d.data(), StandardCharsets.UTF_8);
    }

    @Test
    void pingPong() throws Exception {
        List<String> got = Runner.create().virtualTime(true).run(() -> {
            try (DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 0);
                 DatagramEndpoint client = DatagramEndpoint.connect("127.0.0.1", server.port())) {
                Task<String> serving = Async.createTask(() -> {
                    Datagram d = server.receive();
                    server.send(("pong to " + text(d)).getBytes(StandardCharsets.UTF_8), d.sender());
                    return text(d);
                });
                client.send("ping".getBytes(StandardCharsets.UTF_8));
                return List.of(serving.await(), text(client.receive()));
            }
        });
        assertThat(got).containsExactly("ping", "pong to ping");
    }

    @Test
    void callsFromAnotherThreadAreRefusedAndChangeNothing() throws Exception {
        try (dev.simmer.LoopThread lt = dev.simmer.LoopThread.start()) {
            DatagramEndpoint server = lt.submit(() -> DatagramEndpoint.bind("127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert
                    .ThrowingCallable>of(server::close, server::receive,
                    () -> server.send(new byte[1], new java.net.InetSocketAddress("127.0.0.1", server.port())))) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(call)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("DatagramEndpoint.").hasMessageContaining("submit(");
            }
            String got = lt.submit(() -> {
                try (DatagramEndpoint client = DatagramEndpoint.connect("127.0.0.1", server.port())) {
                    client.send("still open".getBytes(StandardCharsets.UTF_8));
                    return text(server.receive());
                } finally {
                    server.close();
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(got).isEqualTo("still open");
        }
    }

    @Test
    void aCancelledReceiveLosesNoDatagram() throws Exception {
        String got = Runner.create().virtualTime(true).run(() -> {
            try (DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 0);
                 DatagramEndpoint client = DatagramEndpoint.connect("127.0.0.1", server.port())) {
                assertThatThrownBy(() -> Async.timeout(Duration.ofSeconds(1), server::receive))
                        .isInstanceOf(AsyncTimeoutException.class);
                client.send("after the timeout".getBytes(StandardCharsets.UTF_8));
                return text(server.receive());
            }
        });
        assertThat(got).isEqualTo("after the timeout");
    }

    @Test
    void aLongDatagramIsTruncatedToTheMaximumAndSaysSo() throws Exception {
        List<Object> size = Runner.create().virtualTime(true).run(() -> {
            java.net.InetSocketAddress any = new java.net.InetSocketAddress("127.0.0.1", 0);
            try (DatagramEndpoint small = DatagramEndpoint.open(any, null, 16);
                 DatagramEndpoint client = DatagramEndpoint.bind("127.0.0.1", 0)) {
                client.send(new byte[1000], small.localAddress());
                Datagram cut = small.receive();
                client.send(new byte[17], small.localAddress()); // one byte too many
                Datagram justOver = small.receive();
                client.send(new byte[16], small.localAddress());
                Datagram whole = small.receive();
                return List.of(cut.data().length, cut.truncated(), justOver.truncated(), whole.data().length,
                        whole.truncated());
            }
        });
        assertThat(size).isEqualTo(List.of(16, true, true, 16, false));
    }
    @Test
    void closingTheEndpointWakesAWaitingReceiverWithAnError() throws Exception {
        Throwable thrown = Runner.create().virtualTime(true).run(() -> {
            DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 0);
            Task<Datagram> waiting = Async.createTask(server::receive);
            Async.sleep(Duration.ofSeconds(1));
            server.close();
            server.close(); // idempotent
            return org.assertj.core.api.Assertions.catchThrowable(waiting::await);
        });
        assertThat(thrown).isInstanceOf(java.nio.channels.ClosedChannelException.class);
    }

    @Test
    void misuseIsAClearError() throws Exception {
        Runner.create().virtualTime(true).run(() -> {
            try (DatagramEndpoint server = DatagramEndpoint.bind("127.0.0.1", 0)) {
                assertThatThrownBy(() -> server.send(new byte[1]))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("send(data, target)");
                Task<Datagram> first = Async.createTask(server::receive);
                Async.yieldNow();
                assertThatThrownBy(server::receive)
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("hand the datagrams on");
                first.cancel();
            }
            assertThatThrownBy(() -> DatagramEndpoint.open(null, null, 100)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> DatagramEndpoint.open(new java.net.InetSocketAddress("127.0.0.1", 0), null, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDatagramSize");
        });
    }

    @Test
    void pingPongOverIpv6Loopback() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        String got = Runner.create().virtualTime(true).run(() -> {
            try (DatagramEndpoint server = DatagramEndpoint.bind("::1", 0);
                 DatagramEndpoint client = DatagramEndpoint.connect("::1", server.port())) {
                client.send(new byte[65_520]); // more than IPv4 can carry: IPv6's limit is 65,527
                Datagram big = server.receive();
                assertThat(big.data()).hasSize(65_520);
                assertThat(big.truncated()).isFalse();
                client.send("v6".getBytes(StandardCharsets.UTF_8));
                Datagram d = server.receive();
                server.send(d.data(), d.sender());
                return text(client.receive()) + " from " + ((java.net.InetSocketAddress) d.sender()).getAddress()
                        .getHostAddress();
            }
        });
        assertThat(got).isEqualTo("v6 from 0:0:0:0:0:0:0:1");
    }

    private static boolean ipv6LoopbackWorks() {
        try (java.nio.channels.DatagramChannel c = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET6)) {
            c.bind(new java.net.InetSocketAddress("::1", 0));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
