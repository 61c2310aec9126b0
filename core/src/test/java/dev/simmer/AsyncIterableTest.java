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
}
