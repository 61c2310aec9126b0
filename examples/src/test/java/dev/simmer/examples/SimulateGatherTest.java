package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateGatherTest {
    @Test
    void printsTheResultsInOrder() throws Exception {
        ExampleRun run = ExampleRun.of(SimulateGather::new);

        assertThat(run.lines()).containsExactly("['A', 'B', 'C']");
    }
}
