package dev.simmer;

import dev.simmer.sync.Queue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control passing between tasks many times over, in the patterns the threads engine's hand-off
 * treats differently: two tasks passing control back and forth (a waiting thread busy-waits
 * for its turn), a ring of more tasks than there are carriers (spinning stops paying and backs
 * off), and waits the loop ends (timers: the thread parks). On the fast path the same programs
 * run on the loop's thread; the order and the outcome must be asyncio's on both engines.
 */
class HandOffTest {

    @Test
    void twoTasksYieldingInTurnAlternateStrictly() throws Exception {
        int rounds = 20_000;
        int[] log = new int[2 * rounds];
        int[] n = new int[1];
        Loops.virtual(() -> {
            Task<Void> a = Async.createTask(() -> {
                for (int i = 0; i < rounds; i++) {
                    log[n[0]++] = i;
                    Async.yieldNow();
                }
            });
            Task<Void> b = Async.createTask(() -> {
                for (int i = 0; i < rounds; i++) {
                    log[n[0]++] = -i - 1;
                    Async.yieldNow();
                }
            });
            a.await();
            b.await();
        });
        assertThat(n[0]).isEqualTo(2 * rounds);
        for (int i = 0; i < rounds; i++) {
            assertThat(log[2 * i]).as("a's step %d", i).isEqualTo(i);
            assertThat(log[2 * i + 1]).as("b's step %d", i).isEqualTo(-i - 1);
        }
    }

    @Test
    void aRingOfTasksPassesEveryMessageInOrderWithPausesOnTheClock() throws Exception {
        int tasks = 5;
        int messages = 5_000;
        List<Integer> received = new ArrayList<>();
        long[] endedAt = new long[1];
        Loops.virtual(() -> {
            List<Queue<Integer>> links = new ArrayList<>();
            for (int i = 0; i <= tasks; i++) {
                links.add(new Queue<>(1));
            }
            List<Task<Void>> ring = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                Queue<Integer> in = links.get(t);
                Queue<Integer> out = links.get(t + 1);
                int stage = t;
                ring.add(Async.createTask(() -> {
                    for (int m = 0; m < messages; m++) {
                        int v = in.get();
                        if (v % 1_000 == 999 && stage == 2) {
                            Async.sleep(Duration.ofMillis(1)); // every thread waits for the clock: they park
                        }
                        out.put(v + 1);
                    }
                }));
            }
            Task<Void> sink = Async.createTask(() -> {
                for (int m = 0; m < messages; m++) {
                    received.add(links.get(tasks).get());
                }
            });
            for (int m = 0; m < messages; m++) {
                links.get(0).put(m);
            }
            sink.await();
            for (Task<Void> t : ring) {
                t.await();
            }
            endedAt[0] = Loops.nowMillis();
        });
        assertThat(received).hasSize(messages);
        for (int m = 0; m < messages; m++) {
            assertThat(received.get(m)).isEqualTo(m + tasks);
        }
        assertThat(endedAt[0]).as("five pauses of 1 ms on the loop's clock").isEqualTo(5);
    }

    @Test
    void anInterruptOfAWaitingTasksThreadIsSeenByItOnceWhetherItsTurnCameSoonOrLate() throws Exception {
        int[] sent = new int[1];
        int[] seen = new int[1];
        boolean[] pending = new boolean[1];
        Loops.virtual(() -> {
            Thread[] waiterThread = new Thread[1];
            Task<Void> waiter = Async.createTask(() -> {
                waiterThread[0] = Thread.currentThread();
                for (int i = 0; i < 400; i++) {
                    if (i % 4 == 3) {
                        Async.sleep(Duration.ofMillis(1)); // the loop waits for the clock before the turn comes
                    } else {
                        Async.yieldNow(); // the turn comes back at once
                    }
                    if (Thread.interrupted()) {
                        seen[0]++;
                        pending[0] = false;
                    }
                }
            });
            Task<Void> other = Async.createTask(() -> {
                for (int j = 0; j < 400; j++) {
                    // On the threads engine the waiter runs on its parent's thread (a guest: its
                    // parent awaited it at once), not this one; and it is waiting now.
                    if (!pending[0] && j % 3 == 0 && waiterThread[0] != Thread.currentThread()) {
                        pending[0] = true;
                        sent[0]++;
                        waiterThread[0].interrupt();
                    }
                    if (j % 4 == 3) {
                        Async.sleep(Duration.ofMillis(1));
                    } else {
                        Async.yieldNow();
                    }
                }
            });
            waiter.await();
            other.await();
        });
        assertThat(seen[0]).as("interrupts seen of %d sent", sent[0]).isEqualTo(sent[0]);
        if (Async.engine() == EngineKind.THREADS) {
            assertThat(sent[0]).isGreaterThan(50);
        }
    }
}
