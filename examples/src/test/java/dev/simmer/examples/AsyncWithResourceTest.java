package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncWithResourceTest {
    @Test
    void acquiresUsesAndReleasesInOneAndAHalfSeconds() throws Exception {
        ExampleRun run = ExampleRun.of(AsyncWithResource::new);

        assertThat(run.lines()).containsExactly(
                "Acquiring resource...",
                "Using resource",
                "Releasing resource...",
                "Time: 1.50s");
    }
}
