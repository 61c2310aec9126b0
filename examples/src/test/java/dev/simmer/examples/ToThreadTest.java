package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ToThreadTest {
    @Test
    void readsTheFileOnAThreadAndHashesItOnAPool() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("Boil water. Add pasta.".getBytes(StandardCharsets.UTF_8)), 0, 8);

        ExampleRun run = ExampleRun.of(ToThread::new);

        assertThat(run.lines()).containsExactly(
                "recipe: Boil water. Add pasta.",
                "sha-256: " + expected + "...");
    }
}
