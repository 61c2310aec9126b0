package dev.simmer.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * A JUnit 5 test whose body runs as the main task of {@link dev.simmer.Async#run}, on
 * virtual time (sleeps cost no real time; results do not depend on the machine). The test
 * fails if it leaves a task running when its body returns, or if the loop reports an error
 * nobody received (a task failure never retrieved, a callback that threw).
 *
 * <pre>{@code
 * class ReminderTest {
 *     @SimmerTest
 *     void remindsAfterAnHour(TestClock clock, EventLoop loop) throws Exception {
 *         Task<String> reminder = Async.createTask(() -> {
 *             Async.sleep(Duration.ofHours(1));
 *             return "stand up";
 *         });
 *         clock.advanceBy(Duration.ofMinutes(59));
 *         assertFalse(reminder.isDone());
 *         clock.advanceBy(Duration.ofMinutes(1));
 *         assertEquals("stand up", reminder.result());
 *     }
 *
 *     @SimmerTest(timeout = 5, shuffle = true)   // 5 s of virtual time; schedule fuzzing on
 *     void workersShareTheTotal() throws Exception { ... }
 * }
 * }</pre>
 *
 * <p>Parameters of type {@link dev.simmer.EventLoop}, {@link dev.simmer.TestClock} and
 * {@link dev.simmer.Timeline} are supplied by {@link SimmerExtension}; a {@code Timeline}
 * parameter turns recording on for the test. The same extension can be put on a class
 * ({@code @ExtendWith(SimmerExtension.class)}) to run every test method, including
 * parameterized and repeated ones, this way with the default settings.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(SimmerExtension.class)
public @interface SimmerTest {
    /** The value of {@link #shuffleSeed()} that means "no fixed seed". */
    long NO_SEED = Long.MIN_VALUE;

    /**
     * Fails the test if it has not ended after this much virtual time; 0 (the default) means no limit.
     *
     * @return the limit in {@link #timeoutUnit()}s of virtual time, or 0 for none
     */
    long timeout() default 0;

    /**
     * The unit of {@link #timeout()}; seconds by default.
     *
     * @return the unit {@link #timeout()} is counted in
     */
    TimeUnit timeoutUnit() default TimeUnit.SECONDS;

    /**
     * Debug mode ({@link dev.simmer.Runner#debug}): task creation sites in reports and dumps,
     * and steps that block the loop reported. On by default, as asyncio's test case does.
     *
     * @return {@code true} (the default) to run the test in debug mode
     */
    boolean debug() default true;

    /**
     * Schedule fuzzing with a fresh random seed on each run ({@link dev.simmer.Runner#shuffleSeed}):
     * entries ready in the same pass run in a shuffled order. When the test fails, the seed is
     * printed (and attached to the failure) so the run can be replayed with
     * {@link #shuffleSeed()} or {@code -Dsimmer.shuffle.seed}.
     *
     * @return {@code true} to shuffle with a random seed; {@code false} (the default) for first come, first
     *     served
     */
    boolean shuffle() default false;

    /**
     * Schedule fuzzing with this seed, to replay a failure; takes precedence over
     * {@code -Dsimmer.shuffle.seed}, which takes precedence over {@link #shuffle()}.
     *
     * @return the seed to shuffle with, or {@link #NO_SEED} (the default) for none
     */
    long shuffleSeed() default NO_SEED;
}
