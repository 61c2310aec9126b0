package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoroutineObjectTest {
    @Test
    void theCoroutineObjectRunsOnlyWhenAwaited() throws Exception {
        ExampleRun run = ExampleRun.of(CoroutineObject::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] <AsyncCallable fetchData, not started>",
                "[0s] Starting to fetch...",
                "[2s] Data fetched!",
                "[2s] {'data': 'example'}");
    }
}
