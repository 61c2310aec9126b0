import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simmer.Async;
import dev.simmer.TestClock;
import dev.simmer.testing.SimmerTest;
import java.time.Duration;
import java.util.List;

class HelloTest {

    /** The README's program fetches three users in one second of virtual time, not three. */
    @SimmerTest
    void threeUsersInOneSecond(TestClock clock) throws Exception {
        List<String> users = Async.gather(() -> Hello.fetchUser(1), () -> Hello.fetchUser(2), () -> Hello.fetchUser(3));
        assertEquals(List.of("User 1", "User 2", "User 3"), users);
        assertEquals(Duration.ofSeconds(1), clock.currentTime());
    }

    /** The README's Surefire argLine puts the tests on the fast path. */
    @SimmerTest
    void runsOnTheFastPath() {
        assertEquals("continuation", Async.engine().toString());
    }
}
