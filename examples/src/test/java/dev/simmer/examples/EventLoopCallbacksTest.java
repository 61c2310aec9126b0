package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopCallbacksTest {
    @Test
    void callSoonRunsOnTheNextPassAndTheTimerCompletesThePromise() throws Exception {
        ExampleRun run = ExampleRun.of(EventLoopCallbacks::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] main: waiting for the bell",
                "[0s] callback: runs on the next pass",
                "[2s] main: order up at 2.00s");
    }
}
