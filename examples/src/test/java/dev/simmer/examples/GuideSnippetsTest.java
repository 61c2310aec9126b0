package dev.simmer.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the docs' code honest: every fenced {@code java} block in the guide, the concepts
 * page, the cheat sheet, the structured-concurrency chapter and the sync chapter starts with a line {@code // from <path>} naming a compiled,
 * tested file of this repository, and its lines appear in that file verbatim, in order
 * (indentation and blank lines aside). A line {@code // ...} in a block skips over code of
 * the file; the parts around it must still appear in that order.
 *
 * <pre>
 * ```java
 * // from examples/src/main/java/dev/simmer/examples/SayHello.java
 * print("Hello!");
 * Async.sleep(Duration.ofSeconds(1)); // Wait 1 second
 * ```
 * </pre>
 */
class GuideSnippetsTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern SOURCE = Pattern.compile("^// from (\\S+)$");
    private static final String SKIP = "// ...";

    /** A fenced java block of a page: where it starts, the file it names, its lines after that. */
    record Snippet(String page, int line, String source, List<String> code) {
        @Override
        public String toString() {
            return page + ":" + line + (source == null ? "" : " (from " + source + ")");
        }
    }

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a parent directory with docs/ (the repository root)").isNotNull();
        return dir;
    }

    static List<Snippet> snippets(String page, String markdown) {
        List<Snippet> found = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown);
        while (m.find()) {
            int line = (int) markdown.substring(0, m.start()).lines().count() + 1;
            List<String> lines = m.group(1).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            Matcher source = lines.isEmpty() ? null : SOURCE.matcher(lines.get(0));
            if (source == null || !source.matches()) {
                found.add(new Snippet(page, line, null, lines));
            } else {
                found.add(new Snippet(page, line, source.group(1), lines.subList(1, lines.size())));
            }
        }
        return found;
    }

    /** Whether {@code snippet}'s parts appear in {@code sourceText} in order; null if so, else the first part that does not. */
    static String firstMissingPart(List<String> snippet, String sourceText) {
        List<String> source = sourceText.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<List<String>> parts = new ArrayList<>();
        parts.add(new ArrayList<>());
        for (String line : snippet) {
            if (line.equals(SKIP)) {
                parts.add(new ArrayList<>());
            } else {
                parts.get(parts.size() - 1).add(line);
            }
        }
        int from = 0;
        for (List<String> part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            int at = indexOf(source, part, from);
            if (at < 0) {
                return String.join("\n", part);
            }
            from = at + part.size();
        }
        return null;
    }

    private static int indexOf(List<String> lines, List<String> part, int from) {
        for (int i = from; i + part.size() <= lines.size(); i++) {
            if (lines.subList(i, i + part.size()).equals(part)) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs/guide.md", "docs/concepts.md", "docs/asyncio-cheatsheet.md", "docs/structured-concurrency.md", "docs/sync.md"})
    void everyJavaBlockIsCodeOfATestedFile(String page) throws IOException {
        Path root = root();
        String markdown = Files.readString(root.resolve(page));
        for (Snippet s : snippets(page, markdown)) {
            assertThat(s.source()).as("%s: a java block must start with // from <path of a compiled, tested file>", s).isNotNull();
            Path file = root.resolve(s.source());
            assertThat(file).as("%s names a file that exists", s).isRegularFile();
            assertThat(s.source()).as("%s names Java code of examples/ or core/", s).matches("(examples|core|testing)/src/.*\\.java");
            assertThat(firstMissingPart(s.code(), Files.readString(file)))
                    .as("%s: this part of the block is not in %s (update the page from the code)", s, s.source())
                    .isNull();
        }
    }

    @Test
    void theGuideShowsCodeFromTheExamples() throws IOException {
        List<Snippet> guide = snippets("docs/guide.md", Files.readString(root().resolve("docs/guide.md")));

        assertThat(guide).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void aBlockThatDriftedFromItsFileIsCaught() {
        String source = """
                class A {
                    void run() {
                        print("Hello!");

                        Async.sleep(Duration.ofSeconds(1));
                        print("World!");
                    }
                }
                """;

        assertThat(firstMissingPart(List.of("print(\"Hello!\");", "Async.sleep(Duration.ofSeconds(1));"), source)).isNull();
        assertThat(firstMissingPart(List.of("void run() {", SKIP, "print(\"World!\");"), source)).isNull();
        assertThat(firstMissingPart(List.of("print(\"World!\");", SKIP, "print(\"Hello!\");"), source)).isEqualTo("print(\"Hello!\");");
        assertThat(firstMissingPart(List.of("Async.sleep(Duration.ofSeconds(2));"), source)).isNotNull();
        assertThat(snippets("p.md", "text\n```java\nint x = 1;\n```\n")).singleElement()
                .satisfies(s -> assertThat(s.source()).isNull());
    }
}
