package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.Outcome;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BarrierTest {

    @Test
    void tasksPassTogetherWithTheirArrivalIndexAndTheBarrierIsReusable() throws Exception {
        virtual(() -> {
            Barrier barrier = new Barrier(3);
            for (int round = 0; round < 2; round++) {
                List<Task<Integer>> tasks = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    tasks.add(Async.createTask(barrier::await));
                }
                yieldUntil(() -> barrier.waiting() == 2 || tasks.get(2).isDone());
                List<Integer> indexes = new ArrayList<>();
                for (Task<Integer> t : tasks) {
                    indexes.add(t.await());
                }
                assertThat(indexes).containsExactly(0, 1, 2);
                assertThat(barrier.waiting()).isZero();
                assertThat(barrier.isBroken()).isFalse();
            }
            assertThat(barrier.parties()).isEqualTo(3);
        });
    }

    @Test
    void abortBreaksItForWaitersAndArrivalsUntilReset() throws Exception {
        virtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> waiter = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 1);
            barrier.abort();
            assertThatThrownBy(waiter::await).isInstanceOf(BrokenBarrierException.class);
            assertThat(barrier.isBroken()).isTrue();
            assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class)
                    .hasMessageContaining("aborted");
            barrier.reset();
            assertThat(barrier.isBroken()).isFalse();
            Task<Integer> a = Async.createTask(barrier::await);
            Task<Integer> b = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 2);
            assertThat(barrier.await()).isEqualTo(2);
            assertThat(List.of(a.await(), b.await())).containsExactly(0, 1);
        });
    }

    @Test
    void resetSendsTheWaitersABrokenBarrierAndMakesItUsable() throws Exception {
        virtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> waiter = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 1);
            barrier.reset();
            assertThatThrownBy(waiter::await).isInstanceOf(BrokenBarrierException.class)
                    .hasMessageContaining("reset");
            assertThat(barrier.isBroken()).isFalse();
            Task<Integer> other = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 1);
            assertThat(barrier.await()).isEqualTo(1);
            assertThat(other.await()).isZero();
        });
    }

    @Test
    void aWaiterCancelledAtTheMomentOfReleaseDoesNotStopTheOthersOrTheNextRound() throws Exception {
        virtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> first = Async.createTask(barrier::await);
            Task<Integer> second = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 2);
            Async.loop().callSoon(first::cancel); // next pass: after the release, before `first` resumes
            assertThat(barrier.await()).isEqualTo(2); // the last arrival releases the round, without suspending
            List<Outcome<Integer>> outcomes = Async.gatherSettled(first, second);
            assertThat(first.isCancelled()).isTrue();
            assertThat(outcomes.get(1).isSuccess()).isTrue();
            assertThat(second.result()).isEqualTo(1);
            // the round drained: a new one fills from 0
            Task<Integer> a = Async.createTask(barrier::await);
            Task<Integer> b = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 2);
            assertThat(barrier.await()).isEqualTo(2);
            assertThat(List.of(a.await(), b.await())).containsExactly(0, 1);
        });
    }

    @Test
    void aWaiterCancelledBeforeTheReleaseLeavesTheCount() throws Exception {
        virtual(() -> {
            Barrier barrier = new Barrier(2);
            Task<Integer> waiter = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 1);
            waiter.cancel();
            Async.gatherSettled(waiter);
            assertThat(barrier.waiting()).isZero();
            assertThat(barrier.isBroken()).isFalse();
        });
    }

    @Test
    void theIndicesOfARoundStayDistinctWhenAWaiterLeftBeforeTheRoundWasComplete() throws Exception {
        // asyncio counts arrivals, so there b and c would both get 1 once a has left.
        virtual(() -> {
            Barrier barrier = new Barrier(3);
            Task<Integer> a = Async.createTask(barrier::await);
            Task<Integer> b = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 2);
            a.cancel();
            yieldUntil(() -> barrier.waiting() == 1);
            Task<Integer> c = Async.createTask(barrier::await);
            yieldUntil(() -> barrier.waiting() == 2);
            assertThat(barrier.await()).isEqualTo(2);
            assertThat(List.of(b.await(), c.await())).containsExactly(0, 1);
            assertThat(a.isCancelled()).isTrue();
            assertThat(barrier.insideCount()).isZero();
        });
    }

    @Test
    void misuse() throws Exception {
        assertThatThrownBy(() -> new Barrier(0)).isInstanceOf(IllegalArgumentException.class);
        Barrier barrier = new Barrier(1);
        assertThatThrownBy(barrier::abort).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("running event loop");
        virtual(() -> assertThat(barrier.await()).isZero());
        virtual(() -> assertThatThrownBy(barrier::await).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another event loop"));
    }
}
