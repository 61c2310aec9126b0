package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallWithoutAwaitTest {
    @Test
    void onlyTheCalledCoroutineRuns() throws Exception {
        ExampleRun run = ExampleRun.of(CallWithoutAwait::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Made an AsyncCallable; nothing has run yet",
                "[0s] Getting data...",
                "[2s] Here's your data!");
    }
}
