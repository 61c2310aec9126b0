package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeoutsTest {
    @Test
    void cutShortBodiesRunTheirFinallyThenTheTimeoutIsReported() throws Exception {
        ExampleRun run = ExampleRun.of(Timeouts::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] stew: on the heat",
                "[1s] stew: off the heat",
                "[1s] stew: gave up after 1.00s",
                "[1s] sorbet: on the heat",
                "[2s] sorbet: off the heat",
                "[2s] sorbet: None",
                "[2s] tea: on the heat",
                "[3s] tea: ready",
                "[3s] tea: off the heat",
                "[3s] served: tea",
                "[3s] Time: 3.00s");
    }
}
