package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher. Only examples that never sleep run here: the launcher uses the real clock. */
class ExamplesTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int launch(String... args) throws Exception {
        return Examples.launch(args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void namesAreUniqueAndKebabCase() {
        Set<String> seen = new HashSet<>();
        for (Examples.Entry e : Examples.ALL) {
            assertThat(e.name()).matches("[a-z0-9]+(-[a-z0-9]+)*");
            assertThat(seen.add(e.name())).as("duplicate name %s", e.name()).isTrue();
        }
        assertThat(Examples.find(Examples.DEFAULT)).isPresent();
    }

    @Test
    void everyExampleHasATest() {
        for (Examples.Entry e : Examples.ALL) {
            Class<?> type = e.factory().apply(new PrintStream(OutputStream.nullOutputStream())).getClass();
            assertThat(type.getResource(type.getSimpleName() + "Test.class"))
                    .as("a test class for %s (%s)", e.name(), type.getSimpleName())
                    .isNotNull();
        }
    }

    @Test
    void listShowsEveryExampleWithItsSeed() throws Exception {
        assertThat(launch("--list")).isZero();

        for (Examples.Entry e : Examples.ALL) {
            assertThat(out()).contains(e.name() + " ").contains("(" + Examples.origin(e) + ")");
        }
        assertThat(out()).contains("Engine in this JVM: ");
    }

    @Test
    void runsTheExampleNamed() throws Exception {
        assertThat(launch("simulate-gather")).isZero();

        assertThat(out().lines()).containsExactly("['A', 'B', 'C']", "['A', 'B', 'C']");
    }

    @Test
    void anUnknownNameIsAnErrorWithTheUsage() throws Exception {
        assertThat(launch("no-such-example")).isEqualTo(2);

        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("No example is called 'no-such-example'.").contains("--list");
    }

}
