package dev.simmer.internal;

import dev.simmer.internal.HeapModel.Arming;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

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
    void sleepsArmedAndCancelledBeforeTheHeapIsReadNeverEnterIt() {
        TimerHeap heap = new TimerHeap();
        Engine.Fiber a = HeapModel.fiber("a");
        Engine.Fiber b = HeapModel.fiber("b");
        Engine.Fiber c = HeapModel.fiber("c");
        heap.rearm(a, 30, "a");
        heap.rearm(b, 10, "b");
        heap.rearm(c, 20, "c");
        assertThat(heap.cancel(b)).isTrue();
        assertThat(heap.cancel(b)).as("cancelled once only").isFalse();
        assertThat(heap.liveCount()).isEqualTo(2);
        assertThat(heap.sifted()).as("nothing read the heap yet").isZero();
        assertThat(heap.isValid()).isTrue();
        assertThat(heap.peek()).isSameAs(c);
        assertThat(heap.sifted()).as("the cancelled arming left without entering").isEqualTo(2);
        assertThat(b.inHeap()).isFalse();
        assertThat(heap.rearm(b, 5, "b again")).as("out of the heap: reused at once").isSameAs(b);
        assertThat(heap.pollDue(100)).isSameAs(b);
        assertThat(heap.pollDue(100)).isSameAs(c);
        assertThat(heap.pollDue(100)).isSameAs(a);
        assertThat(heap.pollDue(100)).isNull();
        assertThat(heap.isValid()).isTrue();
    }

    @Test
    void aBurstOfSleepsArmedInOnePassFiresInDeadlineThenArmingOrder() {
        TimerHeap heap = new TimerHeap(25_000); // renumbers during the bursts too
        Random random = new Random(7);
        for (int round = 0; round < 6; round++) {
            int n = round % 2 == 0 ? 20_000 : 3; // a burst, then a few: the arrivals' array grows and shrinks
            Engine.Fiber[] fibers = new Engine.Fiber[n];
            long[] deadlines = new long[n];
            for (int i = 0; i < n; i++) {
                fibers[i] = HeapModel.fiber("f" + i);
                deadlines[i] = random.nextInt(50);
                assertThat(heap.rearm(fibers[i], deadlines[i], i)).isSameAs(fibers[i]);
            }
            for (int i = 0; i < n; i += 3) {
                heap.cancel(fibers[i]);
            }
            assertThat(heap.isValid()).isTrue();
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i % 3 != 0) {
                    expected.add(i);
                }
            }
            expected.sort(Comparator.comparingLong((Integer i) -> deadlines[i]).thenComparingInt(i -> i));
            List<Object> fired = new ArrayList<>();
            for (Timer t; (t = heap.pollDue(100)) != null; ) {
                fired.add(t.callback());
            }
            assertThat(fired).as("round %d", round).containsExactlyElementsOf(expected);
            assertThat(heap.liveCount()).isZero();
            assertThat(heap.isValid()).isTrue();
        }
        assertThat(heap.renumbered).isGreaterThanOrEqualTo(2);
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

    /* Renumbering: a heap with a tiny sequence limit renumbers its entries every few armings. */

    @Test
    void theHeapRenumbersInPlaceKeepingOrderAndMarks() {
        TimerHeap heap = new TimerHeap(4);
        Engine.Fiber f = HeapModel.fiber("f");
        Engine.Fiber g = HeapModel.fiber("g");
        heap.add(5, "x");                               // numbered 0
        Timer a = heap.add(10, "a");                    // 1
        Timer b = heap.add(10, "b");                    // 2
        assertThat(heap.rearm(g, 10, "g")).isSameAs(g); // 3
        assertThat(heap.pollDue(5).callback()).isEqualTo("x");
        assertThat(heap.cancel(b)).isTrue();
        assertThat(heap.cancel(g)).isTrue();
        assertThat(heap.renumbered).isZero();

        assertThat(heap.rearm(f, 10, "f")).isSameAs(f); // the limit is reached: a, b, g renumbered 0, 1, 2
        assertThat(heap.renumbered).isEqualTo(1);
        assertThat(heap.isValid()).isTrue();
        assertThat(List.of(a.seq, b.seq & ~Timer.CANCELLED, g.seq & ~Timer.CANCELLED, f.seq)).containsExactly(0, 1, 2, 3);
        assertThat(b.isCancelled()).as("a cancelled entry keeps its mark").isTrue();
        assertThat(g.isCancelled()).isTrue();

        Timer gAgain = heap.rearm(g, 10, "g2"); // g's cancelled arming still waits in the heap
        assertThat(gAgain).isNotSameAs(g);
        assertThat(heap.renumbered).as("the heap holds the limit: each arming renumbers").isEqualTo(2);
        Timer d = heap.add(10, "d");
        assertThat(heap.renumbered).isEqualTo(3);
        assertThat(List.of(gAgain.seq, d.seq)).containsExactly(4, 5);
        assertThat(heap.isValid()).isTrue();
        List<Object> order = new ArrayList<>();
        for (Timer t; (t = heap.pollDue(10)) != null; ) {
            order.add(t.callback());
        }
        assertThat(order).containsExactly("a", "f", "g2", "d");
        assertThat(d.inHeap()).isFalse();
        assertThat(heap.rearm(f, 20, "f")).as("fired across renumberings: re-armed itself").isSameAs(f);
        assertThat(heap.rearm(g, 20, "g")).as("dropped: re-armed itself").isSameAs(g);
        assertThat(heap.pollDue(20).callback()).isEqualTo("f");
        assertThat(heap.pollDue(20).callback()).isEqualTo("g");
        assertThat(heap.liveCount()).isZero();
    }

    @Test
    void manyRenumberingsKeepFifoAmongEqualDeadlinesAgainstAModel() {
        for (int limit : new int[] {1, 8, 16, 64, 100}) {
            for (long seed = 1; seed <= 10; seed++) {
                runRenumberingModel(limit, seed);
            }
        }
    }

    private static void runRenumberingModel(int limit, long seed) {
        Random random = new Random(seed * 31 + limit);
        TimerHeap heap = new TimerHeap(limit);
        int fibers = 6;
        Engine.Fiber[] fiber = new Engine.Fiber[fibers];
        Timer[] sleeping = new Timer[fibers]; // each fiber's current arming, or null
        for (int i = 0; i < fibers; i++) {
            fiber[i] = HeapModel.fiber("task-" + i);
        }
        List<Arming> live = new ArrayList<>();
        List<Timer> plain = new ArrayList<>();
        long order = 0;
        long now = 0;
        int fired = 0;
        for (int step = 0; step < 3_000; step++) { // AssertJ only on a failure: this runs 150,000 times
            int op = random.nextInt(10);
            long deadline = now + random.nextInt(random.nextBoolean() ? 3 : 40); // many ties, some depth
            if (op < 4) { // a callLater
                Timer t = heap.add(deadline, "cb-" + step);
                plain.add(t);
                live.add(new Arming(deadline, order++, t, "cb-" + step, -1));
            } else if (op < 6) { // a fiber sleeps
                int i = random.nextInt(fibers);
                if (sleeping[i] == null) {
                    boolean wasInHeap = fiber[i].inHeap();
                    Timer t = heap.rearm(fiber[i], deadline, "task-" + i);
                    assertThat(t == fiber[i]).as("the fiber itself unless still in the heap").isEqualTo(!wasInHeap);
                    sleeping[i] = t;
                    live.add(new Arming(deadline, order++, t, "task-" + i, i));
                }
            } else if (op < 7) { // a fiber's sleep is cancelled
                int i = random.nextInt(fibers);
                if (sleeping[i] != null) {
                    Timer t = sleeping[i];
                    assertThat(heap.cancel(t)).isTrue();
                    sleeping[i] = null;
                    live.removeIf(a -> a.timer() == t);
                }
            } else if (op < 8) { // a callLater is cancelled, maybe after it fired
                if (!plain.isEmpty()) {
                    Timer t = plain.remove(random.nextInt(plain.size()));
                    assertThat(heap.cancel(t)).isEqualTo(live.removeIf(a -> a.timer() == t));
                }
            } else { // time passes; the loop polls what is due
                now += random.nextInt(3);
                List<Arming> due = HeapModel.due(live, now);
                List<Object> polled = new ArrayList<>();
                for (Timer t; (t = heap.pollDue(now)) != null; ) {
                    polled.add(t.callback());
                }
                List<Object> expected = due.stream().map(Arming::callback).toList();
                if (!polled.equals(expected)) {
                    assertThat(polled).as("limit %d, seed %d, step %d: what fires at %d", limit, seed, step, now)
                            .containsExactlyElementsOf(expected);
                }
                for (Arming a : due) {
                    live.remove(a);
                    if (a.fiber() >= 0) {
                        sleeping[a.fiber()] = null;
                    }
                }
                fired += due.size();
            }
            if (!heap.isValid() || heap.liveCount() != live.size()) {
                fail("limit %d, seed %d, step %d: an invalid heap, or %d live timers, not %d",
                        limit, seed, step, heap.liveCount(), live.size());
            }
        }
        assertThat(heap.renumbered).as("limit %d, seed %d: renumbered many times", limit, seed).isGreaterThan(10);
        assertThat(fired).isGreaterThan(1_000);
    }
}
