package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncGeneratorTest {

    /** Emits 0, 1, 2, ... forever; logs when its finally block (which suspends) is done. */
    private static AsyncGenerator<Integer> naturals(List<String> log) {
        return AsyncIterable.generate(out -> {
            try {
                for (int i = 0; ; i++) {
                    out.emit(i);
                }
            } finally {
                Async.sleep(Duration.ofMillis(10));
                log.add("producer finally at " + Loops.nowMillis() + " ms");
            }
        });
    }

    @Test
    void theBodyIsLazyAndProducesOnlyOnDemand() throws Exception {
        Script s = new Script();
        Loops.virtual(() -> {
            AsyncIterator<String> it = AsyncIterable.<String>generate(out -> {
                s.expect(2);
                out.emit("a");
                s.expect(5);
                out.emit("b");
                s.expect(7);
            }).iterator();
            Async.sleep(Duration.ofSeconds(1)); // nothing runs before the first hasNext()
            s.expect(1);
            assertThat(it.hasNext()).isTrue();
            s.expect(3);
            assertThat(it.hasNext()).isTrue(); // idempotent: does not advance
            Async.sleep(Duration.ofSeconds(1)); // the producer stays parked in emit("a")
            assertThat(it.next()).isEqualTo("a");
            s.expect(4);
            assertThat(it.next()).isEqualTo("b");
            s.expect(6);
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
            s.finish(8);
        });
        s.assertFinished();
    }

    @Test
    void leavingEarlyInsideTryWithResourcesEndsTheProducerBeforeTheBlockIsLeft() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            try (AsyncGenerator<Integer> numbers = naturals(log)) {
                for (int n : numbers) {
                    if (n == 2) {
                        break;
                    }
                }
                log.add("loop left at " + Loops.nowMillis() + " ms");
            }
            log.add("block left at " + Loops.nowMillis() + " ms");
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
        assertThat(log).containsExactly("loop left at 0 ms", "producer finally at 10 ms", "block left at 10 ms");
    }

    @Test
    void closingTheIteratorEndsTheProducer() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            try (AsyncIterator<Integer> it = naturals(log).iterator()) {
                assertThat(it.next()).isZero();
                assertThat(it.next()).isOne();
            }
            log.add("closed at " + Loops.nowMillis() + " ms");
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
        assertThat(log).containsExactly("producer finally at 10 ms", "closed at 10 ms");
    }

    @Test
    void leavingEarlyWithoutClosingEndsTheProducerWhenTheConsumingTaskEnds() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncGenerator<Integer> numbers = naturals(log);
            Task<Void> consumer = Async.createTask("consumer", () -> {
                for (int n : numbers) {
                    if (n == 2) {
                        break;
                    }
                }
                Async.sleep(Duration.ofSeconds(1)); // the producer stays parked meanwhile
                log.add("consumer done at " + Loops.nowMillis() + " ms");
            });
            Async.sleep(Duration.ofMillis(500));
            assertThat(Async.loop().tasks()).extracting(Task::name).containsExactly("main", "consumer",
                    "consumer/generator");
            consumer.await();
            Async.sleep(Duration.ofMillis(100));
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
        assertThat(log).containsExactly("consumer done at 1000 ms", "producer finally at 1010 ms");
    }

    @Test
    void aFailureOfTheBodyIsRethrownUnchangedAfterTheElementsBeforeIt() throws Exception {
        IOException boom = new IOException("boom");
        List<Object> seen = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncIterator<Integer> it = AsyncIterable.<Integer>generate(out -> {
                out.emit(1);
                Async.sleep(Duration.ofMillis(10));
                throw boom;
            }).iterator();
            try {
                while (it.hasNext()) {
                    seen.add(it.next());
                }
            } catch (Exception e) {
                seen.add(e);
            }
            assertThat(it.hasNext()).isFalse(); // the iteration is over
            it.close();                         // and closing has nothing more to say
        });
        assertThat(seen).containsExactly(1, boom);
    }

    @Test
    void cancellingTheConsumerWhileItWaitsEndsTheProducerFirst() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncIterable<Integer> slow = AsyncIterable.generate(out -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    out.emit(1);
                } finally {
                    Async.sleep(Duration.ofMillis(100));
                    log.add("producer cleaned up at " + Loops.nowMillis() + " ms");
                }
            });
            Task<Void> consumer = Async.createTask(() -> {
                try {
                    for (int n : slow) {
                        log.add("got " + n);
                    }
                } catch (CancelledException e) {
                    log.add("consumer cancelled at " + Loops.nowMillis() + " ms");
                    throw e;
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            consumer.cancel();
            assertThatThrownBy(consumer::await).isInstanceOf(CancelledException.class);
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
        assertThat(log).containsExactly("producer cleaned up at 1100 ms", "consumer cancelled at 1100 ms");
    }

    @Test
    void aTimeoutAroundTheLoopStopsTheProducerAndIsReportedAsATimeout() throws Exception {
        List<String> log = new ArrayList<>();
        List<Integer> got = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncIterable<Integer> ticks = AsyncIterable.generate(out -> {
                try {
                    for (int i = 1; ; i++) {
                        Async.sleep(Duration.ofSeconds(1));
                        out.emit(i);
                    }
                } finally {
                    log.add("producer stopped at " + Loops.nowMillis() + " ms");
                }
            });
            assertThatThrownBy(() -> Async.timeout(Duration.ofMillis(2500), () -> {
                for (int n : ticks) {
                    got.add(n);
                }
            })).isInstanceOf(AsyncTimeoutException.class);
            assertThat(Async.currentTask().cancelling()).isZero();
        });
        assertThat(got).containsExactly(1, 2);
        assertThat(log).containsExactly("producer stopped at 2500 ms");
    }

    @Test
    void eachIteratorRunsTheBodyAfresh() throws Exception {
        Loops.virtual(() -> {
            int[] runs = {0};
            AsyncIterable<Integer> gen = AsyncIterable.generate(out -> {
                runs[0]++;
                out.emit(1);
                out.emit(2);
            });
            List<Integer> all = new ArrayList<>();
            for (int n : gen) {
                all.add(n);
            }
            for (int n : gen) {
                all.add(n);
            }
            assertThat(all).containsExactly(1, 2, 1, 2);
            assertThat(runs[0]).isEqualTo(2);
        });
    }

    @Test
    void anEmptyGeneratorHasNoElements() throws Exception {
        Loops.virtual(() -> {
            AsyncIterator<Object> it = AsyncIterable.generate(out -> { }).iterator();
            assertThat(it.hasNext()).isFalse();
            assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        });
    }

    @Test
    void closingBeforeTheFirstHasNextRunsNothing() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncIterator<Integer> it = naturals(log).iterator();
            it.close();
            assertThat(it.hasNext()).isFalse();
            Async.yieldNow();
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
        assertThat(log).isEmpty();
    }

    @Test
    void aFailureInTheProducersCleanupIsRethrownByClose() throws Exception {
        IllegalStateException cleanup = new IllegalStateException("cleanup failed");
        Loops.virtual(() -> {
            AsyncIterator<Integer> it = AsyncIterable.<Integer>generate(out -> {
                try {
                    out.emit(1);
                    out.emit(2);
                } finally {
                    Async.sleep(Duration.ofMillis(1));
                    throw cleanup;
                }
            }).iterator();
            assertThat(it.next()).isOne();
            assertThatThrownBy(it::close).isSameAs(cleanup);
            it.close(); // once
        });
    }

    @Test
    void aBodyThatKeepsEmittingAfterItWasClosedIsAnError() throws Exception {
        Loops.virtual(() -> {
            AsyncIterator<Integer> it = AsyncIterable.<Integer>generate(out -> {
                try {
                    out.emit(1);
                } catch (CancelledException e) {
                    out.emit(2); // Python: "async generator ignored GeneratorExit"
                }
            }).iterator();
            assertThat(it.next()).isOne();
            assertThatThrownBy(it::close).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("emitted after it was closed");
        });
    }

    @Test
    void emitFromAnotherTaskIsAnError() throws Exception {
        Loops.virtual(() -> {
            AsyncIterator<Integer> it = AsyncIterable.<Integer>generate(out -> {
                Task<Void> helper = Async.createTask(() -> out.emit(1));
                helper.await();
            }).iterator();
            assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("generator's own body");
        });
    }

    @Test
    void aSecondConsumerWhileOneWaitsIsAnError() throws Exception {
        Loops.virtual(() -> {
            AsyncIterator<Integer> it = AsyncIterable.<Integer>generate(out -> {
                Async.sleep(Duration.ofSeconds(1));
                out.emit(1);
            }).iterator();
            Task<Boolean> first = Async.createTask(it::hasNext);
            Async.sleep(Duration.ofMillis(10));
            assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already waiting");
            assertThat(first.await()).isTrue();
            // The run belongs to the task that started it: that task has ended, so has the producer.
            Async.yieldNow();
            assertThat(it.hasNext()).isFalse();
            assertThat(Async.loop().tasks()).containsExactly(Async.currentTask());
        });
    }

    @Test
    void closingFromAnotherTaskEndsTheWaitingConsumersLoop() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncGenerator<Integer> gen = AsyncIterable.generate(out -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    out.emit(1);
                } finally {
                    log.add("producer stopped at " + Loops.nowMillis() + " ms");
                }
            });
            Task<Integer> consumer = Async.createTask(() -> {
                int count = 0;
                for (int n : gen) {
                    count++;
                }
                return count;
            });
            Async.sleep(Duration.ofSeconds(1));
            gen.close();
            assertThat(consumer.await()).isZero();
            log.add("consumer ended at " + Loops.nowMillis() + " ms");
        });
        assertThat(log).containsExactly("producer stopped at 1000 ms", "consumer ended at 1000 ms");
    }

    @Test
    void manyElementsAndManyRunsInOneLongLivedConsumer() throws Exception {
        Loops.virtual(() -> {
            AsyncIterable<Integer> upTo = AsyncIterable.generate(out -> {
                for (int i = 1; i <= 10_000; i++) {
                    out.emit(i);
                }
            });
            long sum = 0;
            for (int n : upTo) {
                sum += n;
            }
            assertThat(sum).isEqualTo(10_000L * 10_001 / 2);
            for (int run = 0; run < 1_000; run++) {
                for (int n : upTo) {
                    if (n == 3) {
                        break; // each abandoned producer stays parked until this task ends
                    }
                }
            }
            assertThat(Async.loop().tasks()).hasSize(1_001);
        });
    }

    @Test
    void outsideALoopIsAClearError() {
        AsyncIterator<Integer> it = AsyncIterable.<Integer>generate(out -> out.emit(1)).iterator();
        assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AsyncIterator.hasNext");
    }
}
