package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CountdownIteratorTest {
    @Test
    void countsDownOneStepPerSecondWithTheClassThenTheGenerator() throws Exception {
        ExampleRun run = ExampleRun.of(CountdownIterator::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Countdown ready",
                "[1s] 3",
                "[2s] 2",
                "[3s] 1",
                "[6s] [3, 2, 1]");
    }
}
