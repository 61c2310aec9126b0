package dev.simmer.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulerTest {

    @Test
    void aReadyQueueABurstGrewIsReplacedOnceItIsEmptyAndKeepsItsOrder() {
        Scheduler scheduler = new Scheduler(new VirtualClock(), Thread.currentThread(), null, entry -> { });
        List<Object> ran = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            scheduler.schedule(i);
        }
        scheduler.startPass();
        for (Object e; (e = scheduler.nextOfPass()) != null; ) {
            ran.add(e);
            if (ran.size() == 5_000) {
                scheduler.schedule("next pass"); // scheduled during the pass: the queue is not empty at its end
            }
        }
        assertThat(ran).hasSize(10_000).startsWith(0, 1, 2).endsWith(9_998, 9_999);
        assertThat(scheduler.readyReplaced).as("not empty at the end of the pass: kept").isZero();

        scheduler.startPass();
        assertThat(scheduler.nextOfPass()).isEqualTo("next pass");
        assertThat(scheduler.nextOfPass()).isNull();
        assertThat(scheduler.readyReplaced).as("empty after the burst: replaced").isEqualTo(1);

        scheduler.schedule("after");
        scheduler.startPass();
        assertThat(scheduler.nextOfPass()).isEqualTo("after");
        assertThat(scheduler.readyReplaced).as("a small pass replaces nothing").isEqualTo(1);
        assertThat(scheduler.hasWork()).isFalse();
    }
}
