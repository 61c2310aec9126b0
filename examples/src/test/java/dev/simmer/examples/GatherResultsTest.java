package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatherResultsTest {
    @Test
    void resultsInOrderInTheTimeOfTheSlowest() throws Exception {
        ExampleRun run = ExampleRun.of(GatherResults::new);

        assertThat(run.lines()).containsExactly(
                "['Result A', 'Result B']",
                "Time: 2.00s");
    }
}
