package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.Task;
import dev.simmer.io.Connection;
import dev.simmer.io.LimitOverrunException;
import dev.simmer.io.Server;
import dev.simmer.io.StreamOptions;
import dev.simmer.io.StreamReader;
import dev.simmer.io.StreamWriter;
import dev.simmer.io.Streams;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chat server handling many clients on one loop, and three scripted clients. Each line a
 * member sends goes to every other member. The server guards itself against bad peers: a
 * member silent for 30 seconds is shown the door, a line longer than 1 KiB ends the
 * session, and a member who stops reading (64 KiB unread) is dropped, so no client can make
 * the server buffer without bound. A dropped member is out of the room at once: the others
 * chat on, and no message is written to its closed connection.
 *
 * <pre>
 * async def handle(reader, writer):
 *     writer.write(b"Welcome! Your name?\n")
 *     name = (await asyncio.wait_for(reader.readline(), 30)).decode().strip()
 *     broadcast(f"{name} joined")
 *     members[writer] = name
 *     try:
 *         while line := await asyncio.wait_for(reader.readline(), 30):
 *             broadcast(f"{name}: {line.decode().strip()}", exclude=writer)
 *     except TimeoutError:
 *         writer.write(b"Idle for 30 s: goodbye\n")
 *     finally:
 *         del members[writer]
 *         broadcast(f"{name} left")
 * </pre>
 */
public final class ChatServer extends Example {
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final int MAX_UNREAD = 64 * 1024;

    private final Map<StreamWriter, String> members = new LinkedHashMap<>();
    private final int maxUnread;

    /** The example, printing to {@code out}. */
    public ChatServer(PrintStream out) {
        this(out, MAX_UNREAD);
    }

    /** The chat server, printing to {@code out}, dropping a member once {@code maxUnread} bytes wait for it. */
    ChatServer(PrintStream out, int maxUnread) {
        super(out);
        this.maxUnread = maxUnread;
    }

    /** One member's session: the server's connection handler. */
    void handle(StreamReader reader, StreamWriter writer) throws Exception {
        writer.write("Welcome! Your name?\n");
        String name;
        try {
            name = Async.timeoutOrNull(IDLE, reader::readLineUtf8);
        } catch (LimitOverrunException e) {
            writer.write("Line too long: goodbye\n");
            return;
        } catch (IOException e) {
            return; // gone before saying who they are
        }
        if (name == null) {
            return;
        }
        broadcast(name + " joined", null);
        members.put(writer, name);
        String farewell = "left";
        try {
            while (true) {
                String line = Async.timeoutOr(IDLE, "\0idle", reader::readLineUtf8);
                if (line == null) {
                    if (writer.isClosing()) {
                        farewell = "stopped reading and was dropped"; // by broadcast: our side closed
                    }
                    break;
                }
                if (line.equals("\0idle")) {
                    writer.write("Idle for 30 s: goodbye\n");
                    farewell = "was idle too long";
                    break;
                }
                broadcast(name + ": " + line, writer);
            }
        } catch (LimitOverrunException e) {
            writer.write("Line too long: goodbye\n");
            farewell = "sent a line too long";
        } catch (IOException e) {
            farewell = "lost the connection"; // reset by the peer: its session ends, not the server's
        } finally {
            members.remove(writer);
            broadcast(name + " " + farewell, null);
        }
    }

    /**
     * Sends {@code message} to every member but {@code except}; drops a member who has stopped
     * reading. Never suspends: one slow member does not hold up the others.
     */
    private void broadcast(String message, StreamWriter except) {
        print("[server] " + message);
        for (StreamWriter member : new ArrayList<>(members.keySet())) {
            if (member == except) {
                continue;
            }
            if (member.bufferedBytes() > maxUnread) {
                members.remove(member); // out of the room first: nobody writes to it again
                member.abort();         // never drains: drop it rather than buffer for it
                continue;
            }
            try {
                member.write(message + "\n");
            } catch (IOException gone) {
                members.remove(member); // reset by the peer: its own handler says goodbye
            }
        }
    }

    /** One scripted client: joins, says its lines (each after a pause; null: leave), and keeps what it hears. */
    private AsyncCallable<List<String>> client(int port, String name, double joinAfter, Object... script) {
        return () -> {
            Async.sleep(seconds(joinAfter));
            List<String> heard = new ArrayList<>();
            try (Connection c = Streams.openConnection("127.0.0.1", port)) {
                Task<Void> listening = Async.createTask(() -> {
                    String line;
                    while ((line = c.reader().readLineUtf8()) != null) {
                        heard.add(line);
                    }
                });
                c.writer().write(name + "\n");
                for (int i = 0; i < script.length; i += 2) {
                    Async.sleep(seconds((Double) script[i]));
                    if (script[i + 1] == null) {
                        c.writer().close();
                        break;
                    }
                    c.writer().write(script[i + 1] + "\n");
                }
                listening.await(); // until the server hangs up (or we did)
            }
            return heard;
        };
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }

    @Override
    public void run() throws Exception {
        StreamOptions options = StreamOptions.defaults().withLimit(1024);
        try (Server server = Streams.startServer(this::handle, "127.0.0.1", 0, options)) {
            int port = server.port();
            List<List<String>> heard = Async.gather(
                    client(port, "alice", 0.0, 2.0, "hi bob", 4.0, "anyone?", 20.0, null),
                    client(port, "bob", 1.0, 2.0, "hello alice", 1.0, null),
                    client(port, "carol", 3.5)); // joins and says nothing
            String[] names = {"alice", "bob", "carol"};
            for (int i = 0; i < names.length; i++) {
                print(names[i] + " heard: " + heard.get(i));
            }
            print("server accepted " + server.acceptedConnections() + " connections");
        }
    }
}
