package dev.simmer.internal;

import dev.simmer.EngineKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnginesTest {

    @Test
    void theForcedEngineIsTheSelectedOne() {
        String forced = System.getProperty(Engines.PROPERTY);
        if ("threads".equals(forced)) {
            assertThat(Engines.selected().kind()).isEqualTo(EngineKind.THREADS);
        } else if ("continuation".equals(forced)) {
            assertThat(Engines.selected().kind()).isEqualTo(EngineKind.CONTINUATION);
        }
    }

    @Test
    void automaticChoiceTakesTheFastPathWhenItIsAccessible() {
        EngineKind expected = Engines.continuationsAvailable() ? EngineKind.CONTINUATION : EngineKind.THREADS;
        assertThat(Engines.choose(null).kind()).isEqualTo(expected);
        assertThat(Engines.choose("auto").kind()).isEqualTo(expected);
        assertThat(Engines.choose("threads").kind()).isEqualTo(EngineKind.THREADS);
    }

    @Test
    void anUnknownEngineIsAClearError() {
        assertThatThrownBy(() -> Engines.choose("fibers"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fibers")
                .hasMessageContaining("continuation")
                .hasMessageContaining("threads");
    }

    @Test
    void forcingTheFastPathWithoutTheExportSaysWhichFlagToAdd() {
        if (Engines.continuationsAvailable()) {
            assertThat(Engines.choose("continuation").kind()).isEqualTo(EngineKind.CONTINUATION);
        } else {
            assertThatThrownBy(() -> Engines.choose("continuation"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED")
                    .hasMessageContaining("Add-Exports");
        }
    }

    @Test
    void bothEnginesRunAFiberToCompletionThroughSuspensions() {
        List<Engine> engines = new ArrayList<>();
        engines.add(ThreadEngine.INSTANCE);
        if (Engines.continuationsAvailable()) {
            engines.add(ContinuationEngine.INSTANCE);
        }
        for (Engine engine : engines) {
            List<String> log = new ArrayList<>();
            Engine.Fiber fiber = new Engine.Fiber() {
                @Override
                public void run() {
                    log.add("one");
                    engine.suspend(this);
                    log.add("two");
                    engine.suspend(this);
                    log.add("three");
                }

                @Override
                public String name() {
                    return "test";
                }
            };
            assertThat(log).as(engine.kind() + ": making a fiber runs nothing").isEmpty();
            assertThat(engine.resume(fiber)).isFalse();
            assertThat(log).containsExactly("one");
            assertThat(engine.stackTrace(fiber)).as(engine.kind() + ": suspended stack").isNotEmpty();
            assertThat(engine.resume(fiber)).isFalse();
            assertThat(engine.resume(fiber)).as(engine.kind() + ": finished").isTrue();
            assertThat(log).containsExactly("one", "two", "three");
        }
    }
}
