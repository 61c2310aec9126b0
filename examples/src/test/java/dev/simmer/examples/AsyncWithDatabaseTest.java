package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncWithDatabaseTest {
    @Test
    void connectsUsesAndDisconnects() throws Exception {
        ExampleRun run = ExampleRun.of(AsyncWithDatabase::new);

        // Output:
        assertThat(run.lines()).containsExactly(
                "Connecting...",
                "Using database!",
                "Disconnecting...");
        assertThat(run.timedLines()).containsExactly(
                "[0s] Connecting...",
                "[1s] Using database!",
                "[1s] Disconnecting...");
        assertThat(run.elapsed()).isEqualTo(Duration.ofMillis(1500));
    }
}
