package dev.simmer.examples;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Real HTTP against a local server: what it prints is checked, not how long it took. */
class FetchUrlsHttpTest {
    private static final Map<String, Integer> SIZES = Map.of("/users/python", 1263, "/users/github", 1241, "/users/torvalds", 1223);

    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/users/", exchange -> {
            byte[] body = "x".repeat(SIZES.get(exchange.getRequestURI().getPath())).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + server.getAddress().getPort() + path);
    }

    @Test
    void fetchesOneByOneThenConcurrently() throws Exception {
        List<URI> urls = List.of(url("/users/python"), url("/users/github"), url("/users/torvalds"));

        ExampleRun run = ExampleRun.of(out -> new FetchUrlsHttp(out, urls));

        assertThat(run.lines().stream().map(line -> line.replaceAll("^Time: \\d+\\.\\d\\ds$", "Time: <t>")))
                .containsExactly(
                        "Synchronous style:",
                        "Fetched 1263 bytes from " + urls.get(0),
                        "Fetched 1241 bytes from " + urls.get(1),
                        "Fetched 1223 bytes from " + urls.get(2),
                        "Time: <t>",
                        "",
                        "Asynchronous style:",
                        "Fetched 1263 bytes from " + urls.get(0),
                        "Fetched 1241 bytes from " + urls.get(1),
                        "Fetched 1223 bytes from " + urls.get(2),
                        "Time: <t>");
    }
}
