package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MakeCoffeeTest {
    @Test
    void coffeeIsReadyAfterTheBrew() throws Exception {
        ExampleRun run = ExampleRun.of(MakeCoffee::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Starting coffee...",
                "[2s] Coffee ready!");
    }
}
