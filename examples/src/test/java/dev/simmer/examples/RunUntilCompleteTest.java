package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunUntilCompleteTest {
    @Test
    void mainRunsOnTheExplicitLoopThenUnderAsyncRun() throws Exception {
        // The program makes its own loops, as its Python does: it runs on the real clock (two 1 s sleeps).
        assertThat(ExampleRun.programLines(RunUntilComplete::new)).containsExactly(
                "Let's go async!",
                "Done!",
                "Let's go async!",
                "Done!");
    }

    @Test
    void mainAloneIsTheTutorialsMain() throws Exception {
        ExampleRun run = ExampleRun.of(RunUntilComplete::new);

        assertThat(run.timedLines()).containsExactly("[0s] Let's go async!", "[1s] Done!");
    }
}
