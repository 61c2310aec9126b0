package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LifoQueueTest {

    private static List<String> drain(Queue<String> q) {
        List<String> out = new ArrayList<>();
        while (!q.isEmpty()) {
            out.add(q.getNowait());
        }
        return out;
    }

    @Test
    void newestComesOutFirst() throws Exception {
        virtual(() -> {
            LifoQueue<String> q = new LifoQueue<>();
            for (String s : List.of("a", "b", "c")) {
                q.put(s);
            }
            assertThat(q.get()).isEqualTo("c");
            q.put("d");
            assertThat(drain(q)).containsExactly("d", "b", "a");
        });
    }

    @Test
    void boundedLifoBlocksPuttersInFifoOrder() throws Exception {
        virtual(() -> {
            LifoQueue<String> q = new LifoQueue<>(1);
            q.put("a");
            List<Task<Void>> putters = new ArrayList<>();
            for (String s : List.of("x", "y")) {
                putters.add(Async.createTask(() -> q.put(s)));
            }
            yieldUntil(() -> q.putterCount() == 2);
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.get()).as("the oldest putter got the slot").isEqualTo("x");
            assertThat(q.get()).isEqualTo("y");
            for (Task<Void> t : putters) {
                t.await();
            }
        });
    }

    @Test
    void anItemGivenBackByACancelledGetterGoesBelowNewerItems() throws Exception {
        virtual(() -> {
            LifoQueue<String> q = new LifoQueue<>();
            q.putNowait("bottom");
            Task<String> getter = Async.createTask(() -> {
                q.get(); // takes "bottom" without suspending
                return q.get(); // waits
            });
            yieldUntil(() -> q.getterCount() == 1);
            q.putNowait("handed");
            q.putNowait("newer");
            getter.cancel();
            assertThatThrownBy(getter::await).isInstanceOf(CancelledException.class);
            assertThat(drain(q)).containsExactly("newer", "handed");
        });
    }

    @Test
    void anItemGivenBackWithNothingNewerIsOnTop() throws Exception {
        virtual(() -> {
            LifoQueue<String> q = new LifoQueue<>(2);
            Task<String> getter = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 1);
            q.putNowait("handed");
            getter.cancel();
            assertThatThrownBy(getter::await).isInstanceOf(CancelledException.class);
            q.putNowait("newer");
            assertThat(q.isFull()).isTrue();
            assertThat(drain(q)).containsExactly("newer", "handed");
        });
    }
}
