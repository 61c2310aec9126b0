package dev.simmer.sync;

import dev.simmer.Async;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The misuse rules, for every primitive at once: a call from a thread outside the loop
 * (while the loop runs), from another loop than the one the primitive is bound to, and a call
 * that may suspend from a plain callback are each a clear {@link IllegalStateException}.
 */
class SyncMisuseTest {

    /** One call on a primitive, and whether it may suspend. */
    private record Call(String name, Runnable call, boolean suspends) {
    }

    /** Fresh primitives, each first touched by {@code bind} (a call that neither fails nor waits). */
    private static List<Call> calls(List<Runnable> bind) {
        Lock lock = new Lock();
        Event event = new Event();
        Semaphore sem = new Semaphore(1);
        BoundedSemaphore bounded = new BoundedSemaphore(1);
        Condition cond = new Condition();
        Barrier barrier = new Barrier(2);
        Queue<String> queue = new Queue<>();
        LifoQueue<String> lifo = new LifoQueue<>();
        PriorityQueue<String> prio = new PriorityQueue<>();
        bind.addAll(List.of(lock::locked, event::isSet, sem::available, bounded::available, cond::locked,
                barrier::isBroken, queue::size, lifo::size, prio::size));
        return List.of(
                new Call("Lock.acquire", lock::acquire, true),
                new Call("Lock.release", lock::release, false),
                new Call("Event.set", event::set, false),
                new Call("Event.await", event::await, true),
                new Call("Semaphore.acquire", sem::acquire, true),
                new Call("Semaphore.release", sem::release, false),
                new Call("Semaphore.acquire", bounded::acquire, true),
                new Call("Condition.await", cond::await, true),
                new Call("Condition.signal", cond::signal, false),
                new Call("Barrier.await", barrier::await, true),
                new Call("Barrier.abort", barrier::abort, false),
                new Call("Queue.get", queue::get, true),
                new Call("Queue.putNowait", () -> queue.putNowait("x"), false),
                new Call("Queue.consume", () -> queue.consume().iterator().hasNext(), true),
                new Call("LifoQueue.put", () -> lifo.put("x"), true),
                new Call("PriorityQueue.getNowait", prio::getNowait, false));
    }

    @Test
    void fromAThreadOutsideTheRunningLoop() throws Exception {
        List<Runnable> bind = new ArrayList<>();
        List<Call> calls = calls(bind);
        virtual(() -> {
            bind.forEach(Runnable::run);
            for (Call c : calls) {
                Throwable t = Async.toThread(() -> catchThrowable(c.call()::run)); // a worker thread: no loop
                assertThat(t).as(c.name()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(c.name()).hasMessageContaining("running event loop")
                        .hasMessageContaining("callSoonThreadsafe");
            }
        });
    }

    @Test
    void fromAnotherLoopThanTheOneItIsBoundTo() throws Exception {
        List<Runnable> bind = new ArrayList<>();
        List<Call> calls = calls(bind);
        virtual(() -> bind.forEach(Runnable::run));
        virtual(() -> {
            for (Call c : calls) {
                assertThat(catchThrowable(c.call()::run)).as(c.name()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(c.name()).hasMessageContaining("another event loop");
            }
        });
    }

    @Test
    void aCallThatMaySuspendFromAPlainCallback() throws Exception {
        List<Runnable> bind = new ArrayList<>();
        List<Call> calls = calls(bind);
        virtual(() -> {
            bind.forEach(Runnable::run);
            for (Call c : calls) {
                if (!c.suspends()) {
                    continue;
                }
                Throwable[] thrown = new Throwable[1];
                Async.loop().callSoon(() -> thrown[0] = catchThrowable(c.call()::run));
                yieldUntil(() -> thrown[0] != null);
                assertThat(thrown[0]).as(c.name()).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("plain callback");
            }
        });
    }
}
