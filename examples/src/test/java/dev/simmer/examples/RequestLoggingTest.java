package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLoggingTest {
    @Test
    void everyLineCarriesTheIdOfTheRequestItBelongsTo() throws Exception {
        ExampleRun run = ExampleRun.of(RequestLogging::new);

        List<String> lines = run.timedLines();
        assertThat(lines).hasSize(2 + 4 * 5);
        assertThat(lines).first().isEqualTo("[0s] [-] listening");
        assertThat(lines).last().isEqualTo("[0.065s] [-] served 4 requests");
        assertThat(linesOf(lines, 1)).containsExactly("[0s] [req-1] GET /orders/1",
                "[0.02s] [req-1] order found in 20 ms", "[0.04s] [req-1] customer found in 40 ms",
                "[0.04s] [req-1] rendered on a worker thread that saw req-1", "[0.04s] [req-1] 200 OK");
        assertThat(linesOf(lines, 2)).containsExactly("[0.005s] [req-2] GET /orders/2",
                "[0.035s] [req-2] order found in 30 ms", "[0.035s] [req-2] customer found in 30 ms",
                "[0.035s] [req-2] rendered on a worker thread that saw req-2", "[0.035s] [req-2] 200 OK");
        assertThat(linesOf(lines, 3)).containsExactly("[0.01s] [req-3] GET /orders/3",
                "[0.03s] [req-3] customer found in 20 ms", "[0.05s] [req-3] order found in 40 ms",
                "[0.05s] [req-3] rendered on a worker thread that saw req-3", "[0.05s] [req-3] 200 OK");
        assertThat(linesOf(lines, 4)).containsExactly("[0.015s] [req-4] GET /orders/4",
                "[0.025s] [req-4] customer found in 10 ms", "[0.065s] [req-4] order found in 50 ms",
                "[0.065s] [req-4] rendered on a worker thread that saw req-4", "[0.065s] [req-4] 200 OK");
    }

    private static List<String> linesOf(List<String> lines, int request) {
        return lines.stream().filter(line -> line.contains("[req-" + request + "] ")).toList();
    }
}
