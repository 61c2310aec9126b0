package com.example.kettle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.simmer.Async;
import dev.simmer.Task;
import dev.simmer.TestClock;
import dev.simmer.testing.SimmerTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KettleTest {

    /** Runs inside Async.run on virtual time: three minutes of sleeping take no real time. */
    @SimmerTest
    void boilsInThreeMinutes(TestClock clock) throws Exception {
        Task<String> kettle = Async.createTask(() -> {
            Async.sleep(Duration.ofMinutes(3));
            return "boiled";
        });
        assertEquals("boiled", kettle.await());
        assertEquals(Duration.ofMinutes(3), clock.currentTime());
    }

    /** The engine that this project's Surefire configuration leads to. */
    @SimmerTest
    void runsOnTheExpectedEngine() {
        assertEquals(System.getProperty("expected.engine"), Async.engine().toString());
    }

    /** The project's own JUnit runs the tests, not the one simmer-testing was built with. */
    @Test
    void theProjectsJUnitDecides() {
        assertEquals(System.getProperty("expected.junit"), Test.class.getPackage().getImplementationVersion());
    }
}
