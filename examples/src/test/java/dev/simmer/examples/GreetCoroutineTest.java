package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GreetCoroutineTest {
    @Test
    void callingGreetGivesABodyNotAString() throws Exception {
        ExampleRun run = ExampleRun.of(GreetCoroutine::new);

        // Python prints "coroutine" for the first line.
        assertThat(run.lines()).containsExactly(
                "AsyncCallable",
                "Hello, World! Welcome to async Python.");
    }
}
