package dev.simmer.testing.simulation;

import dev.simmer.Async;
import dev.simmer.io.Connection;
import dev.simmer.io.DatagramEndpoint;
import dev.simmer.io.Server;
import dev.simmer.io.Streams;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The same seed gives the same run, on either engine; see also SeedsTest. */
class DeterminismTest {

    /**
     * A busy little system: three servers, clients that reconnect when they lose their
     * connection, gossip over lossy UDP, and chaos (partitions, crashes, resets) from the seed.
     */
    static Simulation scenario(long seed) {
        Simulation sim = Simulation.create(seed)
                .latency(Latency.exponential(Duration.ofMillis(1), Duration.ofMillis(4)))
                .datagramLoss(0.1)
                .datagramDuplication(0.05)
                .duration(Duration.ofSeconds(30));
        List<String> servers = List.of("s1", "s2", "s3");
        for (String name : servers) {
            sim.host(name, () -> {
                Server server = Streams.startServer((in, out) -> {
                    String line;
                    while ((line = in.readLineUtf8()) != null) {
                        out.write(Simulation.hostName() + ":" + line + "\n");
                        out.drain();
                    }
                }, "0.0.0.0", 7000);
                try (DatagramEndpoint gossip = DatagramEndpoint.bind("0.0.0.0", 7001)) {
                    Async.createTask(() -> {
                        while (true) {
                            gossip.receive();
                        }
                    });
                    for (int round = 0; ; round++) {
                        for (String peer : servers) {
                            if (!peer.equals(Simulation.hostName())) {
                                gossip.send(("round " + round).getBytes(StandardCharsets.UTF_8),
                                        new java.net.InetSocketAddress(addressOf(peer), 7001));
                            }
                        }
                        Async.sleep(Duration.ofMillis(250));
                    }
                } finally {
                    server.close();
                }
            });
        }
        for (String client : List.of("c1", "c2")) {
            sim.host(client, () -> {
                for (int i = 0; ; i++) {
                    String target = servers.get(i % servers.size());
                    try (Connection c = Streams.openConnection(target, 7000)) {
                        for (int j = 0; j < 5; j++) {
                            c.writer().write("req " + i + "." + j + "\n");
                            Async.timeout(Duration.ofSeconds(2), () -> c.reader().readLineUtf8());
                        }
                    } catch (IOException | dev.simmer.AsyncTimeoutException e) {
                        Async.sleep(Duration.ofMillis(100)); // back off and try the next server
                    }
                }
            });
        }
        return sim.chaos(control -> {
            SplittableRandom random = control.random();
            while (true) {
                Async.sleep(Duration.ofMillis(random.nextInt(500, 3000)));
                String victim = servers.get(random.nextInt(servers.size()));
                switch (random.nextInt(3)) {
                    case 0 -> {
                        control.partition(List.of(victim));
                        Async.sleep(Duration.ofMillis(random.nextInt(100, 2000)));
                        control.heal();
                    }
                    case 1 -> {
                        control.crash(victim);
                        Async.sleep(Duration.ofMillis(random.nextInt(100, 2000)));
                        control.restart(victim);
                    }
                    default -> control.resetConnections(victim, random.nextBoolean() ? "c1" : "c2");
                }
            }
        });
    }

    static String addressOf(String server) {
        return "10.0.0." + (Integer.parseInt(server.substring(1)));
    }

    @Test
    void theSameSeedGivesTheSameDigestAndTrace() {
        SimulationResult a = scenario(42).run();
        SimulationResult b = scenario(42).run();
        assertThat(a.trace().size()).isGreaterThan(1000); // a run with plenty happening
        assertThat(a.trace()).anyMatch(l -> l.contains("crash")).anyMatch(l -> l.contains("partition"))
                .anyMatch(l -> l.contains("lost")).anyMatch(l -> l.contains("reset"));
        assertThat(b.trace()).isEqualTo(a.trace());
        assertThat(b.timeline().events()).isEqualTo(a.timeline().events());
        assertThat(b.digest()).isEqualTo(a.digest());
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        List<String> digests = new ArrayList<>();
        for (long seed = 1; seed <= 5; seed++) {
            digests.add(scenario(seed).run().digest());
        }
        assertThat(digests).doesNotHaveDuplicates();
    }

    /**
     * Both engines give the very same run: this suite runs once per engine, and both runs must
     * find this digest. A change to the scheduler, the simulation or the timeline's format
     * changes it legitimately: then print the new digest on one engine, and check that the
     * other finds the same before updating the constant.
     */
    @Test
    void bothEnginesGiveTheSameDigest() {
        SimulationResult r = scenario(7).run();
        assertThat(r.digest()).as("digest of seed 7 on the %s engine", Async.engine())
                .isEqualTo(GOLDEN_DIGEST_SEED_7);
    }

    static final String GOLDEN_DIGEST_SEED_7 = "319597ab43f401a201adbd6908a775df8a12081a1ba715830492c190e0515d27";

    @Test
    void withoutATimelineTheDigestCoversTheNetworkTrace() {
        SimulationResult a = scenario(3).recordTimeline(false).run();
        SimulationResult b = scenario(3).recordTimeline(false).run();
        SimulationResult recorded = scenario(3).run();
        assertThat(a.timeline()).isNull();
        assertThat(a.digest()).isEqualTo(b.digest()).isNotEqualTo(recorded.digest());
        assertThat(a.trace()).isEqualTo(recorded.trace()); // recording a timeline changes nothing that happens
    }

    @Test
    void theSeedPropertyOfScheduleFuzzingDoesNotChangeARun() {
        String before = System.getProperty(dev.simmer.Runner.SHUFFLE_SEED_PROPERTY);
        System.setProperty(dev.simmer.Runner.SHUFFLE_SEED_PROPERTY, "99");
        try {
            assertThat(scenario(7).run().digest()).isEqualTo(GOLDEN_DIGEST_SEED_7); // the simulation's seed decides
        } finally {
            if (before == null) {
                System.clearProperty(dev.simmer.Runner.SHUFFLE_SEED_PROPERTY);
            } else {
                System.setProperty(dev.simmer.Runner.SHUFFLE_SEED_PROPERTY, before);
            }
        }
    }
}
