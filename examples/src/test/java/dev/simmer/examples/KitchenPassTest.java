package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KitchenPassTest {
    @Test
    void dishesAreServedTogetherAndTheRunnerWaitsForTwoPlates() throws Exception {
        ExampleRun run = ExampleRun.of(KitchenPass::new);

        assertThat(run.lines()).containsExactly(
                "[1.00s] soup: plated",
                "[2.00s] salad: plated",
                "[3.00s] steak: plated",
                "[3.00s] steak: served",
                "[3.00s] soup: served",
                "[3.00s] salad: served",
                "[2.00s] runner takes ['burger', 'fries']");
    }
}
