package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncContextManagerTest {
    @Test
    void opensUsesAndCloses() throws Exception {
        ExampleRun run = ExampleRun.of(AsyncContextManager::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Opening...",
                "[1s] Using connection",
                "[1s] Closing...");
    }
}
