package dev.simmer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UnretrievedFailures}: a failure nobody retrieves is reported once, when its task is
 * garbage collected or when the loop closes, and the loop does not keep the task alive for it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnretrievedFailuresTest {

    @Test
    void aLongLivedLoopHoldsNoDroppedFailedTaskAndReportsEachOnce() throws Exception {
        int n = 5_000;
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        List<WeakReference<Task<?>>> dropped;
        try (LoopThread lt = LoopThread.start(Runner.create().exceptionHandler(reports::add))) {
            dropped = lt.submit(() -> {
                List<WeakReference<Task<?>>> refs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int k = i;
                    refs.add(new WeakReference<>(Async.createTask("doomed-" + k, () -> {
                        throw new IllegalStateException("failure " + k);
                    })));
                }
                Async.sleep(Duration.ofMillis(1)); // they run and fail; nobody retrieves their failures
                return refs;
            }).get(10, TimeUnit.SECONDS);
            for (int round = 0; round < 100 && dropped.stream().anyMatch(r -> r.get() != null); round++) {
                System.gc(); // a bounded GC loop: the loop must not be what keeps them
                Thread.sleep(10);
            }
            assertThat(dropped.stream().filter(r -> r.get() != null).count()).as("failed tasks still held").isZero();
            for (int round = 0; round < 500 && reports.size() < n; round++) {
                Thread.sleep(10); // reported as they are collected, while the loop runs on
            }
            assertThat(reports).as("reported before the loop closes").hasSize(n);
        }
        assertThat(reports).as("each once, also counting the close").hasSize(n);
        Set<String> seen = new HashSet<>();
        for (ErrorReport r : reports) {
            String k = r.exception().getMessage().substring("failure ".length());
            assertThat(r.message()).contains("'doomed-" + k + "'").contains("nobody retrieved");
            assertThat(seen.add(k)).as("reported twice: " + k).isTrue();
        }
    }

    @Test
    void failuresStillReachableAtCloseAreReportedOnceWithTheirTask() throws Exception {
        List<ErrorReport> reports = new ArrayList<>();
        List<Task<?>> kept = new ArrayList<>();
        Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            for (int i = 0; i < 3; i++) {
                int k = i;
                kept.add(Async.createTask("kept-" + k, () -> {
                    throw new IllegalStateException("failure " + k);
                }));
            }
            Task<?> lateRetrieved = Async.createTask("late", () -> {
                throw new IllegalStateException("retrieved late");
            });
            Async.sleep(Duration.ofSeconds(1)); // many passes and an idle wait: the failures are watched by now
            for (int i = 0; i < 10; i++) {
                Async.yieldNow();
            }
            assertThat(lateRetrieved.exception()).hasMessage("retrieved late");
        });
        assertThat(reports).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(reports.get(i).task()).isSameAs(kept.get(i));
            assertThat(reports.get(i).message()).contains("'kept-" + i + "'").contains("nobody retrieved");
            assertThat(reports.get(i).exception()).hasMessage("failure " + i);
        }
    }

    @Test
    void aFailureRetrievedOnTheNextPassIsNeverWatched() throws Exception {
        List<ErrorReport> reports = new ArrayList<>();
        int watched = Runner.create().exceptionHandler(reports::add).run(() -> {
            Task<Integer> t = Async.createTask(() -> {
                throw new IllegalStateException("awaited");
            });
            try {
                t.await();
            } catch (IllegalStateException expected) {
                // retrieved
            }
            return Async.loop().unretrieved.isWatched(t) ? 1 : 0;
        });
        assertThat(watched).isZero();
        assertThat(reports).isEmpty();
    }
}
