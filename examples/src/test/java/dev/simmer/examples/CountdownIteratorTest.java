package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CountdownIteratorTest {
    @Test
    void countsDownWithTheClassThenTheGeneratorWhichWaitsASecondAStep() throws Exception {
        ExampleRun run = ExampleRun.of(CountdownIterator::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Countdown ready",
                "[0s] 3",
                "[0s] 2",
                "[0s] 1",
                "[3s] [3, 2, 1]");
    }
}
