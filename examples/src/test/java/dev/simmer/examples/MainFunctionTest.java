package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainFunctionTest {
    @Test
    void resumesAfterTwoSeconds() throws Exception {
        ExampleRun run = ExampleRun.of(MainFunction::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Starting main function",
                "[2s] Main function resumed after 2 seconds");
    }
}
