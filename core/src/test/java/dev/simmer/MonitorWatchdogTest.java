package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With default settings (no debug mode), a task that blocks on a monitor held by a task
 * suspended inside {@code synchronized} is reported within a few seconds, not left to hang in
 * silence. The stuck case runs in real time (the watchdog's threshold is real time); the test
 * waits for the report itself, with a generous bound.
 */
class MonitorWatchdogTest {

    @Test
    void aTaskBlockedOnAMonitorThatASuspendedTaskHoldsIsDiagnosedWithDefaultSettings() throws Exception {
        Object monitor = new Object();
        CompletableFuture<ErrorReport> report = new CompletableFuture<>();
        long start = System.nanoTime();
        // This loop never ends: the monitor's owner is suspended and can never run again. Its
        // thread is a daemon and is left behind, blocked, which is the point of the test.
        Thread.ofPlatform().daemon().name("stuck-loop").start(() -> {
            try {
                Runner.create().virtualTime(true).exceptionHandler(report::complete).run(() -> {
                    Async.createTask("holder", () -> {
                        synchronized (monitor) {
                            Async.sleep(Duration.ofMillis(1500)); // suspends, keeping the monitor
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
            } catch (Throwable e) {
                report.completeExceptionally(e);
            }
        });
        ErrorReport r = report.get(30, TimeUnit.SECONDS);
        if (Runtime.version().feature() < 24 && Async.engine() == EngineKind.CONTINUATION) {
            // JDK 21-23, fast path: the holder's sleep itself fails (the yield is pinned), so nothing
            // hangs; the enterer gets the monitor, and the holder's failure is reported at the end
            assertThat(r.task().name()).isEqualTo("holder");
            assertThat(r.exception()).hasMessageContaining("pinned").hasMessageContaining("synchronized");
            return;
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("seconds until the report").isLessThan(15);
        assertThat(r.task().name()).isEqualTo("enterer");
        assertThat(r.message())
                .startsWith("The loop has been stuck for ")
                .contains("task 'enterer' is blocked entering ")
                .contains("('synchronized') at dev.simmer.MonitorWatchdogTest.lambda$")
                .contains("The suspended tasks: 'main' (awaiting task 'enterer') at dev.simmer.MonitorWatchdogTest.lambda$")
                .contains("; 'holder' (sleeping, 1.5 s left) at dev.simmer.MonitorWatchdogTest.lambda$")
                .contains("use dev.simmer.sync.Lock")
                .contains("never suspend (sleep, await, ...) inside 'synchronized'");
        assertThat(r.exception().getStackTrace()[0].getClassName()).isEqualTo(MonitorWatchdogTest.class.getName());
    }

    @Test
    void theDiagnosisNamesTheMonitorWhenTheJdkCanTellAndEverySuspendedTask() throws Exception {
        Task<?> blocked = Loops.virtual(() -> Async.createTask("enterer", () -> null));
        StackTraceElement at = new StackTraceElement("com.example.Cache", "put", "Cache.java", 42);
        assertThat(MonitorWatchdog.diagnosis(blocked, at, 2, "java.lang.Object@1b6d3586", null,
                List.of("'a' (awaiting task 'c')", "'b' (sleeping, 3 s left) at com.example.Cache.refresh(Cache.java:17)")))
                .isEqualTo("The loop has been stuck for 2 s: task 'enterer' is blocked entering the monitor of"
                        + " java.lang.Object@1b6d3586 ('synchronized') at com.example.Cache.put(Cache.java:42), and it"
                        + " holds the loop, so no other task can run. If the monitor is held by a task that suspended"
                        + " inside 'synchronized', that task can release it only by running again, which it never"
                        + " will: the loop is stuck for good. The suspended tasks: 'a' (awaiting task 'c'); 'b'"
                        + " (sleeping, 3 s left) at com.example.Cache.refresh(Cache.java:17). Between tasks, use"
                        + " dev.simmer.sync.Lock (its acquire suspends instead of blocking the loop), and never suspend"
                        + " (sleep, await, ...) inside 'synchronized'.");
        assertThat(MonitorWatchdog.diagnosis(blocked, at, 3, null, null, List.of()))
                .contains("blocked entering a monitor ('synchronized') at com.example.Cache.put(Cache.java:42)")
                .contains("No other task of this loop is suspended: the monitor is held by another thread.");
        assertThat(MonitorWatchdog.diagnosis(blocked, at, 3, "java.lang.Object@1b6d3586", "flusher", List.of("'a' (x)")))
                .contains("The monitor is held by thread 'flusher': the loop waits until that thread leaves it.")
                .doesNotContain("'a'")
                .doesNotContain("suspended inside");
    }

    @Test
    void aMonitorHeldByAnotherThreadIsReportedWithThatThreadsName() throws Exception {
        org.assertj.core.api.Assumptions.assumeThat(Async.engine()).as("ThreadMXBean sees the platform loop thread"
                + " of the fast path, not the virtual threads of the threads engine").isEqualTo(EngineKind.CONTINUATION);
        Object monitor = new Object();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<ErrorReport> report = new CompletableFuture<>();
        Thread flusher = Thread.ofPlatform().daemon().name("flusher").start(() -> {
            synchronized (monitor) {
                held.countDown();
                try {
                    report.get(30, TimeUnit.SECONDS); // holds the monitor until the report arrives
                } catch (Exception e) {
                    // the test fails on its own bound
                }
            }
        });
        held.await();
        Runner.create().virtualTime(true).exceptionHandler(report::complete).run(() -> {
            synchronized (monitor) { // blocks the loop until the flusher leaves, after the report
                return null;
            }
        });
        ErrorReport r = report.get(1, TimeUnit.SECONDS);
        assertThat(r.task().name()).isEqualTo("main");
        assertThat(r.message()).contains("task 'main' is blocked entering the monitor of java.lang.Object@")
                .contains("The monitor is held by thread 'flusher'");
        flusher.join();
    }
}
