package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
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
    void listShowsEveryExampleWithWhereItComesFrom() throws Exception {
        assertThat(launch("--list")).isZero();

        for (Examples.Entry e : Examples.ALL) {
            assertThat(out()).contains(e.name() + " ").contains("(" + e.origin() + ")");
        }
        assertThat(out()).contains("Kitchen Story, Async Intro, From Scratch, Key Concepts: the asyncio tutorials")
                .contains("Engine in this JVM: ")
                .doesNotContainIgnoringCase("seed")
                .doesNotContainIgnoringCase("issue");
    }

    @Test
    void everyTwinNamesItsTutorialAndNoProgramHasTwoTwins() {
        Set<String> programs = new HashSet<>();
        for (Examples.Entry e : Examples.ALL) {
            if (e.origin().startsWith("guide: ")) {
                continue;
            }
            assertThat(Examples.TUTORIALS).as("the tutorial of %s", e.name()).contains(e.origin().substring(0, e.origin().indexOf(':')));
            assertThat(programs.add(e.origin())).as("a second twin of %s", e.origin()).isTrue();
        }
    }

    @Test
    void runsTheExampleNamed() throws Exception {
        assertThat(launch("simulate-gather")).isZero();

        assertThat(out().lines()).containsExactly("['A', 'B', 'C']");
    }

    @Test
    void aFailingExampleIsReportedOnOneLineWithItsCauses() {
        Examples.Entry failing = new Examples.Entry("no-network", "test", "fails like fetch-urls-http offline", out -> new Example(out) {
            @Override
            public void run() throws Exception {
                print("Synchronous style:");
                ConnectException offline = new ConnectException("api.github.com");
                offline.initCause(new UnresolvedAddressException());
                throw offline;
            }
        });

        int status = Examples.runExample(failing,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(out().lines()).containsExactly("Synchronous style:");
        assertThat(err().lines()).singleElement().asString()
                .startsWith("Example 'no-network' failed: ")
                .contains("ConnectException: api.github.com")
                .contains("caused by java.nio.channels.UnresolvedAddressException");
    }

    @Test
    void anUnknownNameIsAnErrorWithTheUsage() throws Exception {
        assertThat(launch("no-such-example")).isEqualTo(2);

        assertThat(out()).isEmpty();
        assertThat(err()).startsWith("No example is called 'no-such-example'.").contains("--list");
    }

}
