package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LetsGoAsyncTest {
    @Test
    void printsLetsGoAsyncThenDone() throws Exception {
        ExampleRun run = ExampleRun.of(LetsGoAsync::new);

        assertThat(run.lines()).containsExactly(
                "Let's go async!",
                "Done!");
        assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(1));
    }
}
