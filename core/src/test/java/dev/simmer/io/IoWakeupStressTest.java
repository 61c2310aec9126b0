package dev.simmer.io;

import dev.simmer.LoopThread;
import dev.simmer.Runner;
import org.junit.jupiter.api.Test;

import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Work handed to a loop that waits in its selector is never lost: a loop watching a channel
 * that stays quiet, on its own thread, answers every one of many submissions from another
 * thread. Each submission lands in the window between the loop finding its inbox empty and
 * blocking in select() as often as the two threads can make it. Scales with
 * {@code -Dsimmer.stress.scale=N}.
 */
class IoWakeupStressTest {
    private static final int SCALE = Integer.getInteger("simmer.stress.scale", 1);

    @Test
    void everySubmissionToALoopBlockedInSelectIsAnswered() throws Exception {
        Pipe quiet = Pipe.open(); // watched, never written: the loop waits in select, not park
        quiet.source().configureBlocking(false);
        int rounds = 100_000 * SCALE; // before the fix, one was lost within about 50,000
        try (LoopThread loop = LoopThread.start(Runner.create())) {
            loop.submit(() -> {
                dev.simmer.Async.loop().addReader(quiet.source(), () -> { });
            }).get(10, TimeUnit.SECONDS);
            for (int i = 0; i < rounds; i++) {
                int n = i;
                CompletableFuture<Integer> answer = loop.submit(() -> n);
                try {
                    assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(n);
                } catch (TimeoutException e) {
                    fail("submission %d of %d was never run: the loop slept in select() through it", n, rounds);
                }
            }
        } finally {
            quiet.source().close();
            quiet.sink().close();
        }
    }
}
