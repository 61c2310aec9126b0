package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.EventLoop;
import dev.simmer.LoopGroup;
import dev.simmer.io.ShardedServer;
import dev.simmer.io.StreamOptions;
import dev.simmer.io.StreamReader;
import dev.simmer.io.StreamWriter;
import dev.simmer.sync.Channel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The chat server on two loops: a {@link ShardedServer} spreads the members' connections over
 * a {@link LoopGroup}, and members on different loops talk through {@link Channel}s. The room
 * is partitioned: each loop keeps the members it serves in a plain map that only its relay task
 * touches, and has a mailbox, a {@code Channel} that any loop may post to. A handler posts
 * events (a member joins, says a line, leaves) into the mailboxes; each loop's relay applies
 * them in its mailbox's order. No lock anywhere, and since a member joins through its loop's
 * mailbox too, it hears exactly what was said after it joined, whichever loop said it.
 *
 * <pre>
 *   alice's handler (loop 0)               loop 0                  loop 1
 *     "hi" --putNowait--+-------------> mailbox 0           +--> mailbox 1
 *                       +----------------------------------/       |
 *                                          relay 0                relay 1
 *                                          members {alice, carol} members {bob}
 *                                            -> carol               -> bob
 * </pre>
 *
 * Three scripted members on the calling thread, with blocking sockets, each waiting to hear the
 * line it answers; which loop serves whom is the kernel's choice (or the acceptor's turn), and
 * what they hear does not depend on it.
 */
public final class ShardedChat extends Example {
    private static final int LOOPS = 2;

    /** What a loop's relay task does, in the order the events reach its mailbox. */
    private sealed interface Event permits Join, Leave, Say {
    }

    private record Join(StreamWriter member, String name) implements Event {
    }

    private record Leave(StreamWriter member) implements Event {
    }

    private record Say(String message, StreamWriter from) implements Event {
    }

    /** The part of the room one loop serves: its members are touched only by its relay task. */
    private final class Shard {
        final Map<StreamWriter, String> members = new LinkedHashMap<>();
        final Channel<Event> mailbox = new Channel<>(); // any loop posts here: thread-safe, unbounded

        /** The relay task: applies the events in order, until the mailbox is shut down. */
        void relay() throws Exception {
            for (Event e : mailbox.consume()) {
                switch (e) {
                    case Join j -> {
                        if (j.member().isClosing()) {
                            continue; // gone again before its loop got to it
                        }
                        members.put(j.member(), j.name());
                        broadcast(new Say(j.name() + " joined", j.member())); // before the member is told:
                        try {                                                  // it is in every mailbox already
                            j.member().write("Hello " + j.name() + "\n");
                        } catch (IOException gone) {
                            members.remove(j.member()); // reset by the peer: its handler says goodbye
                        }
                    }
                    case Leave l -> members.remove(l.member());
                    case Say say -> {
                        for (StreamWriter member : new ArrayList<>(members.keySet())) {
                            if (member == say.from() || member.isClosing()) {
                                continue; // closing: its handler has ended, its Leave is on the way
                            }
                            try {
                                member.write(say.message() + "\n");
                            } catch (IOException gone) {
                                members.remove(member); // reset by the peer: its handler says goodbye
                            }
                        }
                    }
                }
            }
        }
    }

    private final List<Shard> shards = new ArrayList<>();
    private LoopGroup group;

    /** The example, printing to {@code out}. */
    public ShardedChat(PrintStream out) {
        super(out);
    }

    /** A group blocks its caller while it starts and closes: run on a thread of its own, off the loop. */
    @Override
    public void run() throws Exception {
        List<String> heard = Async.toThread(this::chat);
        heard.forEach(this::print); // here, on the loop: the tests' printer reads its clock
    }

    /** The whole program, on the calling (plain) thread. */
    @Override
    public void runProgram() throws Exception {
        chat().forEach(this::print);
    }

    /** Starts the group, the relays and the server, runs the members; what they heard. */
    private List<String> chat() throws Exception {
        try (LoopGroup g = LoopGroup.start(LOOPS)) {
            group = g;
            List<CompletableFuture<Void>> relays = new ArrayList<>();
            for (int i = 0; i < LOOPS; i++) {
                Shard shard = new Shard();
                shards.add(shard);
                relays.add(g.loops().get(i).submit(shard::relay)); // a relay per loop: it alone touches its members
            }
            List<String> heard;
            StreamOptions options = StreamOptions.defaults().withLimit(1024);
            try (ShardedServer server = ShardedServer.start(g, this::handle, "127.0.0.1", 0, options)) {
                heard = talk(server.port());                    // each member's connection stays on one loop
            }
            for (Shard shard : shards) {
                shard.mailbox.shutdown();
            }
            for (CompletableFuture<Void> relay : relays) {
                relay.join();
            }
            return heard;
        }
    }

    /** One member's session, on the loop that serves its connection: it posts events, its loop's relay acts. */
    void handle(StreamReader reader, StreamWriter writer) throws Exception {
        Shard mine = shards.get(indexOf(Async.loop()));
        writer.write("Welcome! Your name?\n");
        String name;
        try {
            name = reader.readLineUtf8();
        } catch (IOException e) { // a line over the limit (LimitOverrunException) or a reset
            return;
        }
        if (name == null) {
            return;
        }
        mine.mailbox.putNowait(new Join(writer, name));
        try {
            String line;
            while ((line = reader.readLineUtf8()) != null) {
                broadcast(new Say(name + ": " + line, writer));
            }
        } catch (IOException e) {
            // too long a line, or reset by the peer: the session ends
        } finally {
            mine.mailbox.putNowait(new Leave(writer));
            broadcast(new Say(name + " left", writer));
        }
    }

    /** Into every loop's mailbox, this one's included: each loop's members hear it in its mailbox's order. */
    private void broadcast(Say say) {
        for (Shard shard : shards) {
            shard.mailbox.putNowait(say); // unbounded: never waits
        }
    }

    private int indexOf(EventLoop loop) {
        for (int i = 0; i < group.size(); i++) {
            if (group.loops().get(i).loop() == loop) {
                return i;
            }
        }
        throw new IllegalStateException("not a loop of the group");
    }

    /** The scripted members; what each heard. */
    private static List<String> talk(int port) throws IOException {
        try (Member alice = Member.join(port, "alice");
             Member bob = Member.join(port, "bob")) {
            alice.hearUntil("bob joined");
            alice.say("hi bob");
            bob.hearUntil("alice: hi bob");
            bob.say("hello alice");
            alice.hearUntil("bob: hello alice");
            Member carol = Member.join(port, "carol");
            try (carol) {
                alice.hearUntil("carol joined");
                bob.hearUntil("carol joined");
                carol.say("hi all");
                alice.hearUntil("carol: hi all");
                bob.hearUntil("carol: hi all");
            }
            alice.hearUntil("carol left");
            bob.hearUntil("carol left");
            return List.of("alice heard: " + alice.heard, "bob heard: " + bob.heard, "carol heard: " + carol.heard);
        }
    }

    /** A member with a blocking socket: says lines, and waits to hear a given one. */
    private record Member(Socket socket, BufferedReader in, List<String> heard) implements AutoCloseable {
        static Member join(int port, String name) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(30_000);
            Member m = new Member(s, new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.UTF_8)), new ArrayList<>());
            m.hearUntil("Welcome! Your name?");
            m.say(name);
            m.hearUntil("Hello " + name); // in the room: what is said from now on reaches it
            return m;
        }

        void say(String line) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void hearUntil(String line) throws IOException {
            String got;
            do {
                got = in.readLine();
                if (got == null) {
                    throw new IOException("the server hung up before saying '" + line + "'");
                }
                heard.add(got);
            } while (!got.equals(line));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
