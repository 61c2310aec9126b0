package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debug mode's watchdog reports a step that blocks the loop while the step still runs, so a
 * step that never ends is reported too. Each test blocks a step until the report arrives, so
 * nothing here waits for a guessed amount of time.
 */
class StepWatchdogTest {

    @Test
    void aStepBlockedInABlockingCallIsReportedWhileItRunsAndOnlyOnce() throws Exception {
        List<ErrorReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        Runner.create().virtualTime(true).debug(true).slowStepThreshold(Duration.ofMillis(20))
                .exceptionHandler(r -> {
                    reports.add(r);
                    reported.countDown();
                })
                .run(() -> {
                    Task<Void> blocker = Async.createTask("blocker", () -> {
                        reported.await(); // a blocking call on the loop: released by the report itself
                        return null;
                    });
                    blocker.await();
                });
        assertThat(reports).hasSize(1);
        ErrorReport r = reports.get(0);
        assertThat(r.task().name()).isEqualTo("blocker");
        assertThat(r.message()).contains("'blocker'").contains("still runs").contains("blocking call")
                .contains("Async.toThread");
        assertThat(r.exception().getMessage()).contains("WAITING");
        assertThat(r.exception().getStackTrace()).anySatisfy(frame ->
                assertThat(frame.getClassName()).isEqualTo(CountDownLatch.class.getName()));
    }

    @Test
    void aTaskBlockedOnAMonitorThatASuspendedTaskHoldsIsReportedThoughTheLoopIsStuckForGood() throws Exception {
        Object monitor = new Object();
        CompletableFuture<ErrorReport> report = new CompletableFuture<>();
        // This loop never ends: the monitor's owner is suspended and can never run again. Its
        // thread is a daemon and is left behind, blocked, which is the point of the test.
        Thread runner = Thread.ofPlatform().daemon().name("stuck-loop").start(() -> {
            try {
                Runner.create().virtualTime(true).debug(true).slowStepThreshold(Duration.ofMillis(20))
                        .exceptionHandler(report::complete)
                        .run(() -> {
                            Async.createTask("holder", () -> {
                                synchronized (monitor) {
                                    Async.sleep(Duration.ofSeconds(1)); // suspends, keeping the monitor
                                }
                                return null;
                            });
                            Async.createTask("enterer", () -> {
                                Async.yieldNow();
                                synchronized (monitor) { // blocks the loop: the holder can never resume
                                    return null;
                                }
                            }).await();
                        });
            } catch (Exception e) {
                report.completeExceptionally(e);
            }
        });
        ErrorReport r = report.get(30, TimeUnit.SECONDS);
        assertThat(r.task().name()).isEqualTo("enterer");
        assertThat(r.message()).contains("synchronized").contains("dev.simmer.sync.Lock");
        assertThat(r.exception().getMessage()).contains("BLOCKED");
        assertThat(runner.isAlive()).isTrue();
    }

    @Test
    void aSlowStepThatEndsIsReportedOnceWhetherTheWatchdogOrTheLoopSawItFirst() throws Exception {
        List<ErrorReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch reported = new CountDownLatch(1);
        Runner.create().virtualTime(true).debug(true).slowStepThreshold(Duration.ofMillis(10))
                .exceptionHandler(r -> {
                    reports.add(r);
                    reported.countDown();
                })
                .run(() -> {
                    for (int i = 0; i < 3; i++) {
                        Async.createTask("step-" + i, () -> {
                            reported.await(5, TimeUnit.SECONDS);
                            return null;
                        }).await();
                    }
                });
        assertThat(reports).extracting(r -> r.task().name()).containsExactly("step-0");
    }

    @Test
    void aStepThatComputesIsLeftToTheLoopWhichMeasuresItInLoopTime() throws Exception {
        List<ErrorReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runner.create().virtualTime(true).debug(true).slowStepThreshold(Duration.ofMillis(5))
                .exceptionHandler(reports::add)
                .run(() -> Async.createTask("busy", () -> {
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(60);
                    long spins = 0;
                    while (System.nanoTime() < until) { // computing: RUNNABLE all along
                        spins++;
                    }
                    return spins;
                }).await());
        assertThat(reports).as("60 ms of computing is no virtual time, and a running thread is not blocked").isEmpty();
    }

    @Test
    void aComputingStepThatBrieflyWaitsForAContendedMonitorIsNotReported() throws Exception {
        org.assertj.core.api.Assumptions.assumeThat(Async.engine()).as("the JDK measures processor time, and counts"
                + " monitor blockings, of platform threads only; the threads engine runs steps on virtual threads")
                .isEqualTo(EngineKind.CONTINUATION);
        Object monitor = new Object();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong entered = new java.util.concurrent.atomic.AtomicLong();
        // The rival holds the monitor for 20 ms at a time (asleep: it leaves the processor to the
        // step), and takes it again only once the step has had it: a monitor is not fair, and on
        // a loaded machine a rival that takes it back at once can keep the step out for long. So
        // the step is BLOCKED at nearly every look, at the same place, for longer than the
        // threshold, yet never for more than a moment at a time.
        Thread rival = Thread.ofPlatform().daemon().start(() -> {
            long seen = -1;
            try {
                while (!done.get()) {
                    if (entered.get() == seen) {
                        Thread.sleep(1); // the step's turn
                        continue;
                    }
                    seen = entered.get();
                    synchronized (monitor) {
                        Thread.sleep(20);
                    }
                }
            } catch (InterruptedException e) {
                // ends
            }
        });
        List<ErrorReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            // A generous threshold: on a loaded machine the rival can be preempted while it holds
            // the monitor, and then the step really is blocked for a while
            Runner.create().virtualTime(true).debug(true).slowStepThreshold(Duration.ofMillis(250))
                    .exceptionHandler(reports::add)
                    .run(() -> Async.createTask("busy", () -> {
                        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1200);
                        while (System.nanoTime() < until) {
                            synchronized (monitor) { // often BLOCKED for a moment, never for long
                                entered.incrementAndGet();
                            }
                        }
                        return entered.get();
                    }).await());
        } finally {
            done.set(true);
            rival.join();
        }
        assertThat(reports).isEmpty();
    }
}
