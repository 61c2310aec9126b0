package dev.simmer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExitStackTest {

    /** A resource whose close takes {@code closeMillis} of loop time and logs when it is done. */
    private static final class Conn implements AutoCloseable {
        final String name;
        final long closeMillis;
        final List<String> log;

        Conn(String name, long closeMillis, List<String> log) {
            this.name = name;
            this.closeMillis = closeMillis;
            this.log = log;
        }

        static Conn open(String name, List<String> log) {
            Async.sleep(Duration.ofMillis(100));
            log.add("open " + name);
            return new Conn(name, 10, log);
        }

        @Override
        public void close() {
            Async.sleep(Duration.ofMillis(closeMillis));
            log.add("close " + name + " at " + Loops.nowMillis() + " ms");
        }
    }

    @Test
    void closesInReverseOrderAndEachCloseMaySuspend() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            try (ExitStack stack = new ExitStack()) {
                Conn a = stack.enter(() -> Conn.open("a", log));
                stack.push(new Conn("b", 10, log));
                stack.callback(() -> {
                    Async.sleep(Duration.ofMillis(10));
                    log.add("callback at " + Loops.nowMillis() + " ms");
                });
                String c = stack.enter(() -> "c", v -> {
                    Async.sleep(Duration.ofMillis(10));
                    log.add("close " + v + " at " + Loops.nowMillis() + " ms");
                });
                assertThat(a.name + c).isEqualTo("ac");
                assertThat(stack.size()).isEqualTo(4);
                log.add("body at " + Loops.nowMillis() + " ms");
            }
        });
        assertThat(log).containsExactly("open a", "body at 100 ms", "close c at 110 ms", "callback at 120 ms",
                "close b at 130 ms", "close a at 140 ms");
    }

    @Test
    void everyCloseIsAttemptedAndTheFirstFailureIsThrownWithTheOthersSuppressed() {
        List<String> log = new ArrayList<>();
        IOException first = new IOException("first to fail (pushed last)");
        IllegalStateException second = new IllegalStateException("second");
        assertThatThrownBy(() -> Loops.virtual(() -> {
            try (ExitStack stack = new ExitStack()) {
                stack.callback(() -> log.add("bottom closed"));
                stack.callback(() -> {
                    Async.sleep(Duration.ofMillis(10));
                    throw second;
                });
                stack.callback(() -> log.add("middle closed"));
                stack.callback(() -> {
                    throw first;
                });
            }
        })).isSameAs(first).satisfies(e -> assertThat(e.getSuppressed()).containsExactly(second));
        assertThat(log).containsExactly("middle closed", "bottom closed");
    }

    @Test
    void theBodysExceptionStaysPrimary() {
        IOException body = new IOException("body");
        IOException close = new IOException("close");
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> Loops.virtual(() -> {
            try (ExitStack stack = new ExitStack()) {
                stack.callback(() -> log.add("closed"));
                stack.callback(() -> {
                    throw close;
                });
                throw body;
            }
        })).isSameAs(body).satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                .isSameAs(close));
        assertThat(log).containsExactly("closed");
    }

    @Test
    void aResourceWhoseOpeningFailsIsNotPushedAndTheOthersAreClosed() {
        IOException refused = new IOException("refused");
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> Loops.virtual(() -> {
            try (ExitStack stack = new ExitStack()) {
                stack.enter(() -> Conn.open("a", log));
                stack.enter(() -> {
                    Async.sleep(Duration.ofMillis(5));
                    throw refused;
                }, v -> log.add("must not close what never opened"));
                log.add("never");
            }
        })).isSameAs(refused);
        assertThat(log).containsExactly("open a", "close a at 115 ms");
    }

    @Test
    void afterACancellationEveryCloseStillSuspendsAndCompletes() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try (ExitStack stack = new ExitStack()) {
                    stack.enter(() -> Conn.open("a", log));
                    stack.enter(() -> Conn.open("b", log));
                    Async.sleep(Duration.ofHours(1));
                }
            });
            Async.sleep(Duration.ofSeconds(1));
            t.cancel();
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            assertThat(t.isCancelled()).isTrue();
        });
        assertThat(log).containsExactly("open a", "open b", "close b at 1010 ms", "close a at 1020 ms");
    }

    @Test
    void aCancellationArrivingDuringOneCloseCutsThatCloseShortOnlyAndWins() throws Exception {
        // asyncio delivers it at the close's wait; the entries below still close, and their waits
        // work; the CancelledException outranks a plain close failure so the task ends cancelled.
        List<String> log = new ArrayList<>();
        IOException plain = new IOException("bottom close failed");
        Loops.virtual(() -> {
            Task<Void> t = Async.createTask(() -> {
                try (ExitStack stack = new ExitStack()) {
                    stack.callback(() -> {
                        Async.sleep(Duration.ofMillis(100));
                        log.add("bottom waited until " + Loops.nowMillis() + " ms");
                        throw plain;
                    });
                    stack.callback(() -> {
                        try {
                            Async.sleep(Duration.ofSeconds(1));
                            log.add("never");
                        } catch (CancelledException e) {
                            log.add("top cut short at " + Loops.nowMillis() + " ms");
                            throw e;
                        }
                    });
                    log.add("body done");
                }
            });
            Async.sleep(Duration.ofMillis(500));
            t.cancel("during close");
            Throwable e = catchIt(t::await);
            assertThat(e).isInstanceOf(CancelledException.class).hasMessage("during close");
            assertThat(t.isCancelled()).isTrue();
        });
        assertThat(log).containsExactly("body done", "top cut short at 500 ms", "bottom waited until 600 ms");
    }

    @Test
    void popAllKeepsTheResourcesOpenPastTheBlock() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            ExitStack kept;
            try (ExitStack stack = new ExitStack()) {
                stack.enter(() -> Conn.open("a", log));
                stack.enter(() -> Conn.open("b", log));
                kept = stack.popAll();
                assertThat(stack.size()).isZero();
            }
            log.add("block left");
            kept.close();
        });
        assertThat(log).containsExactly("open a", "open b", "block left", "close b at 210 ms", "close a at 220 ms");
    }

    @Test
    void closingAgainClosesNothingTwiceAndTheStackCanBeReused() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            ExitStack stack = new ExitStack();
            stack.callback(() -> log.add("one"));
            stack.close();
            stack.close();
            stack.callback(() -> log.add("two"));
            stack.close();
            AutoCloseable none = stack.push(null); // ignored, as try-with-resources ignores null
            assertThat(none).isNull();
            stack.close();
        });
        assertThat(log).containsExactly("one", "two");
    }

    @Test
    void outsideALoopIsAClearError() {
        assertThatThrownBy(ExitStack::new).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("new ExitStack()");
    }

    private static Throwable catchIt(AsyncCallable<?> body) {
        try {
            body.call();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    @Test
    void closeDeclaresNoCheckedExceptionAndRethrowsACheckedFailureUnchanged() throws Exception {
        java.io.IOException failure = new java.io.IOException("disk gone");
        Loops.virtual(() -> {
            ExitStack stack = new ExitStack();
            stack.callback(() -> {
                throw failure;
            });
            Runnable close = stack::close; // compiles: close() throws nothing checked
            assertThatThrownBy(close::run).isSameAs(failure);
            AsyncResource<String> r = AsyncResource.of(() -> "x", x -> {
                throw failure;
            });
            Runnable closeResource = r::close;
            assertThatThrownBy(closeResource::run).isSameAs(failure);
        });
    }
}
