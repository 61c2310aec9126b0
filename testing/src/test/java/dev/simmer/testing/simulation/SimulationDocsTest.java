package dev.simmer.testing.simulation;

import dev.simmer.Async;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.Streams;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/simulation.md, as they are written there. */
class SimulationDocsTest {

    // --- docs/simulation.md: "A first simulation"

    /** The program under test: an ordinary server and client of dev.simmer.io. */
    static void shoutServer() throws Exception {
        Server server = Streams.startServer((in, out) -> {
            String line;
            while ((line = in.readLineUtf8()) != null) {
                out.write(line.toUpperCase() + "\n");
            }
        }, "0.0.0.0", 7000);
        server.serveForever();
    }

    static String shout(String host, String text) throws Exception {
        try (Connection c = Streams.openConnection(host, 7000)) {
            c.writer().write(text + "\n");
            return c.reader().readLineUtf8();
        }
    }

    @Test
    void aFirstSimulation() {
        List<String> answers = new ArrayList<>();
        SimulationResult result = Simulation.create(42)
                .host("server", SimulationDocsTest::shoutServer)
                .host("client", () -> {
                    answers.add(shout("server", "hello"));
                    Simulation.control().stop();
                })
                .latency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(20)))
                .run();

        assertThat(answers).containsExactly("HELLO");
        System.out.println(result.simulatedTime());   // two round trips of simulated time
        System.out.println(result.traceTail(5));
    }

    // --- docs/simulation.md: "Faults"

    static Simulation withFaults(long seed, List<String> log) {
        return Simulation.create(seed)
                .host("server", SimulationDocsTest::shoutServer)
                .host("client", () -> {
                    while (true) {
                        try {
                            log.add(Async.timeout(Duration.ofSeconds(1), () -> shout("server", "ping")));
                        } catch (IOException | dev.simmer.AsyncTimeoutException e) {
                            log.add("failed: " + e.getClass().getSimpleName());
                        }
                        Async.sleep(Duration.ofMillis(500));
                    }
                })
                .chaos(control -> {
                    var random = control.random();           // drawn from the seed
                    while (true) {
                        Async.sleep(Duration.ofSeconds(random.nextInt(1, 5)));
                        if (random.nextBoolean()) {
                            control.partition(List.of("server")); // server alone on its side
                            Async.sleep(Duration.ofSeconds(2));
                            control.heal();
                        } else {
                            control.crash("server");           // tasks cancelled, connections reset
                            Async.sleep(Duration.ofSeconds(2));
                            control.restart("server");         // its main body runs again
                        }
                    }
                })
                .duration(Duration.ofMinutes(1));
    }

    @Test
    void faults() {
        List<String> log = new ArrayList<>();
        withFaults(7, log).run();
        assertThat(log).contains("PING").anyMatch(l -> l.startsWith("failed"));
    }

    // --- docs/simulation.md: "Many seeds"

    @Test
    void pingsMostlySucceed() {
        Simulation.check(100, seed -> {
            List<String> log = new ArrayList<>();
            withFaults(seed, log).recordTimeline(false).run();
            assertThat(log.stream().filter(l -> l.equals("PING")).count())
                    .as("successful pings of %d", log.size())
                    .isGreaterThan(log.size() / 3);
        });
    }
}
