package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BurnersTest {
    @Test
    void twoBurnersAndOneSpoonHandedOverInArrivalOrder() throws Exception {
        ExampleRun run = ExampleRun.of(Burners::new);

        assertThat(run.lines()).containsExactly(
                "[0.00s] soup: on a burner",
                "[0.00s] rice: on a burner",
                "[1.00s] stew: on a burner",
                "[1.50s] rice: tasted",
                "[2.00s] beans: on a burner",
                "[2.50s] soup: tasted",
                "[3.50s] stew: tasted",
                "[4.00s] beans: tasted",
                "Time: 4.00s");
    }
}
