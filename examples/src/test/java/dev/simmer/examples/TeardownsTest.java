package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TeardownsTest {
    @Test
    void theExitSeesHowTheBlockEndedAndTheShieldedTeardownFinishes() throws Exception {
        ExampleRun run = ExampleRun.of(Teardowns::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] soup: order taken",
                "[0.5s] soup: confirmed",
                "[0.5s] soup served",
                "[0.5s] souffle: order taken",
                "[1s] souffle: called off",
                "[1s] failed: souffle collapsed",
                "[2s] grill: cleaning starts",
                "[4s] grill: clean",
                "[4s] shift: cancelled, after the station was clean");
    }
}
