package dev.simmer.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TimerHeapTest {

    @Test
    void pollsByDeadlineThenByCreationOrder() {
        TimerHeap heap = new TimerHeap();
        heap.add(30, "c");
        heap.add(10, "a1");
        heap.add(20, "b");
        heap.add(10, "a2");
        List<Object> order = new ArrayList<>();
        for (Timer t; (t = heap.pollDue(Long.MAX_VALUE)) != null; ) {
            order.add(t.callback());
        }
        assertThat(order).containsExactly("a1", "a2", "b", "c");
    }

    @Test
    void pollDueReturnsOnlyTimersThatAreDue() {
        TimerHeap heap = new TimerHeap();
        heap.add(100, "later");
        assertThat(heap.pollDue(99)).isNull();
        assertThat(heap.pollDue(100).callback()).isEqualTo("later");
        assertThat(heap.peek()).isNull();
    }

    @Test
    void cancelledTimersAreSkippedAndNotCounted() {
        TimerHeap heap = new TimerHeap();
        Timer a = heap.add(1, "a");
        heap.add(2, "b");
        assertThat(heap.cancel(a)).isTrue();
        assertThat(heap.cancel(a)).isFalse();
        assertThat(heap.liveCount()).isEqualTo(1);
        assertThat(heap.peek().callback()).isEqualTo("b");
        Timer fired = heap.pollDue(10);
        assertThat(heap.cancel(fired)).as("a fired timer cannot be cancelled").isFalse();
        assertThat(heap.liveCount()).isZero();
    }

    @Test
    void randomizedAgainstASortedModel() {
        Random random = new Random(42);
        TimerHeap heap = new TimerHeap();
        List<Timer> model = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            int op = random.nextInt(10);
            if (op < 6) {
                model.add(heap.add(random.nextInt(1000), i));
            } else if (op < 9 && !model.isEmpty()) {
                Timer victim = model.remove(random.nextInt(model.size()));
                assertThat(heap.cancel(victim)).isTrue();
            } else {
                long now = random.nextInt(1000);
                model.sort(Comparator.comparingLong(Timer::deadline).thenComparingLong(t -> t.seq));
                for (Timer t; (t = heap.pollDue(now)) != null; ) {
                    assertThat(model).isNotEmpty();
                    assertThat(t).isSameAs(model.remove(0));
                }
                assertThat(model.isEmpty() || model.get(0).deadline() > now).isTrue();
            }
            assertThat(heap.liveCount()).isEqualTo(model.size());
        }
    }
}
