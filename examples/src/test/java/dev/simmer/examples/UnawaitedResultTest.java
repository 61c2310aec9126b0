package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnawaitedResultTest {
    @Test
    void callingAddGivesTheSum() throws Exception {
        ExampleRun run = ExampleRun.of(UnawaitedResult::new);

        // Python prints "coroutine": Java has no un-run coroutine object.
        assertThat(run.lines()).containsExactly("Integer");
        assertThat(UnawaitedResult.add(3, 4)).isEqualTo(7);
    }
}
