package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefactoredAsyncTest {
    @Test
    void confirmsThenProcessesTheUsersOneByOne() throws Exception {
        ExampleRun run = ExampleRun.of(RefactoredAsync::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Refactored to async",
                "[3s] ['User 1', 'User 2', 'User 3']");
    }
}
