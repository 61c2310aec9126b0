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
                    .hasMessageContaining("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED");
        }
    }

    @Test
    void eachWayOfLoadingSimmerGetsItsOwnFlag() {
        assertThat(Engines.flag(Engines.Loading.CLASS_PATH)).isEqualTo("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED");
        assertThat(Engines.flag(Engines.Loading.MODULE_PATH)).isEqualTo("--add-exports java.base/jdk.internal.vm=dev.simmer");
        assertThat(Engines.fallbackNotice(Engines.Loading.CLASS_PATH, false)).isEqualTo(
                "Simmer runs on its portable 'threads' engine, several times slower than its fast path, because"
                        + " java.base does not export jdk.internal.vm to it. For the fast path, add the JVM flag"
                        + " --add-exports java.base/jdk.internal.vm=ALL-UNNAMED. To choose the portable engine and"
                        + " silence this notice, run with -Dsimmer.engine=threads.");
        assertThat(Engines.fallbackNotice(Engines.Loading.MODULE_PATH, false))
                .contains("add the JVM flag --add-exports java.base/jdk.internal.vm=dev.simmer (Simmer is on the module"
                        + " path, in the named module dev.simmer).")
                .doesNotContain("ALL-UNNAMED")
                .contains("-Dsimmer.engine=threads");
        assertThat(Engines.fallbackNotice(Engines.Loading.EXECUTABLE_JAR, false))
                .contains("add the line 'Add-Exports: java.base/jdk.internal.vm' to the executable jar's manifest")
                .contains("-Dsimmer.engine=threads");
        assertThat(Engines.fallbackNotice(Engines.Loading.CLASS_PATH_OR_JAR, false))
                .contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED")
                .contains("'Add-Exports: java.base/jdk.internal.vm'");
    }

    @Test
    void aModularAppThatGaveTheClassPathFlagIsToldItDoesNotReachTheModule() {
        String error = Engines.forcedButInaccessible(Engines.Loading.MODULE_PATH, true);
        assertThat(error)
                .startsWith("-Dsimmer.engine=continuation forces the fast-path engine, but java.base does not export"
                        + " jdk.internal.vm to Simmer. Add the JVM flag --add-exports java.base/jdk.internal.vm=dev.simmer")
                .contains("The flag --add-exports java.base/jdk.internal.vm=ALL-UNNAMED is there, but it reaches only"
                        + " code on the class path, not the named module dev.simmer.")
                .endsWith("Or use -Dsimmer.engine=threads for the portable engine.");
        assertThat(Engines.forcedButInaccessible(Engines.Loading.MODULE_PATH, false)).doesNotContain("ALL-UNNAMED");
        assertThat(Engines.forcedButInaccessible(Engines.Loading.CLASS_PATH, false))
                .contains("Add the JVM flag --add-exports java.base/jdk.internal.vm=ALL-UNNAMED.")
                .doesNotContain("dev.simmer");
        assertThat(Engines.fallbackNotice(Engines.Loading.MODULE_PATH, true)).contains("reaches only code on the class path");
        assertThat(Engines.mentionsAllUnnamedExport(List.of("-Xmx1g", "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED")))
                .isTrue();
        assertThat(Engines.mentionsAllUnnamedExport(List.of("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED")))
                .isTrue();
        assertThat(Engines.mentionsAllUnnamedExport(List.of("--add-exports", "java.base/jdk.internal.vm=dev.simmer")))
                .isFalse();
    }

    @Test
    void howSimmerWasLoadedIsToldApartFromTheLaunchersProperties() {
        assertThat(Engines.loading(true, "app.jar", "app.jar", null)).isEqualTo(Engines.Loading.MODULE_PATH);
        assertThat(Engines.loading(false, "com.example.Main arg", "lib/simmer-core.jar:app.jar", null))
                .isEqualTo(Engines.Loading.CLASS_PATH);
        assertThat(Engines.loading(false, "target/app.jar --port 8080", "target/app.jar", null))
                .isEqualTo(Engines.Loading.EXECUTABLE_JAR);
        assertThat(Engines.loading(false, "target/app.jar", "target/app.jar", null)).isEqualTo(Engines.Loading.EXECUTABLE_JAR);
        assertThat(Engines.loading(false, null, "app.jar", null)).isEqualTo(Engines.Loading.CLASS_PATH_OR_JAR);
        assertThat(Engines.loading(false, "app.jar", "other.jar", null)).isEqualTo(Engines.Loading.CLASS_PATH_OR_JAR);
        // this very JVM: surefire runs the tests from the class path
        assertThat(Engines.loading()).isIn(Engines.Loading.CLASS_PATH, Engines.Loading.CLASS_PATH_OR_JAR);
    }

    @Test
    void theFastPathNeedsTheExportToReachSimmersOwnModule() {
        Module unnamed = EnginesTest.class.getModule();
        Module named = ModuleLayer.boot().findModule("java.logging").orElseThrow();
        assertThat(ContinuationEngine.exportFailure(named))
                .as("no flag exports jdk.internal.vm to a named module here, ALL-UNNAMED included")
                .isEqualTo("java.base does not export jdk.internal.vm to module java.logging");
        assertThat(ContinuationEngine.exportFailure(unnamed) == null).isEqualTo(Engines.continuationsAvailable());
    }

    @Test
    void aFallbackIsSaidOncePerJvmWithTheFlagAndAnExplicitChoiceOrTheFastPathSaysNothing() throws Exception {
        String notice = "Simmer runs on its portable 'threads' engine";
        String fallback = runTwoLoopsInAChildJvm();
        assertThat(fallback).contains("WARNING").contains(notice)
                .contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED").contains("-Dsimmer.engine=threads")
                .contains("two loops ran on threads");
        assertThat(fallback.indexOf(notice)).as("said once").isEqualTo(fallback.lastIndexOf(notice));
        assertThat(runTwoLoopsInAChildJvm("-Dsimmer.engine=threads")).doesNotContain(notice)
                .contains("two loops ran on threads");
        assertThat(runTwoLoopsInAChildJvm("--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"))
                .doesNotContain(notice).contains("two loops ran on continuation");
    }

    /** What a child JVM running {@link TwoLoops} prints on stdout and stderr. */
    private static String runTwoLoopsInAChildJvm(String... jvmArgs) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TwoLoops.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        return output;
    }

    /** The child JVM's program: two loops, one after the other, then which engine ran them. */
    static final class TwoLoops {
        public static void main(String[] args) throws Exception {
            dev.simmer.Async.run(() -> dev.simmer.Async.yieldNow());
            dev.simmer.Async.run(() -> dev.simmer.Async.yieldNow());
            System.out.println("two loops ran on " + dev.simmer.Async.engine());
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
            Engine.Fiber fiber = new Engine.Fiber(null) {
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
