/**
 * Testing Simmer code with JUnit 5: {@link dev.simmer.testing.SimmerTest} runs a test method
 * inside {@link dev.simmer.Async#run} on virtual time, hands it the loop and a
 * {@link dev.simmer.TestClock}, fails it when it leaves tasks running or a failure
 * unretrieved, and can shuffle the schedule with a seed it prints on failure.
 *
 * <pre>{@code
 * class KettleTest {
 *     @SimmerTest(timeout = 10, timeoutUnit = TimeUnit.MINUTES)
 *     void boilsInThreeMinutes(TestClock clock) throws Exception {
 *         Task<String> kettle = Async.createTask(() -> {
 *             Async.sleep(Duration.ofMinutes(3));
 *             return "boiled";
 *         });
 *         clock.advanceBy(Duration.ofMinutes(3));
 *         assertEquals("boiled", kettle.result());
 *     }
 * }
 * }</pre>
 */
package dev.simmer.testing;
