package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Runner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RefactoredAsyncTest {
    @Test
    void printsTheConfirmation() throws Exception {
        ExampleRun run = ExampleRun.of(RefactoredAsync::new);

        assertThat(run.lines()).containsExactly("Refactored to async");
    }

    @Test
    void processAllAwaitsEachUserInTurn() throws Exception {
        List<Object> result = Runner.create().virtualTime(true).run(() -> List.of(
                RefactoredAsync.processAll(List.of(1, 2, 3)), Duration.ofNanos(Async.loop().time())));

        assertThat(result).containsExactly(List.of("User 1", "User 2", "User 3"), Duration.ofSeconds(3));
    }
}
