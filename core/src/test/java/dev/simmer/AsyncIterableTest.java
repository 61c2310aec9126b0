package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AsyncIterableTest {

    /**
     * The seed's Countdown, "implementing the async iterator protocol": counts down from
     * {@code start} to 1, sleeping before each element.
     */
    static final class Countdown implements AsyncIterable<Integer> {
        private final int start;

        Countdown(int start) {
            this.start = start;
        }

        @Override
        public AsyncIterator<Integer> iterator() {
            return new AsyncIterator<>() {
                private int current = start;

                @Override
                public boolean hasNext() {
                    return current > 0;
                }

                @Override
                public Integer next() {
                    if (current <= 0) {
                        throw new NoSuchElementException(); // StopAsyncIteration
                    }
                    Async.sleep(Duration.ofMillis(100));
                    return current--;
                }
            };
        }
    }

    @Test
    void theSeedsCountdownWorksWithTheEnhancedForLoop() throws Exception {
        List<String> printed = new ArrayList<>();
        Loops.virtual(() -> {
            for (int n : new Countdown(3)) {
                printed.add(n + " at " + Loops.nowMillis() + " ms");
            }
        });
        assertThat(printed).containsExactly("3 at 100 ms", "2 at 200 ms", "1 at 300 ms");
    }

    @Test
    void twoCountdownsInTwoTasksInterleave() throws Exception {
        List<String> printed = new ArrayList<>();
        Loops.virtual(() -> Async.gather(
                () -> {
                    for (int n : new Countdown(2)) {
                        printed.add("a" + n);
                    }
                },
                () -> {
                    for (int n : new Countdown(2)) {
                        printed.add("b" + n);
                    }
                }));
        assertThat(printed).containsExactly("a2", "b2", "a1", "b1");
    }

    @Test
    void aGeneratedCountdownPrintsTheSame() throws Exception {
        List<String> printed = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncIterable<Integer> countdown = AsyncIterable.generate(out -> {
                for (int n = 3; n > 0; n--) {
                    Async.sleep(Duration.ofMillis(100));
                    out.emit(n);
                }
            });
            for (int n : countdown) {
                printed.add(n + " at " + Loops.nowMillis() + " ms");
            }
        });
        assertThat(printed).containsExactly("3 at 100 ms", "2 at 200 ms", "1 at 300 ms");
    }

    @Test
    void theDefaultCloseHasNothingToRelease() throws Exception {
        Loops.virtual(() -> {
            try (AsyncIterator<Integer> it = new Countdown(2).iterator()) {
                assertThat(it.next()).isEqualTo(2);
            }
        });
    }

    /** A countdown written as a generator whose finally block logs; stored as a plain AsyncIterable. */
    private static AsyncIterable<Integer> countdown(int start, List<String> log) {
        return AsyncIterable.generate(out -> {
            try {
                for (int n = start; n > 0; n--) {
                    Async.sleep(Duration.ofMillis(100));
                    out.emit(n);
                }
            } finally {
                log.add("generator finally at " + Loops.nowMillis() + " ms");
            }
        });
    }

    @Test
    void aGeneratorStoredAsAnAsyncIterableStillClosesInTryWithResources() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            try (AsyncIterable<Integer> numbers = countdown(5, log)) {
                for (int n : numbers) {
                    log.add("got " + n);
                    if (n == 4) {
                        break;
                    }
                }
            }
            log.add("after the block at " + Loops.nowMillis() + " ms");
        });
        assertThat(log).containsExactly("got 5", "got 4", "generator finally at 200 ms", "after the block at 200 ms");
    }

    @Test
    void toListTakeAndFirstCollectAndCloseTheirIterator() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            AsyncIterable<Integer> numbers = countdown(3, log);
            assertThat(numbers.toList()).containsExactly(3, 2, 1);
            assertThat(numbers.take(2)).containsExactly(3, 2);
            assertThat(numbers.take(5)).containsExactly(3, 2, 1);
            assertThat(numbers.take(0)).isEmpty();
            assertThat(numbers.first()).isEqualTo(3);
            assertThat(log).as("each run ended before the call returned (take(0) never started one)").hasSize(4);
            assertThat(new Countdown(3).toList()).containsExactly(3, 2, 1);
            assertThatThrownBy(() -> new Countdown(0).first()).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(() -> numbers.take(-1)).isInstanceOf(IllegalArgumentException.class);
        });
        assertThat(log).containsExactly("generator finally at 300 ms", "generator finally at 500 ms",
                "generator finally at 800 ms", "generator finally at 900 ms");
    }

    @Test
    void toListClosesTheIteratorWhenAnElementFails() throws Exception {
        List<String> log = new ArrayList<>();
        IllegalStateException broken = new IllegalStateException("broken");
        Loops.virtual(() -> {
            AsyncIterable<Integer> failing = () -> new AsyncIterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    throw broken;
                }

                @Override
                public void close() {
                    log.add("closed");
                }
            };
            assertThatThrownBy(failing::toList).isSameAs(broken);
        });
        assertThat(log).containsExactly("closed");
    }

    /** Python's "__aiter__ returns self": one object is the iterable and its iterator. */
    static final class SelfCountdown implements AsyncIterable<Integer>, AsyncIterator<Integer> {
        private int current;
        boolean closed;

        SelfCountdown(int start) {
            current = start;
        }

        @Override
        public AsyncIterator<Integer> iterator() {
            return this;
        }

        @Override
        public boolean hasNext() {
            return !closed && current > 0;
        }

        @Override
        public Integer next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Async.sleep(Duration.ofMillis(100));
            return current--;
        }

        @Override
        public void close() { // both interfaces give a default: a self-iterator picks one meaning
            closed = true;
        }
    }

    @Test
    void anIterableThatIsItsOwnIteratorGoesOnWhereItIsAndClosesOnce() throws Exception {
        Loops.virtual(() -> {
            SelfCountdown c = new SelfCountdown(4);
            assertThat(c.first()).isEqualTo(4);
            assertThat(c.closed).isTrue();
            SelfCountdown d = new SelfCountdown(3);
            assertThat(d.next()).isEqualTo(3);
            List<Integer> rest = new ArrayList<>();
            for (int n : d) {
                rest.add(n);
            }
            assertThat(rest).containsExactly(2, 1);
        });
    }

    @Test
    void theDefaultCloseOfAnIterableHasNothingToRelease() throws Exception {
        Loops.virtual(() -> {
            try (AsyncIterable<Integer> c = new Countdown(1)) {
                assertThat(c.toList()).containsExactly(1);
            }
        });
    }
}
