package dev.simmer.examples;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The programs that the user projects of the build (it/) compile and run as the docs print
 * them: each copy, less its first line when that says where it comes from, appears verbatim
 * in its page. An edit of the page that is not made to the copy (or the other way round)
 * fails here, so what the build proves is what the reader sees.
 */
class DocCopiesTest {

    @ParameterizedTest
    @CsvSource({
            "README.md, it/src/it/readme-consumer/src/main/java/Hello.java",
            "docs/testing.md, it/src/it/junit-5.14/src/main/java/RateLimiter.java",
            "docs/testing.md, it/src/it/junit-5.14/src/test/java/RateLimiterTest.java",
    })
    void theCopyIsWhatThePagePrints(String page, String copy) throws Exception {
        Path root = GuideSnippetsTest.root();
        String markdown = Files.readString(root.resolve(page));
        String code = Files.readString(root.resolve(copy));
        if (code.startsWith("// " + page)) {
            code = code.substring(code.indexOf('\n') + 1); // "// docs/testing.md's RateLimiter, as printed there"
        }
        assertThat(markdown).as("%s prints %s as it is", page, copy).contains(code.strip());
    }
}
