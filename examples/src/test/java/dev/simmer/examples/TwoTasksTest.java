package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TwoTasksTest {
    @Test
    void theShorterTaskCompletesFirst() throws Exception {
        ExampleRun run = ExampleRun.of(TwoTasks::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Task 1 started",
                "[0s] Task 2 started",
                "[1s] Task 2 completed",
                "[2s] Task 1 completed");
    }
}
