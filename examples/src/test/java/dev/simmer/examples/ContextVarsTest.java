package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContextVarsTest {
    @Test
    void eachServingTaskAndItsChildSeeTheirOwnTable() throws Exception {
        ExampleRun run = ExampleRun.of(ContextVars::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] [table 0] kitchen opens",
                "[0.5s] [table 4] bread",
                "[0.5s] [table 7] bread",
                "[1s] [table 4] main course",
                "[1s] [table 7] main course",
                "[1s] [table 0] kitchen closes");
    }
}
