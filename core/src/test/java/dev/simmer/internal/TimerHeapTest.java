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
        assertThat(a.callback()).as("a cancelled timer lets go of its callback").isNull();
        assertThat(heap.cancel(a)).isFalse();
        assertThat(heap.liveCount()).isEqualTo(1);
        assertThat(heap.peek().callback()).isEqualTo("b");
        Timer fired = heap.pollDue(10);
        assertThat(heap.cancel(fired)).as("a fired timer cannot be cancelled").isFalse();
        assertThat(heap.liveCount()).isZero();
    }

    @Test
    void rearmReusesATimerOutOfTheHeapInArmingOrder() {
        TimerHeap heap = new TimerHeap();
        Timer own = new Timer(0, -1, null); // as a task's fiber starts: not armed
        heap.add(10, "a");
        assertThat(heap.rearm(own, 10, "own")).isSameAs(own);
        heap.add(10, "b");
        assertThat(heap.liveCount()).isEqualTo(3);
        List<Object> order = new ArrayList<>();
        for (Timer t; (t = heap.pollDue(10)) != null; ) {
            order.add(t.callback());
        }
        assertThat(order).containsExactly("a", "own", "b");
        assertThat(heap.rearm(own, 20, "again")).as("fired: armed again").isSameAs(own);
        assertThat(own.deadline()).isEqualTo(20);
        assertThat(heap.pollDue(20).callback()).isEqualTo("again");
    }

    @Test
    void rearmWhileACancelledArmingWaitsInTheHeapAddsAnotherTimer() {
        TimerHeap heap = new TimerHeap();
        Timer own = heap.rearm(new Timer(0, -1, null), 100, "first");
        assertThat(heap.cancel(own)).isTrue(); // marked only: it stays in the heap until it reaches the top
        Timer next = heap.rearm(own, 50, "second");
        assertThat(next).isNotSameAs(own);
        assertThat(own.isCancelled()).as("the cancelled arming stays cancelled").isTrue();
        assertThat(own.deadline()).isEqualTo(100);
        assertThat(heap.liveCount()).isEqualTo(1);
        assertThat(heap.pollDue(Long.MAX_VALUE)).isSameAs(next);
        assertThat(heap.pollDue(Long.MAX_VALUE)).isNull();
        assertThat(heap.rearm(own, 10, "third")).as("dropped: reusable again").isSameAs(own);
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
