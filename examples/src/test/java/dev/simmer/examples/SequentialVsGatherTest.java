package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SequentialVsGatherTest {
    @Test
    void sixSecondsOneByOneTwoGathered() throws Exception {
        ExampleRun run = ExampleRun.of(SequentialVsGather::new);

        assertThat(run.lines()).containsExactly(
                "Without gather:",
                "Starting A",
                "Done A",
                "Starting B",
                "Done B",
                "Starting C",
                "Done C",
                "Time: 6.00s",
                "With gather:",
                "Starting A",
                "Starting B",
                "Starting C",
                "Done A",
                "Done B",
                "Done C",
                "Time: 2.00s");
    }
}
