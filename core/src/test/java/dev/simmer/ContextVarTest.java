package dev.simmer;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContextVarTest {
    private static final ContextVar<String> REQUEST = new ContextVar<>("request");
    private static final ContextVar<Integer> DEPTH = new ContextVar<>("depth", 0);

    @Test
    void aTaskStartsWithACopyOfItsCreatorsContext() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            REQUEST.set("r-1");
            Task<Void> child = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(10));
                log.add("child sees " + REQUEST.get());
            });
            REQUEST.set("r-2"); // after the child was created: it keeps r-1
            child.await();
            log.add("parent sees " + REQUEST.get());
        });
        assertThat(log).containsExactly("child sees r-1", "parent sees r-2");
    }

    @Test
    void aChildsSetIsInvisibleToItsParentAndSiblings() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            REQUEST.set("parent");
            Task<Void> a = Async.createTask(() -> {
                REQUEST.set("a");
                Async.sleep(Duration.ofMillis(10));
                log.add("a: " + REQUEST.get());
            });
            Task<Void> b = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(5));
                log.add("b: " + REQUEST.get());
                REQUEST.set("b");
                Async.yieldNow();
                log.add("b after set: " + REQUEST.get());
            });
            Async.gather(a, b);
            log.add("parent: " + REQUEST.get());
        });
        assertThat(log).containsExactly("b: parent", "b after set: b", "a: a", "parent: parent");
    }

    @Test
    void eachTaskKeepsItsValueAcrossSuspensionsWhileOthersInterleave() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                tasks.add(Async.createTask(() -> {
                    REQUEST.set("req-" + n);
                    for (int k = 0; k < 5; k++) {
                        Async.sleep(Duration.ofMillis((n * 7 + k * 3) % 11));
                        if (!REQUEST.get().equals("req-" + n)) {
                            log.add("task " + n + " saw " + REQUEST.get());
                        }
                    }
                }));
            }
            Async.gather(tasks);
        });
        assertThat(log).isEmpty();
    }

    @Test
    void defaultsAndMissingValues() throws Exception {
        Loops.virtual(() -> {
            assertThat(DEPTH.get()).isZero();
            assertThat(REQUEST.get("none")).isEqualTo("none");
            assertThatThrownBy(REQUEST::get).isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("request").hasMessageContaining("no value");
            REQUEST.set(null);
            assertThat(REQUEST.get()).isNull(); // null is a value
        });
    }

    @Test
    void resetRestoresThePreviousValueAndWithScopesIt() throws Exception {
        Loops.virtual(() -> {
            ContextVar.Token<Integer> t1 = DEPTH.set(1);
            ContextVar.Token<Integer> t2 = DEPTH.set(2);
            DEPTH.reset(t2);
            assertThat(DEPTH.get()).isEqualTo(1);
            DEPTH.reset(t1);
            assertThat(DEPTH.get()).isZero(); // back to "never set": the default
            String inside = REQUEST.with("scoped", () -> {
                Async.yieldNow();
                return REQUEST.get();
            });
            assertThat(inside).isEqualTo("scoped");
            assertThat(REQUEST.get("unset")).isEqualTo("unset");
            assertThatThrownBy(() -> DEPTH.reset(new ContextVar.Token<>(new ContextVar<>("other"), false, null)))
                    .isInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void callbacksSeeTheLoopsOwnContextAndEachRunStartsEmpty() throws Exception {
        List<String> log = new ArrayList<>();
        Loops.virtual(() -> {
            REQUEST.set("main's");
            Async.loop().callSoon(() -> log.add("callback: " + REQUEST.get("none")));
            Async.yieldNow();
        });
        Loops.virtual(() -> {
            log.add("next run: " + REQUEST.get("none"));
        });
        assertThat(log).containsExactly("callback: none", "next run: none");
    }

    @Test
    void outsideALoopIsAClearError() {
        assertThatThrownBy(REQUEST::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("ContextVar.get");
        assertThatThrownBy(() -> REQUEST.set("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ContextVar.set");
    }
}
