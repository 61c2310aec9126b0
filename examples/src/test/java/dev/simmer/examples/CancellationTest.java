package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CancellationTest {
    @Test
    void theCancelledOvenCleansUpAndTheShieldedDeliveryGoesOn() throws Exception {
        ExampleRun run = ExampleRun.of(Cancellation::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] oven: baking",
                "[1s] oven: baking",
                "[2s] oven: baking",
                "[2.5s] oven: turning off",
                "[3s] oven: cold",
                "[3s] oven task cancelled: closing time (3.00s)",
                "[4s] stopped waiting after 1 s; the delivery goes on",
                "[5s] delivered (5.00s)");
    }
}
