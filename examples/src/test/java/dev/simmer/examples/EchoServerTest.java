package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EchoServerTest {
    @Test
    void theMessageMakesTheRoundTrip() throws Exception {
        ExampleRun run = ExampleRun.of(EchoServer::new);

        assertThat(run.lines()).containsExactly(
                "Serving on a loopback port",
                "Send: 'Hello World!'",
                "Server received 'Hello World!'",
                "Server: close the connection",
                "Received: 'Hello World!'",
                "Close the connection");
    }
}
