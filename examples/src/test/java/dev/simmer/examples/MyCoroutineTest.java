package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MyCoroutineTest {
    @Test
    void resumesAfterOneSecond() throws Exception {
        ExampleRun run = ExampleRun.of(MyCoroutine::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Coroutine started",
                "[1s] Coroutine resumed after 1 second");
    }
}
