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
            Engine.Fiber[] self = new Engine.Fiber[1];
            self[0] = engine.newFiber(new Engine.Body() {
                @Override
                public void run() {
                    log.add("one");
                    self[0].suspend();
                    log.add("two");
                    self[0].suspend();
                    log.add("three");
                }

                @Override
                public String name() {
                    return "test";
                }
            });
            assertThat(log).as(engine.kind() + ": creating runs nothing").isEmpty();
            assertThat(self[0].resume()).isFalse();
            assertThat(log).containsExactly("one");
            assertThat(self[0].stackTrace()).as(engine.kind() + ": suspended stack").isNotEmpty();
            assertThat(self[0].resume()).isFalse();
            assertThat(self[0].resume()).as(engine.kind() + ": finished").isTrue();
            assertThat(log).containsExactly("one", "two", "three");
        }
    }
}
