package dev.simmer.examples;

import dev.simmer.examples.ReplicatedKv.Replication;
import dev.simmer.testing.simulation.Simulation;
import org.junit.jupiter.api.Test;

import static dev.simmer.examples.ReplicatedKvSimulation.scenario;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ReplicatedKvSimulation}: the simulation convicts batched replication within 200 seeds,
 * naming the seed that replays it; replication before the acknowledgement passes 1,000; and a
 * seed replays the same run.
 */
class ReplicatedKvSimulationTest {
    @Test
    void batchedReplicationLosesAnAcknowledgedWriteAndTheSeedSaysWhere() {
        assertThatThrownBy(() -> Simulation.check(200, seed -> scenario(seed, Replication.BATCHED_AFTER_ACK).run()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Simulation failed with seed ")
                .hasMessageContaining("lost an acknowledged write")
                .hasMessageContaining("-D" + Simulation.SEED_PROPERTY + "=");
    }

    @Test
    void replicationBeforeTheAcknowledgementLosesNothingUnderAThousandSeeds() {
        Simulation.check(1_000, seed -> scenario(seed, Replication.BEFORE_ACK).run());
    }

    @Test
    void aSeedReplaysTheSameRun() {
        String first = scenario(7, Replication.BEFORE_ACK).run().digest();
        assertThat(scenario(7, Replication.BEFORE_ACK).run().digest()).isEqualTo(first);
        assertThat(scenario(8, Replication.BEFORE_ACK).run().digest()).isNotEqualTo(first);
    }
}
