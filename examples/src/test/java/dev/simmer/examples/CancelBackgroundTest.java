package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CancelBackgroundTest {
    @Test
    void worksTwiceThenIsCancelledAtTenSeconds() throws Exception {
        ExampleRun run = ExampleRun.of(CancelBackground::new);

        assertThat(run.lines()).containsExactly(
                "Background work...",
                "Background work...",
                "Time: 10.00s");
        assertThat(run.timedLines()).containsExactly(
                "[0s] Background work...",
                "[5s] Background work...",
                "[10s] Time: 10.00s");
    }
}
