package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.ErrorReport;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.StreamOptions;
import dev.simmer.io.Streams;
import dev.simmer.sync.Queue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class ChatServerTest {
    private static final String LOOPBACK = "127.0.0.1";

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

    @Test
    void aMemberWhoStopsReadingIsDroppedAndTheOthersChatOn() throws Exception {
        int rounds = 12;
        int burst = 16; // lines a chatter sends at once: the server reads and broadcasts them in one go
        String padding = "x".repeat(400);
        // the silent member's socket buffers are small and its allowance is less than a burst,
        // so it is dropped in the middle of one; the chatters' sockets take a burst whole
        StreamOptions server = StreamOptions.defaults().withLimit(1024).withBufferSizes(64 * 1024, 4096);
        StreamOptions small = StreamOptions.defaults().withBufferSizes(4096, 4096);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ChatServer chat = new ChatServer(new PrintStream(printed, true, StandardCharsets.UTF_8), 4 * 1024);
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        List<List<String>> heard = Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            try (Server s = Streams.startServer(chat::handle, LOOPBACK, 0, server);
                 Connection silent = Streams.openConnection(LOOPBACK, s.port(), small)) {
                silent.writer().write("silent\n"); // joins, then never reads
                Member alice = Member.join(s.port(), "alice", line -> line.startsWith("bob: "));
                Member bob = Member.join(s.port(), "bob", line -> line.startsWith("alice: "));
                Async.sleep(Duration.ofSeconds(1)); // everyone is in the room
                // a conversation: each answers the other's burst, so neither chatter falls behind
                Async.timeoutOr(Duration.ofSeconds(60), null, () -> Async.gather(
                        () -> {
                            for (int r = 0; r < rounds; r++) {
                                alice.say(burst(r, burst, padding));
                                alice.hear(burst);
                            }
                            return null;
                        },
                        () -> {
                            for (int r = 0; r < rounds; r++) {
                                bob.hear(burst);
                                bob.say(burst(r, burst, padding));
                            }
                            return null;
                        }));
                return List.of(alice.leave(), bob.leave());
            }
        });
        List<String> expectedByBob = new ArrayList<>();
        List<String> expectedByAlice = new ArrayList<>();
        for (String line : burst(0, rounds * burst, padding).split("\n")) {
            expectedByBob.add("alice: " + line);
            expectedByAlice.add("bob: " + line);
        }
        assertThat(reports).as("handler failures the loop reported").isEmpty();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("[server] silent stopped reading and was dropped");
        assertThat(heard.get(0)).as("what alice heard").hasSize(rounds * burst).isEqualTo(expectedByAlice);
        assertThat(heard.get(1)).as("what bob heard").hasSize(rounds * burst).isEqualTo(expectedByBob);
    }

    /** Lines {@code round * size} to {@code round * size + size - 1}, each numbered and padded, as one text. */
    private static String burst(int round, int size, String padding) {
        StringBuilder text = new StringBuilder();
        for (int i = round * size; i < (round + 1) * size; i++) {
            text.append(i).append(' ').append(padding).append(i + 1 < (round + 1) * size ? "\n" : "");
        }
        return text.toString();
    }

    @Test
    void fiftyMembersEachHearEveryOtherMember() throws Exception {
        int count = 50;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ChatServer chat = new ChatServer(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        List<List<String>> heard = Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            try (Server server = Streams.startServer(chat::handle, LOOPBACK, 0, StreamOptions.defaults().withLimit(1024))) {
                List<Member> members = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    members.add(Member.join(server.port(), "m" + i, line -> line.contains(": hello from ")));
                }
                Async.sleep(Duration.ofSeconds(1)); // everyone is in the room
                for (Member m : members) {
                    m.say("hello from " + m.name);
                }
                Async.timeoutOr(Duration.ofSeconds(60), null, () -> {
                    for (Member m : members) {
                        m.hear(count - 1);
                    }
                    return null;
                });
                List<List<String>> all = new ArrayList<>();
                for (Member m : members) {
                    all.add(m.leave());
                }
                return all;
            }
        });
        assertThat(reports).as("handler failures the loop reported").isEmpty();
        for (int i = 0; i < count; i++) {
            List<String> expected = new ArrayList<>();
            for (int j = 0; j < count; j++) {
                if (j != i) {
                    expected.add("m" + j + ": hello from m" + j);
                }
            }
            assertThat(heard.get(i)).as("what m%d heard", i).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(": hello from ")))
                .hasSize(count);
    }

    /** A member driven by a test: joins, and keeps the lines it hears that {@code counts} picks. */
    private static final class Member {
        final String name;
        final Connection connection;
        final List<String> heard = new ArrayList<>();
        final Queue<String> unheard = new Queue<>();
        final Task<Void> listening;

        private Member(String name, Connection connection, Predicate<String> counts) {
            this.name = name;
            this.connection = connection;
            this.listening = Async.createTask(() -> {
                String line;
                while ((line = connection.reader().readLineUtf8()) != null) {
                    if (counts.test(line)) {
                        heard.add(line);
                        unheard.putNowait(line);
                    }
                }
            });
        }

        static Member join(int port, String name, Predicate<String> counts) throws Exception {
            Connection c = Streams.openConnection(LOOPBACK, port);
            c.writer().write(name + "\n");
            return new Member(name, c, counts);
        }

        void say(String line) throws Exception {
            connection.writer().write(line + "\n");
            connection.writer().drain();
        }

        /** Waits for the next {@code lines} lines it counts. */
        void hear(int lines) {
            for (int i = 0; i < lines; i++) {
                unheard.get();
            }
        }

        /** Leaves the room and gives every line it counted. */
        List<String> leave() throws Exception {
            connection.writer().close();
            listening.await();
            return heard;
        }
    }
    @Test
    void aNameLongerThanTheLimitGetsAGoodbyeNotAServerFailure() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ChatServer chat = new ChatServer(new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        List<String> heard = Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            try (Server s = Streams.startServer(chat::handle, LOOPBACK, 0, StreamOptions.defaults().withLimit(1024));
                 Connection c = Streams.openConnection(LOOPBACK, s.port())) {
                c.writer().write("n".repeat(2048) + "\n");
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = c.reader().readLineUtf8()) != null) {
                    lines.add(line);
                }
                return lines;
            }
        });
        assertThat(heard).containsExactly("Welcome! Your name?", "Line too long: goodbye");
        assertThat(reports).isEmpty();
    }
}
