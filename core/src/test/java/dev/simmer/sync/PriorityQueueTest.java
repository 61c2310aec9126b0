package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriorityQueueTest {
    record Job(int priority, String name) {
    }

    private static final Comparator<Job> BY_PRIORITY = Comparator.comparingInt(Job::priority);

    private static List<String> drain(Queue<Job> q) {
        List<String> names = new ArrayList<>();
        while (!q.isEmpty()) {
            names.add(q.getNowait().name());
        }
        return names;
    }

    @Test
    void smallestComesOutFirstByNaturalOrdering() throws Exception {
        virtual(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            for (int i : new int[] {5, 1, 4, 2, 3}) {
                q.put(i);
            }
            List<Integer> out = new ArrayList<>();
            while (!q.isEmpty()) {
                out.add(q.get());
            }
            assertThat(out).containsExactly(1, 2, 3, 4, 5);
        });
    }

    @Test
    void equalPrioritiesComeOutInInsertionOrder() throws Exception {
        virtual(() -> {
            PriorityQueue<Job> q = new PriorityQueue<>(BY_PRIORITY);
            q.put(new Job(2, "sweep"));
            q.put(new Job(1, "cook"));
            q.put(new Job(2, "wash"));
            q.put(new Job(1, "plate"));
            q.put(new Job(2, "dry"));
            q.put(new Job(1, "serve"));
            assertThat(drain(q)).containsExactly("cook", "plate", "serve", "sweep", "wash", "dry");
        });
    }

    @Test
    void stableForManyTies() throws Exception {
        virtual(() -> {
            PriorityQueue<Job> q = new PriorityQueue<>(BY_PRIORITY);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                q.put(new Job(0, "j" + i));
                expected.add("j" + i);
            }
            assertThat(drain(q)).isEqualTo(expected);
        });
    }

    @Test
    void itemsThatAreNotComparableAreRefusedWithoutAComparator() throws Exception {
        virtual(() -> {
            PriorityQueue<Object> q = new PriorityQueue<>();
            assertThatThrownBy(() -> q.put(new Object())).isInstanceOf(ClassCastException.class)
                    .hasMessageContaining("Comparator");
            assertThat(q.isEmpty()).isTrue();
            assertThat(q.unfinishedCount()).isZero();
            assertThatThrownBy(() -> new PriorityQueue<Job>(3, null)).isInstanceOf(NullPointerException.class);
        });
    }

    @Test
    void boundedPriorityQueueBlocksPutters() throws Exception {
        virtual(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>(2, Comparator.reverseOrder());
            assertThat(q.maxsize()).isEqualTo(2);
            q.put(1);
            q.put(3);
            Task<Void> putter = Async.createTask(() -> q.put(2));
            yieldUntil(() -> q.putterCount() == 1);
            assertThat(q.get()).as("largest first, by the reversed comparator").isEqualTo(3);
            putter.await();
            assertThat(List.of(q.get(), q.get())).containsExactly(2, 1);
        });
    }

    @Test
    void anItemGivenBackByACancelledGetterReturnsToItsPlace() throws Exception {
        virtual(() -> {
            PriorityQueue<Job> q = new PriorityQueue<>(BY_PRIORITY);
            Task<Job> getter = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 1);
            q.putNowait(new Job(5, "handed")); // handed to the getter...
            q.putNowait(new Job(1, "urgent"));
            q.putNowait(new Job(5, "later tie"));
            q.putNowait(new Job(9, "whenever"));
            getter.cancel(); // ...which is cancelled before it resumes
            assertThatThrownBy(getter::await).isInstanceOf(CancelledException.class);
            assertThat(drain(q)).containsExactly("urgent", "handed", "later tie", "whenever");
        });
    }

    @Test
    void waitingGettersAreServedInOrderWhateverThePriority() throws Exception {
        virtual(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>();
            Task<Integer> first = Async.createTask(q::get);
            Task<Integer> second = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 2);
            Async.sleep(Duration.ofSeconds(1));
            q.putNowait(9);
            q.putNowait(1);
            assertThat(first.await()).as("handed over as it came").isEqualTo(9);
            assertThat(second.await()).isEqualTo(1);
        });
    }
}
