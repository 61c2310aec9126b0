package dev.simmer.testing;

import dev.simmer.Async;
import dev.simmer.Task;
import dev.simmer.TestClock;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/testing.md, as they are written there. */
class DocsExamplesTest {

    /** Lets a call through at most once per interval. */
    static final class RateLimiter {
        private final Duration interval;
        private long next = Long.MIN_VALUE;

        RateLimiter(Duration interval) {
            this.interval = interval;
        }

        void acquire() {
            long now = Async.loop().time();
            if (next != Long.MIN_VALUE && now < next) {
                Async.sleep(Duration.ofNanos(next - now));
                now = next;
            }
            next = now + interval.toNanos();
        }
    }

    @SimmerTest
    void waitsASecondBetweenCalls(TestClock clock) throws Exception {
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(1));
        limiter.acquire();
        limiter.acquire();
        limiter.acquire();
        assertThat(clock.currentTime()).isEqualTo(Duration.ofSeconds(2));
    }

    @SimmerTest
    void theKettleBoilsAfterThreeMinutes(TestClock clock) throws Exception {
        Task<String> kettle = Async.createTask("kettle", () -> {
            Async.sleep(Duration.ofMinutes(3));
            return "boiled";
        });
        clock.advanceBy(Duration.ofMinutes(2));
        assertThat(kettle.isDone()).isFalse();
        clock.advanceBy(Duration.ofMinutes(1));
        assertThat(kettle.result()).isEqualTo("boiled");
    }
}
