package dev.simmer.examples;

import dev.simmer.Async;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FetchUrlsLocalTest {
    private static final List<String> FETCHED = List.of(
            "Fetched 1300 bytes from /users/python",
            "Fetched 1300 bytes from /users/github",
            "Fetched 1500 bytes from /users/torvalds");

    @Test
    void onVirtualTimeStreamsTakeThreeSecondsOneByOneAndOneGathered() throws Exception {
        ExampleRun run = ExampleRun.of(out -> new FetchUrlsLocal(out, Duration.ofSeconds(1), false));

        assertThat(run.lines()).containsExactly(
                "Simmer streams, one by one:", FETCHED.get(0), FETCHED.get(1), FETCHED.get(2), "Time: 3.00s",
                "Simmer streams, gathered:", FETCHED.get(0), FETCHED.get(1), FETCHED.get(2), "Time: 1.00s");
    }

    @Test
    void onTheRealClockBothClientsGatherFasterThanOneByOne() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Example example = new FetchUrlsLocal(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Duration.ofMillis(300), true);
        Async.run(example::run);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(20);
        assertThat(lines.stream().filter(l -> l.startsWith("Fetched"))).hasSize(12);
        assertThat(lines).contains("Simmer streams, one by one:", "Simmer streams, gathered:",
                "java.net.http, one by one:", "java.net.http, gathered:");
        List<Double> times = lines.stream().filter(l -> l.startsWith("Time: "))
                .map(l -> Double.parseDouble(l.substring(6, l.length() - 1))).toList();
        assertThat(times).hasSize(4);
        assertThat(times.get(0)).isGreaterThanOrEqualTo(0.9).isGreaterThan(times.get(1));
        assertThat(times.get(2)).isGreaterThanOrEqualTo(0.9).isGreaterThan(times.get(3));
    }
}
