package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CallWithoutAwaitTest {
    @Test
    void printsWhatThePythonPrints() throws Exception {
        ExampleRun run = ExampleRun.of(CallWithoutAwait::new);

        // Python: only the awaited call runs (the other one's coroutine object never does).
        assertThat(run.timedLines()).containsExactly("[0s] Getting data...");
        assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(2));
    }
}
