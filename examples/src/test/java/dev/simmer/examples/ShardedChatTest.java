package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ShardedChatTest {
    private static final String[] HEARD = {
            "alice heard: [Welcome! Your name?, Hello alice, bob joined, bob: hello alice, carol joined, "
                    + "carol: hi all, carol left]",
            "bob heard: [Welcome! Your name?, Hello bob, alice: hi bob, carol joined, carol: hi all, "
                    + "carol left]",
            "carol heard: [Welcome! Your name?, Hello carol]"};

    @Test
    void membersOnDifferentLoopsHearEachOther() throws Exception {
        ExampleRun run = ExampleRun.of(ShardedChat::new); // run(): the group on a thread off the tests loop

        assertThat(run.lines()).containsExactly(HEARD);
    }

    @Test
    void theProgramRunsOnThePlainThread() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ShardedChat(new PrintStream(bytes, true, StandardCharsets.UTF_8)).runProgram();

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly(HEARD);
    }
}
