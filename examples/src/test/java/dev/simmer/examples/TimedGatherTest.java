package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimedGatherTest {
    @Test
    void threeFetchesTakeOneSecond() throws Exception {
        ExampleRun run = ExampleRun.of(TimedGather::new);

        // Output:
        assertThat(run.lines()).containsExactly(
                "⏱️ Starting All fetches",
                "['User 1', 'User 2', 'User 3']",
                "✅ All fetches: 1.00s");
    }
}
