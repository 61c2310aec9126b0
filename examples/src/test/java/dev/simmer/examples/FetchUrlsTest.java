package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FetchUrlsTest {
    @Test
    void fetchesOneByOneThenConcurrently() throws Exception {
        ExampleRun run = ExampleRun.of(FetchUrls::new);

        // As the tutorial prints, but with the simulated session's times (3 x 0.34 s, then 0.34 s).
        assertThat(run.lines()).containsExactly(
                "Synchronous style:",
                "Fetched 1263 bytes from https://api.github.com/users/python",
                "Fetched 1241 bytes from https://api.github.com/users/github",
                "Fetched 1223 bytes from https://api.github.com/users/torvalds",
                "Time: 1.02s",
                "",
                "Asynchronous style:",
                "Fetched 1263 bytes from https://api.github.com/users/python",
                "Fetched 1241 bytes from https://api.github.com/users/github",
                "Fetched 1223 bytes from https://api.github.com/users/torvalds",
                "Time: 0.34s");
    }
}
