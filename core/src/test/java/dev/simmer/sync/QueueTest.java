package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.AsyncIterable;
import dev.simmer.AsyncIterator;
import dev.simmer.CancelledException;
import dev.simmer.Task;
import dev.simmer.Script;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.simmer.sync.SyncTesting.virtual;
import static dev.simmer.sync.SyncTesting.yieldUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class QueueTest {

    // ============================================================ order and state

    @Test
    void itemsComeOutInTheOrderTheyWentIn() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            assertThat(q.maxsize()).isZero();
            assertThat(q.isEmpty()).isTrue();
            for (String s : List.of("a", "b", "c")) {
                q.put(s);
            }
            assertThat(q.size()).isEqualTo(3);
            assertThat(q.isFull()).as("unbounded is never full").isFalse();
            assertThat(List.of(q.get(), q.getNowait(), q.get())).containsExactly("a", "b", "c");
            assertThat(q.isEmpty()).isTrue();
        });
    }

    @Test
    void maxsizeZeroOrLessIsUnbounded() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>(-3);
            assertThat(q.maxsize()).isZero();
            for (int i = 0; i < 1000; i++) {
                q.putNowait(i);
            }
            assertThat(q.isFull()).isFalse();
            assertThat(q.size()).isEqualTo(1000);
        });
    }

    @Test
    void putAndGetThatCanProceedDoNotSuspend() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>(2);
            boolean[] ran = new boolean[1];
            Task<Void> other = Async.createTask(() -> {
                ran[0] = true;
            });
            q.put(1);
            q.put(2);
            q.get();
            q.get();
            assertThat(ran[0]).as("no suspension let another task run").isFalse();
            other.await();
        });
    }

    @Test
    void getWaitsForAPut() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Async.createTask(() -> {
                s.expect(2);
                String item = q.get();
                s.expect(4);
                return item;
            });
            s.expect(1);
            yieldUntil(() -> q.getterCount() == 1);
            s.expect(3);
            q.putNowait("soup");
            assertThat(q.size()).as("handed straight to the waiting getter").isZero();
            assertThat(getter.await()).isEqualTo("soup");
            s.finish(5);
        });
        s.assertFinished();
    }

    @Test
    void waitingGettersAreServedInTheOrderTheyCame() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>();
            List<Task<Integer>> getters = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                getters.add(Async.createTask(q::get));
            }
            yieldUntil(() -> q.getterCount() == 5);
            for (int i = 0; i < 5; i++) {
                q.putNowait(i);
            }
            Task<Integer> late = Async.createTask(q::get); // must not barge ahead of the woken ones
            for (int i = 0; i < 5; i++) {
                assertThat(getters.get(i).await()).isEqualTo(i);
            }
            q.putNowait(99);
            assertThat(late.await()).isEqualTo(99);
        });
    }

    @Test
    void boundedPutSuspendsWhileFullAndResumesInFifoOrder() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Queue<String> q = new Queue<>(2);
            q.put("1");
            q.put("2");
            assertThat(q.isFull()).isTrue();
            List<String> resumed = new ArrayList<>();
            List<Task<Void>> putters = new ArrayList<>();
            for (String item : List.of("x", "y", "z")) {
                putters.add(Async.createTask(() -> {
                    q.put(item);
                    resumed.add(item);
                }));
            }
            yieldUntil(() -> q.putterCount() == 3);
            s.expect(1);
            assertThat(q.get()).isEqualTo("1");
            assertThat(q.isFull()).as("the freed slot is granted to the oldest putter").isTrue();
            assertThatThrownBy(() -> q.putNowait("barger")).isInstanceOf(QueueFullException.class);
            yieldUntil(() -> resumed.size() == 1);
            s.expect(2);
            List<String> got = new ArrayList<>();
            while (got.size() < 4) {
                got.add(q.get());
                Async.yieldNow();
            }
            for (Task<Void> t : putters) {
                t.await();
            }
            s.finish(3);
            assertThat(got).containsExactly("2", "x", "y", "z");
            assertThat(resumed).containsExactly("x", "y", "z");
            assertThat(q.isEmpty()).isTrue();
        });
        s.assertFinished();
    }

    @Test
    void nowaitVariantsThrowClearErrors() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>(1);
            assertThatThrownBy(q::getNowait).isInstanceOf(QueueEmptyException.class)
                    .hasMessageContaining("Queue.getNowait").hasMessageContaining("empty");
            q.putNowait(1);
            assertThatThrownBy(() -> q.putNowait(2)).isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("Queue.putNowait").hasMessageContaining("full (maxsize 1)");
            assertThat(q.getNowait()).isEqualTo(1);
            assertThatThrownBy(() -> q.putNowait(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("null");
        });
    }

    // ============================================================ taskDone and join

    @Test
    void joinWaitsUntilEveryItemIsDone() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>();
            q.join(); // nothing put: returns at once
            for (int i = 0; i < 3; i++) {
                q.put(i);
            }
            Task<Void> consumer = Async.createTask(() -> {
                while (true) {
                    q.get();
                    Async.sleep(Duration.ofSeconds(1));
                    q.taskDone();
                }
            });
            q.join();
            assertThat(Async.loop().time()).isEqualTo(Duration.ofSeconds(3).toNanos());
            assertThat(q.unfinishedCount()).isZero();
            consumer.cancel();
            assertThatThrownBy(consumer::await).isInstanceOf(CancelledException.class);
        });
    }

    @Test
    void taskDoneMoreOftenThanPutIsAnError() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>();
            q.put(1);
            q.get();
            q.taskDone();
            assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Queue.taskDone").hasMessageContaining("more times than items were put");
        });
    }

    @Test
    void aCancelledJoinerLeavesAndOthersStillWait() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>();
            q.put(1);
            Task<Void> a = Async.createTask(q::join);
            Task<Void> b = Async.createTask(q::join);
            Async.yieldNow();
            a.cancel();
            assertThatThrownBy(a::await).isInstanceOf(CancelledException.class);
            assertThat(b.isDone()).isFalse();
            q.get();
            q.taskDone();
            b.await();
        });
    }

    // ============================================================ shutdown

    @Test
    void shutdownStopsPutsAndLetsGetsDrainWhatIsLeft() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>(2);
            q.put("a");
            q.put("b");
            Task<Void> putter = Async.createTask(() -> q.put("c"));
            Task<Void> joiner = Async.createTask(q::join);
            yieldUntil(() -> q.putterCount() == 1);
            q.shutdown();
            assertThat(q.isShutDown()).isTrue();
            assertThatThrownBy(putter::await).isInstanceOf(QueueShutDownException.class)
                    .hasMessageContaining("Queue.put").hasMessageContaining("shut down");
            assertThatThrownBy(() -> q.put("d")).isInstanceOf(QueueShutDownException.class);
            assertThatThrownBy(() -> q.putNowait("d")).isInstanceOf(QueueShutDownException.class);
            assertThat(q.get()).isEqualTo("a");
            assertThat(q.getNowait()).isEqualTo("b");
            assertThatThrownBy(q::get).isInstanceOf(QueueShutDownException.class)
                    .hasMessageContaining("Queue.get").hasMessageContaining("shut down and empty");
            assertThatThrownBy(q::getNowait).isInstanceOf(QueueShutDownException.class);
            assertThat(joiner.isDone()).as("join still waits for taskDone").isFalse();
            q.taskDone();
            q.taskDone();
            joiner.await();
        });
    }

    @Test
    void shutdownWakesWaitingGetters() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            List<Task<String>> getters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                getters.add(Async.createTask(q::get));
            }
            yieldUntil(() -> q.getterCount() == 3);
            q.shutdown(false);
            for (Task<String> g : getters) {
                assertThatThrownBy(g::await).isInstanceOf(QueueShutDownException.class);
            }
            assertThat(q.getterCount()).isZero();
        });
    }

    @Test
    void immediateShutdownDiscardsItemsAndReleasesJoin() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>(2);
            q.put("a");
            q.put("b");
            Task<Void> putter = Async.createTask(() -> q.put("c"));
            Task<Void> joiner = Async.createTask(q::join);
            yieldUntil(() -> q.putterCount() == 1);
            q.shutdown(true);
            assertThat(q.isEmpty()).isTrue();
            assertThat(q.unfinishedCount()).isZero();
            assertThatThrownBy(putter::await).isInstanceOf(QueueShutDownException.class);
            joiner.await();
            assertThatThrownBy(q::get).isInstanceOf(QueueShutDownException.class);
            assertThatThrownBy(() -> q.put("d")).isInstanceOf(QueueShutDownException.class);
        });
    }

    @Test
    void immediateShutdownAfterAPlainOneEmptiesTheQueue() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            q.put("a");
            q.shutdown();
            assertThat(q.size()).isEqualTo(1);
            q.shutdown(true);
            assertThat(q.isEmpty()).isTrue();
            q.shutdown(false); // does not reopen anything
            assertThatThrownBy(q::getNowait).isInstanceOf(QueueShutDownException.class);
        });
    }

    @Test
    void aPutterGrantedItsSlotThenShutDownDoesNotPut() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("a");
            Task<Void> putter = Async.createTask(() -> q.put("b"));
            yieldUntil(() -> q.putterCount() == 1);
            assertThat(q.getNowait()).isEqualTo("a"); // the slot is granted to the putter...
            q.shutdown(); // ...which is shut down before it resumes
            assertThatThrownBy(putter::await).isInstanceOf(QueueShutDownException.class);
            assertThat(q.isEmpty()).isTrue();
            assertThat(q.unfinishedCount()).isEqualTo(1);
        });
    }

    @Test
    void aGetterHandedItsItemBeforeAnImmediateShutdownKeepsIt() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 1);
            q.putNowait("a");
            q.shutdown(true);
            assertThat(getter.await()).isEqualTo("a");
            assertThat(q.unfinishedCount()).as("delivered, so counted until taskDone").isEqualTo(1);
        });
    }

    // ============================================================ cancellation

    @Test
    void aCancelledWaitingGetterLeavesTheQueue() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 1);
            getter.cancel();
            assertThatThrownBy(getter::await).isInstanceOf(CancelledException.class);
            assertThat(q.getterCount()).isZero();
            q.putNowait("a");
            assertThat(q.size()).isEqualTo(1);
        });
    }

    @Test
    void aGetterCancelledAtTheHandOverPutsTheItemBackAtTheFront() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> getter = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 1);
            q.putNowait("a"); // handed to the getter...
            q.putNowait("b");
            getter.cancel(); // ...which is cancelled before it runs again
            assertThatThrownBy(getter::await).isInstanceOf(CancelledException.class);
            assertThat(q.size()).isEqualTo(2);
            assertThat(q.getNowait()).isEqualTo("a");
            assertThat(q.getNowait()).isEqualTo("b");
            assertThat(q.unfinishedCount()).isEqualTo(2);
        });
    }

    @Test
    void aGetterCancelledAtTheHandOverPassesTheItemToTheNextGetter() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> first = Async.createTask(q::get);
            Task<String> second = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 2);
            q.putNowait("a");
            first.cancel();
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            assertThat(second.await()).isEqualTo("a");
            assertThat(q.isEmpty()).isTrue();
        });
    }

    @Test
    void twoGettersCancelledAtTheHandOverGiveTheirItemsBackInOrder() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> first = Async.createTask(q::get);
            Task<String> second = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 2);
            q.putNowait("a");
            q.putNowait("b");
            second.cancel(); // cancelled in the opposite order: the items must still come back in order
            first.cancel();
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            assertThatThrownBy(second::await).isInstanceOf(CancelledException.class);
            assertThat(List.of(q.getNowait(), q.getNowait())).containsExactly("a", "b");
        });
    }

    @Test
    void aGetterRecordServesTheNextWaitOnlyOnceItsOwnWaitIsOver() throws Exception {
        // A getter that took its item leaves its record to the queue for the next wait; one
        // whose wait ended otherwise (cancelled, given back, shut down) must not be reused.
        virtual(() -> {
            Queue<String> q = new Queue<>();
            Task<String> served = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 1);
            q.putNowait("a");
            assertThat(served.await()).isEqualTo("a"); // its record is the spare now

            Task<String> givesBack = Async.createTask(q::get); // takes the spare
            Task<String> next = Async.createTask(q::get);      // a record of its own
            yieldUntil(() -> q.getterCount() == 2);
            q.putNowait("b");   // handed to givesBack...
            givesBack.cancel(); // ...which gives it back, to next
            assertThatThrownBy(givesBack::await).isInstanceOf(CancelledException.class);
            assertThat(next.await()).isEqualTo("b");

            Task<String> leaves = Async.createTask(q::get);
            Task<String> stays = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 2);
            leaves.cancel(); // cancelled while pending: leaves the line
            assertThatThrownBy(leaves::await).isInstanceOf(CancelledException.class);
            assertThat(q.getterCount()).isEqualTo(1);
            q.putNowait("c");
            assertThat(stays.await()).isEqualTo("c");

            Task<String> shutOut = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 1);
            q.shutdown();
            assertThatThrownBy(shutOut::await).isInstanceOf(QueueShutDownException.class);
            assertThat(q.size()).isZero();
            assertThat(q.getterCount()).isZero();
            assertThat(q.unfinishedCount()).as("a, b and c were put, none marked done").isEqualTo(3);
        });
    }

    @Test
    void aPutterRecordServesTheNextWaitOnlyOnceItsOwnWaitIsOver() throws Exception {
        // The putter's side of the same reuse: only a record that was granted its slot and
        // put its item serves the next wait.
        virtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.putNowait("a");
            Task<Void> served = Async.createTask(() -> q.put("b"));
            yieldUntil(() -> q.putterCount() == 1);
            assertThat(q.getNowait()).isEqualTo("a"); // the slot goes to the waiting putter
            served.await(); // its record is the spare now

            Task<Void> passesOn = Async.createTask(() -> q.put("c")); // takes the spare
            Task<Void> next = Async.createTask(() -> q.put("d"));     // a record of its own
            yieldUntil(() -> q.putterCount() == 2);
            assertThat(q.getNowait()).isEqualTo("b"); // the slot is granted to passesOn...
            passesOn.cancel();                        // ...which passes it on, to next
            assertThatThrownBy(passesOn::await).isInstanceOf(CancelledException.class);
            next.await();
            assertThat(q.isFull()).isTrue();

            Task<Void> leaves = Async.createTask(() -> q.put("e"));
            yieldUntil(() -> q.putterCount() == 1);
            leaves.cancel(); // cancelled while pending: leaves the line, holding no slot
            assertThatThrownBy(leaves::await).isInstanceOf(CancelledException.class);
            assertThat(q.putterCount()).isZero();
            assertThat(q.isFull()).as("d fills it; no slot is promised").isTrue();
            assertThat(q.getNowait()).isEqualTo("d");
            assertThat(q.isFull()).isFalse();
            q.putNowait("f");

            Task<Void> shutOut = Async.createTask(() -> q.put("g"));
            yieldUntil(() -> q.putterCount() == 1);
            q.shutdown();
            assertThatThrownBy(shutOut::await).isInstanceOf(QueueShutDownException.class);
            assertThat(q.getNowait()).isEqualTo("f");
            assertThat(q.isEmpty()).isTrue();
        });
    }

    @Test
    void aGetterCancelledAtTheHandOverDoesNotOverfillABoundedQueue() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>(1);
            Task<String> getter = Async.createTask(q::get);
            yieldUntil(() -> q.getterCount() == 1);
            q.putNowait("a"); // on its way to the getter: still takes the slot
            assertThat(q.isFull()).isTrue();
            assertThatThrownBy(() -> q.putNowait("b")).isInstanceOf(QueueFullException.class);
            getter.cancel();
            assertThatThrownBy(getter::await).isInstanceOf(CancelledException.class);
            assertThat(q.size()).isEqualTo(1);
            assertThat(q.getNowait()).isEqualTo("a");
        });
    }

    @Test
    void aPutterCancelledAtTheGrantPassesTheSlotOn() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("x");
            Task<Void> first = Async.createTask(() -> q.put("p1"));
            Task<Void> second = Async.createTask(() -> q.put("p2"));
            yieldUntil(() -> q.putterCount() == 2);
            assertThat(q.getNowait()).isEqualTo("x"); // the slot is granted to `first`...
            first.cancel(); // ...which is cancelled before it runs again
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            second.await();
            assertThat(q.size()).isEqualTo(1);
            assertThat(q.getNowait()).as("p1 was not put").isEqualTo("p2");
            assertThat(q.unfinishedCount()).as("x and p2").isEqualTo(2);
        });
    }

    @Test
    void aPutterCancelledAtTheGrantFreesTheSlotIfNobodyElseWaits() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("x");
            Task<Void> putter = Async.createTask(() -> q.put("p"));
            yieldUntil(() -> q.putterCount() == 1);
            q.getNowait();
            assertThat(q.isFull()).as("slot reserved for the putter").isTrue();
            putter.cancel();
            assertThatThrownBy(putter::await).isInstanceOf(CancelledException.class);
            assertThat(q.isFull()).isFalse();
            assertThat(q.isEmpty()).isTrue();
            q.putNowait("y");
        });
    }

    @Test
    void aCancelledWaitingPutterLeavesTheQueue() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("x");
            Task<Void> first = Async.createTask(() -> q.put("p1"));
            Task<Void> second = Async.createTask(() -> q.put("p2"));
            yieldUntil(() -> q.putterCount() == 2);
            first.cancel();
            assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
            assertThat(q.putterCount()).isEqualTo(1);
            assertThat(q.get()).isEqualTo("x");
            second.await();
            assertThat(q.getNowait()).isEqualTo("p2");
        });
    }

    // ============================================================ misuse

    @Test
    void aQueueIsBoundToTheLoopThatFirstUsesIt() throws Exception {
        Queue<String> q = new Queue<>();
        virtual(() -> q.putNowait("a"));
        virtual(() -> assertThatThrownBy(q::getNowait).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Queue.getNowait").hasMessageContaining("another event loop"));
    }

    @Test
    void outsideAnyLoopIsAClearError() throws Exception {
        Queue<String> q = new Queue<>();
        assertThatThrownBy(Async::loop).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> q.putNowait("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Queue.putNowait").hasMessageContaining("running event loop");
        CompletableFuture<Throwable> fromThread = new CompletableFuture<>();
        virtual(() -> {
            q.putNowait("a");
            Thread t = new Thread(() -> fromThread.complete(catchThrowable(q::size)));
            t.start();
            t.join();
        });
        assertThat(fromThread.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Queue.size").hasMessageContaining("running event loop");
    }

    @Test
    void getFromAPlainCallbackIsAClearError() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>();
            CompletableFuture<Throwable> seen = new CompletableFuture<>();
            Async.loop().callSoon(() -> seen.complete(catchThrowable(q::get)));
            Async.yieldNow();
            assertThat(seen.getNow(null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Queue.get").hasMessageContaining("inside a task");
        });
    }

    @Test
    void theJavadocProducerConsumerExampleWorks() throws Exception {
        virtual(() -> {
            List<String> prepared = new ArrayList<>();
            Queue<String> orders = new Queue<>(10);
            Task<Void> cook = Async.createTask(() -> {
                while (true) {
                    String order = orders.get();
                    try {
                        Async.sleep(Duration.ofSeconds(1));
                        prepared.add(order);
                    } finally {
                        orders.taskDone();
                    }
                }
            });
            for (String order : List.of("soup", "salad", "pie")) {
                orders.put(order);
            }
            orders.join();
            cook.cancel();
            assertThat(prepared).containsExactly("soup", "salad", "pie");
            assertThat(Async.loop().time()).isEqualTo(Duration.ofSeconds(3).toNanos());
        });
    }

    // ============================================================ consume(): an async iterator view

    @Test
    void consumeIteratesUntilTheQueueIsShutDownAndEmpty() throws Exception {
        Script s = new Script();
        virtual(() -> {
            Queue<String> orders = new Queue<>(2);
            List<String> cooked = new ArrayList<>();
            Task<Void> cook = Async.createTask(() -> {
                s.expect(1);
                for (String order : orders.consume()) {
                    Async.sleep(Duration.ofMillis(10));
                    cooked.add(order + " at " + Async.loop().time() / 1_000_000 + " ms");
                    orders.taskDone();
                }
                s.expect(3);
            });
            for (String order : List.of("soup", "salad", "pie")) {
                orders.put(order);
            }
            orders.shutdown();
            s.expect(2);
            orders.join();
            cook.await();
            s.finish(4);
            assertThat(cooked).containsExactly("soup at 10 ms", "salad at 20 ms", "pie at 30 ms");
        });
        s.assertFinished();
    }

    @Test
    void closingAConsumerGivesTheItemHasNextTookBackAtItsPlace() throws Exception {
        virtual(() -> {
            Queue<String> q = new Queue<>(2);
            q.putNowait("a");
            q.putNowait("b");
            AsyncIterable<String> c = q.consume();
            try (c) {
                for (String item : c) {
                    assertThat(item).isEqualTo("a");
                    break;
                }
                q.putNowait("c");
                AsyncIterator<String> it = c.iterator();
                assertThat(it.hasNext()).isTrue();               // takes "b" and holds it
                assertThat(q.size()).isEqualTo(1);
                assertThat(q.isFull()).as("the held item keeps its slot").isTrue();
                assertThatThrownBy(() -> q.putNowait("x")).isInstanceOf(QueueFullException.class);
            }                                                    // close(): "b" goes back
            assertThat(q.size()).isEqualTo(2);
            assertThat(c.iterator().hasNext()).as("closed: ended").isFalse();
            assertThat(List.of(q.getNowait(), q.getNowait())).containsExactly("b", "c");
        });
    }

    @Test
    void aConsumerCancelledWhileWaitingMovesNoItemAndShutdownEndsTheOthers() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>();
            List<Integer> got = new ArrayList<>();
            Task<Void> first = Async.createTask(() -> {
                for (int n : q.consume()) {
                    got.add(n);
                }
            });
            Task<Void> second = Async.createTask(() -> {
                for (int n : q.consume()) {
                    got.add(-n);
                }
            });
            yieldUntil(() -> q.getterCount() == 2);
            first.cancel();
            q.putNowait(7);                                     // same pass: first was not handed it
            yieldUntil(() -> got.size() == 1);
            assertThat(got).containsExactly(-7);
            assertThat(first.isCancelled()).isTrue();
            q.shutdown(true);
            second.await();                                     // ends normally: the loop was left
            assertThat(q.getterCount()).isZero();
        });
    }

    @Test
    void consumeMisuseIsAClearError() throws Exception {
        virtual(() -> {
            Queue<Integer> q = new Queue<>();
            AsyncIterator<Integer> shared = q.consume().iterator();
            Task<Boolean> waiting = Async.createTask(shared::hasNext);
            yieldUntil(() -> q.getterCount() == 1);
            assertThatThrownBy(shared::hasNext).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("each consuming task calls consume()");
            q.putNowait(1);
            assertThat(waiting.await()).isTrue();
            assertThat(shared.next()).isEqualTo(1);
            q.shutdown();
            assertThat(shared.hasNext()).isFalse();
            assertThatThrownBy(shared::next).isInstanceOf(java.util.NoSuchElementException.class);
        });
        Queue<Integer> q = new Queue<>();
        assertThatThrownBy(q::consume).isInstanceOf(IllegalStateException.class).hasMessageContaining("running event loop");
    }
}
