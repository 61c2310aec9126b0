package com.example.kettle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simmer.Async;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.Streams;
import dev.simmer.testing.simulation.Latency;
import dev.simmer.testing.simulation.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A user's first simulation: a server and a client on a simulated network, a partition, many seeds. */
class PingSimulationTest {

    static Simulation pings(long seed, List<String> answers) {
        return Simulation.create(seed)
                .host("server", () -> {
                    Server server = Streams.startServer((in, out) -> {
                        String line;
                        while ((line = in.readLineUtf8()) != null) {
                            out.write("pong " + line + "\n");
                        }
                    }, "0.0.0.0", 7000);
                    server.serveForever();
                })
                .host("client", () -> {
                    for (int i = 0; i < 10; i++) {
                        int n = i;
                        answers.add(Async.timeoutOr(Duration.ofSeconds(2), "timed out", () -> {
                            try (Connection c = Streams.openConnection("server", 7000)) {
                                c.writer().write(n + "\n");
                                return c.reader().readLineUtf8();
                            }
                        }));
                        Async.sleep(Duration.ofSeconds(1));
                    }
                    Simulation.control().stop();
                })
                .latency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(50)))
                .chaos(control -> {
                    Async.sleep(Duration.ofMillis(control.random().nextInt(1_000, 5_000)));
                    control.partition(List.of("server"));
                    Async.sleep(Duration.ofSeconds(3));
                    control.heal();
                });
    }

    @Test
    void everySeedAnswersMostPingsAndReplaysItself() {
        Simulation.check(50, seed -> {
            List<String> answers = new ArrayList<>();
            String digest = pings(seed, answers).run().digest();
            assertEquals(10, answers.size());
            assertTrue(answers.stream().filter(a -> a.startsWith("pong ")).count() >= 7, answers::toString);
            List<String> again = new ArrayList<>();
            assertEquals(digest, pings(seed, again).run().digest(), "the same seed, the same run");
            assertEquals(answers, again);
        });
    }
}
