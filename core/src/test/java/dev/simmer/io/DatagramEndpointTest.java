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
    void aLongDatagramIsTruncatedToTheMaximum() throws Exception {
        int size = Runner.create().virtualTime(true).run(() -> {
            java.net.InetSocketAddress any = new java.net.InetSocketAddress("127.0.0.1", 0);
            try (DatagramEndpoint small = DatagramEndpoint.open(any, null, 16);
                 DatagramEndpoint client = DatagramEndpoint.bind("127.0.0.1", 0)) {
                client.send(new byte[1000], small.localAddress());
                return small.receive().data().length;
            }
        });
        assertThat(size).isEqualTo(16);
    }
}
