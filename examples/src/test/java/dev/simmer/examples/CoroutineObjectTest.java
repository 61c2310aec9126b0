package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoroutineObjectTest {
    @Test
    void theCallRunsTheBodyAndGivesItsResult() throws Exception {
        ExampleRun run = ExampleRun.of(CoroutineObject::new);

        // Python shows "<coroutine object fetch_data at 0x...>" instead: Java has no un-run coroutine object.
        assertThat(run.timedLines()).containsExactly(
                "[0s] Starting to fetch...",
                "[2s] Data fetched!",
                "[2s] {'data': 'example'}");
    }
}
