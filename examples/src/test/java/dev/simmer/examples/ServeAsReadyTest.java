package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServeAsReadyTest {
    @Test
    void everyOutcomeThenEachDishAsItIsReadyThenTheFirstOne() throws Exception {
        ExampleRun run = ExampleRun.of(ServeAsReady::new);

        assertThat(run.timedLines()).containsExactly(
                "[2s] served soup",
                "[2s] failed: toast burnt",
                "[2s] served tea",
                "[3s] out of the kitchen: salad (1.00s)",
                "[4s] out of the kitchen: soup (2.00s)",
                "[5s] out of the kitchen: pasta (3.00s)",
                "[6s] done: [tea], pending: [cake]");
    }
}
