package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TaskGroupsTest {
    @Test
    void aFailureCallsTheRestOffAndIsThrownItself() throws Exception {
        ExampleRun run = ExampleRun.of(TaskGroups::new);

        assertThat(run.timedLines()).containsExactly(
                "[1s] salad: ready",
                "[3s] soup: ready",
                "[3s] served: soup and salad (3.00s)",
                "[5s] stew: called off",
                "[5s] dinner failed: toast burnt (2.00s)",
                "[6s] tea: ready",
                "[6s] cake: ready");
    }
}
