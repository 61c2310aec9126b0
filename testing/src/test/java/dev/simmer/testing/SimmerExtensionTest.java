package dev.simmer.testing;

import dev.simmer.DeadlockException;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Failing tests fail for the right reason, with a message that says what to do. */
class SimmerExtensionTest {

    /** Runs the fixture class with JUnit. */
    private static TestExecutionSummary run(Class<?> fixture) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), listener);
        return listener.getSummary();
    }

    /** Runs the fixture class with JUnit and returns the failure of its one test, or null if it passed. */
    private static Throwable failureOf(Class<?> fixture) {
        TestExecutionSummary summary = run(fixture);
        assertThat(summary.getTestsFoundCount()).as("tests found in %s", fixture.getSimpleName()).isEqualTo(1);
        List<TestExecutionSummary.Failure> failures = summary.getFailures();
        return failures.isEmpty() ? null : failures.get(0).getException();
    }

    @Test
    void aTaskLeftRunningFailsTheTestAndIsNamed() {
        Throwable failure = failureOf(Fixtures.LeavesATask.class);
        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("left 1 task running: [forgotten]")
                .hasMessageContaining("Await or cancel every task");
    }

    @Test
    void aFailureNobodyRetrievedFailsTheTestAndSaysWhereTheTaskWasCreated() {
        Throwable failure = failureOf(Fixtures.LeavesAFailureUnretrieved.class);
        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("reported 1 error that nobody received")
                .hasMessageContaining("'doomed' failed and nobody retrieved its exception")
                .hasMessageContaining("(task created at dev.simmer.testing.Fixtures$LeavesAFailureUnretrieved.test(Fixtures.java:");
        assertThat(failure.getSuppressed()).anySatisfy(s -> assertThat(s).hasMessage("nobody looks at me"));
    }

    @Test
    void aTestThatHangsFailsAtItsVirtualTimeoutWithADump() {
        Throwable failure = failureOf(Fixtures.HangsPastItsTimeout.class);
        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("did not end within PT30S of virtual time")
                .hasMessageContaining("'slow': sleeping");
    }

    @Test
    void aTestThatWaitsForNothingFailsWithTheDeadlock() {
        assertThat(failureOf(Fixtures.WaitsForever.class)).isInstanceOf(DeadlockException.class);
    }

    @Test
    void aPlainFailureIsTheTestsOwn() {
        Throwable failure = failureOf(Fixtures.FailsPlainly.class);
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("plain failure");
        assertThat(failure.getSuppressed()).isEmpty();
    }

    @Test
    void aFailureUnderFuzzingCarriesItsSeedAndTheSeedReplaysIt() throws Exception {
        Throwable failure = null;
        for (int attempt = 0; attempt < 50 && failure == null; attempt++) {
            failure = failureOf(Fixtures.DependsOnOrder.class);
        }
        assertThat(failure).as("some random order out of 24 is not a-b-c-d").isNotNull()
                .hasMessageStartingWith("ran in the order");
        Throwable seedNote = Arrays.stream(failure.getSuppressed())
                .filter(s -> s instanceof TestRun.ShuffleSeed).findFirst().orElseThrow();
        assertThat(seedNote.getMessage()).contains("DependsOnOrder.test() failed under schedule fuzzing with seed ")
                .contains("@SimmerTest(shuffleSeed = ").contains("-Dsimmer.shuffle.seed=");
        long seed = Long.parseLong(seedNote.getMessage().replaceAll(".*with seed (\\d+)\\..*", "$1"));

        // The same seed gives the same order, every time.
        TestRun.Settings replay = new TestRun.Settings(java.time.Duration.ZERO, true, OptionalLong.of(seed));
        for (int i = 0; i < 3; i++) {
            Throwable again = catchThrowable(() -> TestRun.run("replay", replay, dev.simmer.TestClock.create(), null,
                    loop -> new Fixtures.DependsOnOrder().test()));
            assertThat(again).hasMessage(failure.getMessage());
        }
    }

    @Test
    void onAClassTheExtensionRunsEveryTestInItsOwnLoop() {
        TestExecutionSummary summary = run(Fixtures.OnAClass.class);
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getFailures()).hasSize(3).allSatisfy(f -> assertThat(f.getException())
                .hasMessageContaining("left 1 task running"));
    }
}
