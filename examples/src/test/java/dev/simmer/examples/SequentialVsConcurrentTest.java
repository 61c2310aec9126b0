package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequentialVsConcurrentTest {
    @Test
    void threeSecondsOneByOneOneSecondGathered() throws Exception {
        ExampleRun run = ExampleRun.of(SequentialVsConcurrent::new);

        assertThat(run.lines()).containsExactly(
                "Sequential: ['User 1', 'User 2', 'User 3'] in 3.00s",
                "Concurrent: ['User 1', 'User 2', 'User 3'] in 1.00s");
    }
}
