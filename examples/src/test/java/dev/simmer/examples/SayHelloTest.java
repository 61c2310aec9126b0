package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SayHelloTest {
    @Test
    void printsHelloThenWorldOneSecondLater() throws Exception {
        ExampleRun run = ExampleRun.of(SayHello::new);

        // Output:
        assertThat(run.lines()).containsExactly(
                "Hello!",
                "World!");
        assertThat(run.timedLines()).containsExactly("[0s] Hello!", "[1s] World!");
    }
}
