// docs/testing.md's RateLimiterTest, as printed there
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simmer.TestClock;
import dev.simmer.testing.SimmerTest;
import java.time.Duration;

class RateLimiterTest {

    @SimmerTest
    void waitsASecondBetweenCalls(TestClock clock) throws Exception {
        RateLimiter limiter = new RateLimiter(Duration.ofSeconds(1));
        limiter.acquire();
        limiter.acquire();
        limiter.acquire();
        assertEquals(Duration.ofSeconds(2), clock.currentTime());           // exact, and instant
    }
}
