// docs/testing.md's RateLimiter, as printed there
import dev.simmer.Async;
import java.time.Duration;

/** Lets a call through at most once per interval; a call that comes too early sleeps. */
final class RateLimiter {
    private final Duration interval;
    private long next = Long.MIN_VALUE;   // loop time (ns) of the next free slot

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
