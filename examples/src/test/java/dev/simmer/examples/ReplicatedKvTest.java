package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Runner;
import dev.simmer.examples.ReplicatedKv.Client;
import dev.simmer.examples.ReplicatedKv.Node;
import dev.simmer.examples.ReplicatedKv.Replication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReplicatedKv} on the real loopback network: both ways of replicating serve, replicate
 * and fail over; and the one the simulation convicts loses a write that was acknowledged when
 * its primary stops between the acknowledgement and the next batch. On the real clock: the
 * client's timeouts detect failures, and on a virtual clock a busy machine's slow loopback could
 * let the clock jump to them.
 */
class ReplicatedKvTest {
    private static final String LOOPBACK = "127.0.0.1";

    @ParameterizedTest
    @EnumSource(Replication.class)
    void writesAreAcknowledgedAndAfterTheBatchTheBackupHasThemAll(Replication mode) throws Exception {
        List<Optional<String>> afterFailover = Runner.create().run(() -> {
            try (Node backup = ReplicatedKv.startBackup(LOOPBACK, 0);
                 Node primary = ReplicatedKv.startPrimary(LOOPBACK, 0, LOOPBACK, backup.port(), mode);
                 Client client = new Client(List.of(LOOPBACK + ":" + primary.port(), LOOPBACK + ":" + backup.port()))) {
                for (int i = 0; i < 20; i++) {
                    assertThat(client.put("k" + i, "v" + i, 1)).as("put k" + i).isTrue();
                }
                assertThat(client.get("k7")).contains("v7");
                assertThat(client.server()).endsWith(":" + primary.port());
                Async.sleep(ReplicatedKv.FLUSH_INTERVAL.multipliedBy(2)); // a batch leaves on time
                primary.close();
                Optional<String> first = client.get("k0"); // the primary is gone: the client moves on
                assertThat(client.server()).endsWith(":" + backup.port());
                return List.of(first, client.get("k19"), client.get("never-written"));
            }
        });
        assertThat(afterFailover).containsExactly(Optional.of("v0"), Optional.of("v19"), Optional.empty());
    }

    @Test
    void batchedReplicationLosesAWriteAcknowledgedJustBeforeThePrimaryStops() throws Exception {
        assertThat(lastWriteAfterThePrimaryStopsAtOnce(Replication.BATCHED_AFTER_ACK)).isEmpty();
    }

    @Test
    void replicationBeforeTheAcknowledgementKeepsIt() throws Exception {
        assertThat(lastWriteAfterThePrimaryStopsAtOnce(Replication.BEFORE_ACK)).contains("acknowledged");
    }

    /** Writes once, stops the primary at once, and reads the write back from the backup. */
    private static Optional<String> lastWriteAfterThePrimaryStopsAtOnce(Replication mode) throws Exception {
        return Runner.create().run(() -> {
            try (Node backup = ReplicatedKv.startBackup(LOOPBACK, 0);
                 Node primary = ReplicatedKv.startPrimary(LOOPBACK, 0, LOOPBACK, backup.port(), mode,
                         Duration.ofHours(1)); // the batch would leave in an hour
                 Client client = new Client(List.of(LOOPBACK + ":" + primary.port(), LOOPBACK + ":" + backup.port()))) {
                assertThat(client.put("last", "acknowledged", 1)).isTrue();
                primary.close(); // before the next batch would have left
                Optional<String> read = client.get("last");
                assertThat(client.server()).endsWith(":" + backup.port());
                return read;
            }
        });
    }
}
