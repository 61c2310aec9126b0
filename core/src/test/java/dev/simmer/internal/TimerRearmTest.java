package dev.simmer.internal;

import dev.simmer.internal.HeapModel.Arming;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timer heap with fibers as timers (re-armed per sleep, a fresh timer while a cancelled
 * arming waits in the heap), checked against a plain model: every live arming fires once, in
 * (deadline, arming order), and nothing cancelled ever fires.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a corrupted heap may loop for good
class TimerRearmTest {

    @Test
    void randomArmingsCancelsAndPollsMatchAModel() {
        for (long seed = 1; seed <= 40; seed++) {
            runModel(seed);
        }
    }

    private static void runModel(long seed) {
        Random random = new Random(seed);
        TimerHeap heap = new TimerHeap();
        int fibers = 12;
        Engine.Fiber[] fiber = new Engine.Fiber[fibers];
        String[] owner = new String[fibers];
        Timer[] sleeping = new Timer[fibers]; // what each fiber's "task" waits on, or null
        for (int i = 0; i < fibers; i++) {
            owner[i] = "task-" + i;
            fiber[i] = HeapModel.fiber(owner[i]);
        }
        List<Arming> live = new ArrayList<>();
        List<Timer> plain = new ArrayList<>();
        long order = 0;
        long now = 0;
        int fallbacks = 0;
        for (int step = 0; step < 4_000; step++) {
            int op = random.nextInt(10);
            if (op < 4) { // a task sleeps
                int i = random.nextInt(fibers);
                if (sleeping[i] == null) {
                    long deadline = now + random.nextInt(random.nextBoolean() ? 5 : 500);
                    boolean wasInHeap = fiber[i].inHeap();
                    Timer t = heap.rearm(fiber[i], deadline, owner[i]);
                    assertThat(t == fiber[i]).as("seed %d: the fiber itself unless still in the heap", seed)
                            .isEqualTo(!wasInHeap);
                    if (wasInHeap) {
                        fallbacks++;
                        assertThat(fiber[i].isCancelled()).as("only a cancelled arming can still be in the heap").isTrue();
                    }
                    assertThat(t.deadline()).isEqualTo(deadline);
                    assertThat(t.callback()).isEqualTo(owner[i]);
                    sleeping[i] = t;
                    live.add(new Arming(deadline, order++, t, owner[i], i));
                }
            } else if (op < 6) { // a sleeping task is cancelled
                int i = random.nextInt(fibers);
                if (sleeping[i] != null) {
                    Timer t = sleeping[i];
                    assertThat(heap.cancel(t)).as("seed %d: a live arming cancels", seed).isTrue();
                    assertThat(heap.cancel(t)).as("twice: no").isFalse();
                    if (t == fiber[i] && t.inHeap()) {
                        assertThat(t.callback()).as("a fiber keeps its task").isEqualTo(owner[i]);
                    }
                    sleeping[i] = null;
                    live.removeIf(a -> a.timer() == t);
                }
            } else if (op < 7) { // a callLater
                long deadline = now + random.nextInt(300);
                String cb = "cb-" + step;
                Timer t = heap.add(deadline, cb);
                plain.add(t);
                live.add(new Arming(deadline, order++, t, cb, -1));
            } else if (op < 8) { // a callLater cancelled
                if (!plain.isEmpty()) {
                    Timer t = plain.remove(random.nextInt(plain.size()));
                    boolean wasLive = live.removeIf(a -> a.timer() == t);
                    assertThat(heap.cancel(t)).as("seed %d: cancel of a %s timer", seed, wasLive ? "live" : "fired")
                            .isEqualTo(wasLive);
                    if (wasLive && t.inHeap()) {
                        assertThat(t.callback()).as("a plain timer lets go of its callback").isNull();
                    }
                }
            } else { // time passes; the loop polls what is due
                now += random.nextInt(60);
                List<Arming> due = HeapModel.due(live, now);
                List<Timer> fired = new ArrayList<>();
                for (Timer t; (t = heap.pollDue(now)) != null; ) {
                    assertThat(t.inHeap()).isFalse();
                    assertThat(t.isCancelled()).isFalse();
                    fired.add(t);
                }
                assertThat(fired).as("seed %d, step %d: what fires at %d", seed, step, now)
                        .containsExactlyElementsOf(due.stream().map(Arming::timer).toList());
                for (Arming a : due) {
                    assertThat(a.timer().callback()).isEqualTo(a.callback());
                    live.remove(a);
                    if (a.fiber() >= 0) {
                        sleeping[a.fiber()] = null;
                    }
                }
            }
            assertThat(heap.liveCount()).as("seed %d, step %d: live timers", seed, step).isEqualTo(live.size());
        }
        assertThat(fallbacks).as("seed %d: the fallback was exercised", seed).isPositive();
    }

    @Test
    void theFirstTimerEverArmedCanBeCancelled() {
        // seq 0: the CANCELLED mark must still read as cancelled (seq > 0 once marked)
        TimerHeap heap = new TimerHeap();
        Engine.Fiber f = HeapModel.fiber("task");
        assertThat(heap.rearm(f, 10, "task")).isSameAs(f);
        assertThat(heap.cancel(f)).isTrue();
        assertThat(f.isCancelled()).isTrue();
        assertThat(heap.liveCount()).isZero();
        assertThat(heap.peek()).isNull();
        assertThat(f.isCancelled()).as("dropped: no longer marked").isFalse();
        assertThat(f.inHeap()).isFalse();
        assertThat(heap.rearm(f, 20, "task")).as("dropped: re-armed itself").isSameAs(f);
        assertThat(heap.pollDue(19)).isNull();
        assertThat(heap.pollDue(20)).isSameAs(f);
    }

    @Test
    void aPurgeDropsCancelledFibersSoTheyAreReArmedThemselves() {
        TimerHeap heap = new TimerHeap();
        List<Engine.Fiber> fibers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Engine.Fiber f = HeapModel.fiber("t" + i);
            heap.rearm(f, 1_000 + i, "t" + i);
            fibers.add(f);
        }
        for (int i = 0; i < 150; i++) { // past half of the heap: rebuilt without the marked ones
            heap.cancel(fibers.get(i));
        }
        assertThat(heap.liveCount()).isEqualTo(50);
        int stillMarked = 0;
        for (int i = 0; i < 150; i++) {
            Engine.Fiber f = fibers.get(i);
            assertThat(f.callback()).isEqualTo("t" + i);
            if (f.inHeap()) {
                stillMarked++;
                assertThat(f.isCancelled()).isTrue();
            }
            boolean wasInHeap = f.inHeap();
            Timer again = heap.rearm(f, 5, "t" + i);
            assertThat(again == f).as("t%d re-armed itself unless still in the heap", i).isEqualTo(!wasInHeap);
        }
        assertThat(stillMarked).as("the purge dropped most of them").isLessThan(150);
        List<Object> fired = new ArrayList<>();
        for (Timer t; (t = heap.pollDue(5)) != null; ) {
            fired.add(t.callback());
        }
        assertThat(fired).hasSize(150).startsWith("t0", "t1", "t2").endsWith("t149");
        assertThat(heap.liveCount()).isEqualTo(50);
        assertThat(heap.pollDue(1_150)).extracting(Timer::callback).isEqualTo("t150");
    }
}
