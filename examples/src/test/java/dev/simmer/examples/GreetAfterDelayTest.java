package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GreetAfterDelayTest {
    @Test
    void greetsInTheOrderTheDelaysEnd() throws Exception {
        ExampleRun run = ExampleRun.of(GreetAfterDelay::new);

        assertThat(run.lines()).containsExactly(
                "Hello, Bob!",
                "Hello, Alice!",
                "Hello, Charlie!");
        assertThat(run.timedLines()).containsExactly(
                "[1s] Hello, Bob!",
                "[2s] Hello, Alice!",
                "[3s] Hello, Charlie!");
    }
}
