package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatServerTest {
    @Test
    void membersHearEachOtherAndTheIdleOneIsShownTheDoor() throws Exception {
        ExampleRun run = ExampleRun.of(ChatServer::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] [server] alice joined",
                "[1s] [server] bob joined",
                "[2s] [server] alice: hi bob",
                "[3s] [server] bob: hello alice",
                "[3.5s] [server] carol joined",
                "[4s] [server] bob left",
                "[6s] [server] alice: anyone?",
                "[26s] [server] alice left",
                "[33.5s] [server] carol was idle too long",
                "[33.5s] alice heard: [Welcome! Your name?, bob joined, bob: hello alice, carol joined, bob left]",
                "[33.5s] bob heard: [Welcome! Your name?, alice: hi bob, carol joined]",
                "[33.5s] carol heard: [Welcome! Your name?, bob left, alice: anyone?, alice left, Idle for 30 s: goodbye]",
                "[33.5s] server accepted 3 connections");
    }
}
