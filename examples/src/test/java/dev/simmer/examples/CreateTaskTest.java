package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CreateTaskTest {
    @Test
    void theTaskStartsWhenMainWaits() throws Exception {
        ExampleRun run = ExampleRun.of(CreateTask::new);

        assertThat(run.lines()).containsExactly(
                "Doing other work...",
                "Starting file1",
                "Done file1");
        assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(2));
    }
}
