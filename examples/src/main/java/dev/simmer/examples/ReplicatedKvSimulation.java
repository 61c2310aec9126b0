package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.examples.ReplicatedKv.Client;
import dev.simmer.examples.ReplicatedKv.Replication;
import dev.simmer.testing.simulation.Latency;
import dev.simmer.testing.simulation.Simulation;
import dev.simmer.testing.simulation.SimulationControl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@link ReplicatedKv} in a deterministic simulation: primary, backup and client are hosts of a
 * simulated network with 1 to 20 ms links, and a chaos task cuts links and crashes the primary
 * at seeded times. The client writes for a simulated minute, then, once every link is back,
 * reads every write it saw acknowledged, and fails the run if one is missing. The batched
 * version loses one within a few seeds; replicating before the acknowledgement passes them all.
 *
 * <p>Run many seeds from the command line, and see how long they take (the flag picks the
 * fast path; without it the portable engine runs them):
 * <pre>
 * ./mvnw -q -pl examples -am package -DskipTests
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp examples/target/examples.jar \
 *     dev.simmer.examples.ReplicatedKvSimulation 1000 BEFORE_ACK
 * </pre>
 */
public final class ReplicatedKvSimulation {
    /** The port both servers listen on. */
    public static final int PORT = 7000;
    /** How many writes the client makes. */
    public static final int WRITES = 600;
    /** The pause between two writes. */
    public static final Duration BETWEEN_WRITES = Duration.ofMillis(100);

    private ReplicatedKvSimulation() {
    }

    /**
     * Runs seeds 1 to N of the scenario and prints how long they took; stops at the first
     * seed that loses a write, with the line that replays it.
     *
     * @param args the number of seeds (1,000 if absent) and the {@link Replication} (BEFORE_ACK if absent);
     *             the JVM option {@code -Dsimmer.simulation.seed=N} runs seed N alone
     */
    public static void main(String[] args) {
        if (args.length > 2 || (args.length > 0 && !args[0].matches("\\d+"))
                || (args.length > 1 && !args[1].toUpperCase(Locale.ROOT).matches("BEFORE_ACK|BATCHED_AFTER_ACK"))) {
            System.err.println("usage: ReplicatedKvSimulation [seeds, default 1000] [BEFORE_ACK | BATCHED_AFTER_ACK]\n"
                    + "replay one seed: java -D" + Simulation.SEED_PROPERTY + "=N ... ReplicatedKvSimulation");
            System.exit(2);
        }
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Replication mode = args.length > 1 ? Replication.valueOf(args[1].toUpperCase(Locale.ROOT)) : Replication.BEFORE_ACK;
        String replayed = System.getProperty(Simulation.SEED_PROPERTY);
        String what = replayed != null && !replayed.isBlank() ? "seed " + replayed.trim() : seeds + " seeds";
        long start = System.nanoTime();
        try {
            Simulation.check(seeds, seed -> scenario(seed, mode).run());
            System.out.printf(Locale.ROOT, "%s of %s passed in %.1f s%n", what, mode, (System.nanoTime() - start) / 1e9);
        } catch (AssertionError e) {
            System.out.println(e.getMessage());
            System.out.printf(Locale.ROOT, "(%.1f s)%n", (System.nanoTime() - start) / 1e9);
            System.exit(1);
        }
    }

    /** One run: the three hosts, the chaos, the client's check; running it throws if an acknowledged write is lost. */
    public static Simulation scenario(long seed, Replication mode) {
        return Simulation.create(seed)
                .host("primary", () -> ReplicatedKv.startPrimary("0.0.0.0", PORT, "backup", PORT, mode).serveForever())
                .host("backup", () -> ReplicatedKv.startBackup("0.0.0.0", PORT).serveForever())
                .host("client", ReplicatedKvSimulation::client)
                .latency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(20)))
                .chaos(ReplicatedKvSimulation::chaos)
                .duration(Duration.ofMinutes(5));
    }

    /** Writes, one every 100 ms, then checks every acknowledged write once the faults are over. */
    private static void client() throws Exception {
        Map<String, String> acknowledged = new LinkedHashMap<>();
        try (Client client = new Client(List.of("primary:" + PORT, "backup:" + PORT))) {
            for (int i = 0; i < WRITES; i++) {
                String key = "k" + i;
                String value = "v" + i;
                if (client.put(key, value, 3)) {
                    acknowledged.put(key, value);
                }
                Async.sleep(BETWEEN_WRITES);
            }
            Async.sleep(Duration.ofSeconds(30)); // the chaos has healed every link by now
            for (Map.Entry<String, String> w : acknowledged.entrySet()) {
                Optional<String> read = client.get(w.getKey());
                if (!read.equals(Optional.of(w.getValue()))) {
                    throw new AssertionError("lost an acknowledged write: " + w.getKey() + "=" + w.getValue() + ", but "
                            + client.server() + " answers " + read.map(v -> "'" + v + "'").orElse("nothing")
                            + " (" + acknowledged.size() + " of " + WRITES + " writes acknowledged)");
                }
            }
        }
        Simulation.control().stop();
    }

    /** Three faults, each 1 to 20 s after the last one ended: a link cut for up to 5 s, or the primary crashed. */
    private static void chaos(SimulationControl control) throws Exception {
        SplittableRandom random = control.random();
        for (int i = 0; i < 3; i++) {
            Async.sleep(Duration.ofMillis(random.nextLong(1_000, 20_000)));
            switch (random.nextInt(4)) {
                case 0 -> control.partition(List.of("primary"), List.of("backup")); // replication cut off
                case 1 -> control.partition(List.of("client"), List.of("primary")); // the client gives up on it
                case 2 -> control.partition(List.of("primary"));                     // the primary alone
                default -> {
                    if (control.isUp("primary")) {
                        control.crash("primary");
                    }
                }
            }
            Async.sleep(Duration.ofMillis(random.nextLong(100, 5_000)));
            control.heal();
        }
    }
}
