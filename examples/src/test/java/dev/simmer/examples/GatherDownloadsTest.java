package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatherDownloadsTest {
    @Test
    void threeDownloadsTakeTwoSecondsInAll() throws Exception {
        ExampleRun run = ExampleRun.of(GatherDownloads::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] Starting file1",
                "[0s] Starting file2",
                "[0s] Starting file3",
                "[2s] Done file1",
                "[2s] Done file2",
                "[2s] Done file3",
                "[2s] ['file1', 'file2', 'file3']");
    }
}
