package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AwaitCoroutineTest {
    @Test
    void mainWaitsForFetchData() throws Exception {
        ExampleRun run = ExampleRun.of(AwaitCoroutine::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Fetching data...",
                "[3s] Data fetched after 3 seconds");
        assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(3));
    }
}
