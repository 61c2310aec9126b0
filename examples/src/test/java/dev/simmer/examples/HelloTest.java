package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Runner;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Hello, Simmer" program is {@link Hello}, and does what its comments say. */
class HelloTest {
    @Test
    void theReadmeShowsThisProgramAsItIs() throws Exception {
        Path root = GuideSnippetsTest.root();
        String readme = Files.readString(root.resolve("README.md"));
        String hello = readme.substring(readme.indexOf("## Hello, Simmer"));
        String block = hello.substring(hello.indexOf("```java\n") + "```java\n".length(), hello.indexOf("\n```", hello.indexOf("```java")));

        List<String> lines = block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String source = Files.readString(root.resolve("examples/src/main/java/dev/simmer/examples/Hello.java"));
        assertThat(GuideSnippetsTest.firstMissingPart(lines, source)).as("README's Hello block, in Hello.java").isNull();
        assertThat(lines).contains("public class Hello {");
    }

    @Test
    void threeUsersInOneSecondNotThree() throws Exception {
        List<Object> result = Runner.create().virtualTime(true).run(() -> {
            List<String> users = Async.gather(() -> Hello.fetchUser(1), () -> Hello.fetchUser(2), () -> Hello.fetchUser(3));
            return List.of(users, Duration.ofNanos(Async.loop().time()));
        });

        assertThat(result.get(0)).hasToString("[User 1, User 2, User 3]");
        assertThat(result.get(1)).isEqualTo(Duration.ofSeconds(1));
    }
}
