package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Task;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.StreamReader;
import dev.simmer.io.StreamWriter;
import dev.simmer.io.Streams;
import dev.simmer.sync.Held;
import dev.simmer.sync.Lock;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A replicated key-value store over TCP: a primary that keeps a copy of every write on a
 * backup, a backup that serves clients once they give up on the primary, and a client that
 * times out, retries and fails over. Plain Simmer I/O ({@link Streams}), one line per request:
 * {@code PUT key value}, {@code GET key}, and {@code REPL key value} from primary to backup.
 *
 * <p>Two ways for the primary to replicate, one of them wrong:
 * <ul>
 *   <li>{@link Replication#BATCHED_AFTER_ACK}: a write is applied and acknowledged at once, and
 *       shipped to the backup with the next batch, every {@link #FLUSH_INTERVAL}. Fast, and
 *       it loses acknowledged writes: when the primary dies (or is cut off from everyone)
 *       before a batch reaches the backup, a client that fails over finds them missing.</li>
 *   <li>{@link Replication#BEFORE_ACK}: a write is acknowledged only once the backup has
 *       confirmed it; when the backup cannot be reached the write fails and the client retries.
 *       A write the client saw acknowledged is on the backup.</li>
 * </ul>
 *
 * <p>Which one is wrong does not show on a healthy network. A deterministic simulation finds it:
 * the test of this example runs primary, backup and client as hosts of a simulated network
 * with partitions and a crash of the primary, and reports the seed whose run loses a write.
 *
 * <pre>{@code
 * // on the primary's host
 * ReplicatedKv.startPrimary("0.0.0.0", 7000, "backup", 7000, Replication.BEFORE_ACK).serveForever();
 * // on the backup's host
 * ReplicatedKv.startBackup("0.0.0.0", 7000).serveForever();
 * // on a client's host
 * ReplicatedKv.Client client = new ReplicatedKv.Client(List.of("primary:7000", "backup:7000"));
 * if (client.put("k1", "v1", 3)) {
 *     // acknowledged: it must survive whatever happens next
 * }
 * }</pre>
 */
public final class ReplicatedKv {
    /** How the primary replicates to the backup. */
    public enum Replication {
        /** Acknowledge at once; ship writes to the backup in batches (loses acknowledged writes). */
        BATCHED_AFTER_ACK,
        /** Acknowledge only once the backup has confirmed the write. */
        BEFORE_ACK
    }

    /** How often the batched primary ships its writes to the backup. */
    public static final Duration FLUSH_INTERVAL = Duration.ofMillis(50);
    /** How long a request (client to server, or primary to backup) may take before it counts as failed. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofMillis(250);

    private ReplicatedKv() {
    }

    /**
     * Starts the backup: it applies what the primary replicates, and answers clients that failed
     * over to it (it then acts as the only copy).
     *
     * @param host the address to listen on ({@code "0.0.0.0"}: every interface)
     * @param port the port to listen on, 0 for a free one
     * @return the node, listening; {@link Node#serveForever()} or close it
     */
    public static Node startBackup(String host, int port) throws Exception {
        Map<String, String> data = new HashMap<>();
        return new Node(Streams.startServer((reader, writer) -> serve(reader, writer, data, null), host, port), null, null);
    }

    /**
     * Starts the primary, replicating to the backup at {@code backupHost:backupPort} the way
     * {@code mode} says.
     *
     * @param host       the address to listen on ({@code "0.0.0.0"}: every interface)
     * @param port       the port to listen on, 0 for a free one
     * @param backupHost the backup's host name or address
     * @param backupPort the backup's port
     * @param mode       how writes reach the backup
     * @return the node, listening; {@link Node#serveForever()} or close it
     */
    public static Node startPrimary(String host, int port, String backupHost, int backupPort, Replication mode)
            throws Exception {
        return startPrimary(host, port, backupHost, backupPort, mode, FLUSH_INTERVAL);
    }

    /**
     * {@link #startPrimary(String, int, String, int, Replication)} with another interval
     * between two batches ({@link Replication#BATCHED_AFTER_ACK} only).
     *
     * @param host          the address to listen on
     * @param port          the port to listen on, 0 for a free one
     * @param backupHost    the backup's host name or address
     * @param backupPort    the backup's port
     * @param mode          how writes reach the backup
     * @param flushInterval how often a batch leaves for the backup
     * @return the node, listening
     */
    public static Node startPrimary(String host, int port, String backupHost, int backupPort, Replication mode,
                                    Duration flushInterval) throws Exception {
        Map<String, String> data = new HashMap<>();
        Replicator replicator = new Replicator(backupHost, backupPort, mode, flushInterval);
        Server server = Streams.startServer((reader, writer) -> serve(reader, writer, data, replicator), host, port);
        Task<Void> flusher = mode == Replication.BATCHED_AFTER_ACK ? Async.createTask("flusher", replicator::flushForever)
                : null;
        return new Node(server, replicator, flusher);
    }

    /** A running primary or backup: its server, and the primary's replication. */
    public static final class Node implements AutoCloseable {
        private final Server server;
        private final Replicator replicator; // null on the backup
        private final Task<Void> flusher;    // BATCHED_AFTER_ACK only

        private Node(Server server, Replicator replicator, Task<Void> flusher) {
            this.server = server;
            this.replicator = replicator;
            this.flusher = flusher;
        }

        /** The port it listens on. */
        public int port() {
            return server.port();
        }

        /** Serves until cancelled (a host's main body, say); the node is closed then. */
        public void serveForever() throws Exception {
            try {
                server.serveForever();
            } finally {
                close();
            }
        }

        /** Stops serving: the server, the flusher and the connection to the backup are closed. */
        @Override
        public void close() {
            if (flusher != null) {
                flusher.cancel();
            }
            if (replicator != null) {
                replicator.close();
            }
            server.close();
        }
    }

    /** One connection: requests in, one answer line each. {@code replicator} is null on the backup. */
    private static void serve(StreamReader reader, StreamWriter writer, Map<String, String> data,
                              Replicator replicator) throws Exception {
        String line;
        while ((line = reader.readLineUtf8()) != null) {
            String[] words = line.split(" ", 3);
            String answer = switch (words[0]) {
                case "GET" -> data.containsKey(words[1]) ? "VALUE " + data.get(words[1]) : "NONE";
                case "REPL" -> {
                    data.put(words[1], words[2]); // from the primary
                    yield "OK";
                }
                case "PUT" -> {
                    if (replicator != null && !replicator.replicate(words[1], words[2])) {
                        yield "ERR the backup did not confirm"; // BEFORE_ACK: not acknowledged, so not applied
                    }
                    data.put(words[1], words[2]);
                    yield "OK";
                }
                default -> "ERR unknown request";
            };
            writer.write(answer + "\n");
            writer.drain();
        }
    }

    /** The primary's side of replication: one connection to the backup, one request at a time. */
    private static final class Replicator {
        private final String host;
        private final int port;
        private final Replication mode;
        private final Duration flushInterval;
        private final Lock lock = new Lock();
        private final List<String> batch = new ArrayList<>(); // BATCHED_AFTER_ACK: writes not shipped yet
        private Connection backup;

        Replicator(String host, int port, Replication mode, Duration flushInterval) {
            this.host = host;
            this.port = port;
            this.mode = mode;
            this.flushInterval = flushInterval;
        }

        /** Whether the write may be acknowledged: BEFORE_ACK asks the backup first; batched only queues it. */
        boolean replicate(String key, String value) throws Exception {
            if (mode == Replication.BATCHED_AFTER_ACK) {
                batch.add("REPL " + key + " " + value);
                return true;
            }
            return send(List.of("REPL " + key + " " + value));
        }

        /** BATCHED_AFTER_ACK: ships what has queued up, every flush interval; a batch that fails is dropped. */
        void flushForever() throws Exception {
            while (true) {
                Async.sleep(flushInterval);
                if (!batch.isEmpty()) {
                    List<String> shipping = new ArrayList<>(batch);
                    batch.clear();
                    send(shipping);
                }
            }
        }

        /** Sends the requests and reads one "OK" each, within REQUEST_TIMEOUT; false (and a fresh connection next time) if not. */
        private boolean send(List<String> requests) throws Exception {
            boolean confirmed = false;
            try (Held held = lock.acquire()) {
                confirmed = Async.timeoutOr(REQUEST_TIMEOUT, false, () -> {
                    if (backup == null) {
                        backup = Streams.openConnection(host, port);
                    }
                    for (String r : requests) {
                        backup.writer().write(r + "\n");
                    }
                    backup.writer().drain();
                    for (int i = 0; i < requests.size(); i++) {
                        if (!"OK".equals(backup.reader().readLineUtf8())) {
                            return false;
                        }
                    }
                    return true;
                });
                return confirmed;
            } catch (IOException unreachable) {
                return false;
            } finally {
                if (!confirmed) {
                    close(); // what is on that connection now is unknown: start afresh
                }
            }
        }

        /** Closes the connection to the backup, if one is open; the next send opens a fresh one. */
        void close() {
            if (backup != null) {
                backup.close();
                backup = null;
            }
        }
    }

    /**
     * A client: sends each request to the current server within {@link #REQUEST_TIMEOUT},
     * retries, and after a failure moves on to the next server of its list for good (primary,
     * then backup).
     */
    public static final class Client implements AutoCloseable {
        private final List<String> servers;
        private int current;
        private Connection connection;

        /**
         * @param servers the servers as {@code host:port}, primary first
         */
        public Client(List<String> servers) {
            for (String s : servers) {
                if (s.lastIndexOf(':') < 1) {
                    throw new IllegalArgumentException("A server is host:port, such as primary:7000, not '" + s + "'");
                }
            }
            this.servers = List.copyOf(servers);
        }

        /**
         * Writes {@code value} under {@code key}: true once a server acknowledged it, false if
         * {@code attempts} tries all failed (the write may or may not have happened).
         *
         * @param key      a key without spaces
         * @param value    a value without line breaks
         * @param attempts how many tries
         * @return whether the write was acknowledged
         */
        public boolean put(String key, String value, int attempts) throws Exception {
            for (int i = 0; i < attempts; i++) {
                Optional<String> answer = request("PUT " + key + " " + value);
                if (answer.isPresent() && answer.get().equals("OK")) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Reads the value under {@code key} from the current server; if it does not answer, the
         * client moves on to the next server and asks it.
         *
         * @param key the key
         * @return the value; empty if the server has none
         * @throws IOException if no server answered
         */
        public Optional<String> get(String key) throws Exception {
            for (int i = current; i < servers.size(); i++) {
                Optional<String> answer = request("GET " + key);
                if (answer.isPresent()) {
                    return answer.get().startsWith("VALUE ") ? Optional.of(answer.get().substring(6)) : Optional.empty();
                }
            }
            throw new IOException("no server answered GET " + key + " (the last asked: " + server() + ")");
        }

        /** The server the client talks to now, as {@code host:port}. */
        public String server() {
            return servers.get(current);
        }

        /** One request and its answer line; empty if it failed or timed out (the client then moves on). */
        private Optional<String> request(String line) throws Exception {
            String answer = Async.timeoutOrNull(REQUEST_TIMEOUT, () -> {
                try {
                    if (connection == null) {
                        String s = server();
                        int colon = s.lastIndexOf(':');
                        connection = Streams.openConnection(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
                    }
                    connection.writer().write(line + "\n");
                    connection.writer().drain();
                    return connection.reader().readLineUtf8();
                } catch (IOException e) {
                    return null;
                }
            });
            if (answer == null || answer.startsWith("ERR")) {
                close();
                if (answer == null && current < servers.size() - 1) {
                    current++; // fail over, for good
                }
                return Optional.empty();
            }
            return Optional.of(answer);
        }

        /** Closes the connection, if one is open. */
        @Override
        public void close() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }
    }
}
