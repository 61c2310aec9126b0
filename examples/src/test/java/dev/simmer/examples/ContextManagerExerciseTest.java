package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContextManagerExerciseTest {
    @Test
    void entersWorksAndExits() throws Exception {
        ExampleRun run = ExampleRun.of(ContextManagerExercise::new);

        assertThat(run.lines()).containsExactly(
                "Context manager ready",
                "Entering context",
                "Doing work",
                "Exiting context");
    }
}
