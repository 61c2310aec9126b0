package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnawaitedResultTest {
    @Test
    void addGivesABodyThatComputesSevenWhenAwaited() throws Exception {
        ExampleRun run = ExampleRun.of(UnawaitedResult::new);

        // Python prints "coroutine" for the first line.
        assertThat(run.lines()).containsExactly(
                "AsyncCallable",
                "7");
    }
}
