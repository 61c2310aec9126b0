package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderQueueTest {
    @Test
    void twoCooksWorkThroughFourOrdersInTwoSeconds() throws Exception {
        ExampleRun run = ExampleRun.of(OrderQueue::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] waiter: soup ordered (0.00s)",
                "[0s] waiter: salad ordered (0.00s)",
                "[0s] waiter: queue full, opening the kitchen",
                "[0s] waiter: pasta ordered (0.00s)",
                "[0s] waiter: pie ordered (0.00s)",
                "[1s] Ann: soup done",
                "[1s] Bo: salad done",
                "[2s] Ann: pasta done",
                "[2s] Bo: pie done",
                "[2s] all orders done (2.00s)");
    }
}
