package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KitchenTest {
    @Test
    void cooksOneByOneIn23MinutesThenTogetherIn10() throws Exception {
        ExampleRun run = ExampleRun.of(Kitchen::new);

        assertThat(run.lines()).containsExactly(
                "One cook, three dishes (one kitchen minute = 100 ms here).",
                "",
                "Slow way: one dish after another",
                "[ 0 min] soup: start (10 minutes)",
                "[10 min] soup: ready",
                "[10 min] salad: start (5 minutes)",
                "[15 min] salad: ready",
                "[15 min] pasta: start (8 minutes)",
                "[23 min] pasta: ready",
                "Total: 23 minutes",
                "Who was cooking when (one column = one minute):",
                "        0    5    10   15   20",
                "  soup  ##########.............",
                "  salad ..........#####........",
                "  pasta ...............########",
                "",
                "Fast way: start all three, then wait (Async.gather)",
                "[ 0 min] soup: start (10 minutes)",
                "[ 0 min] salad: start (5 minutes)",
                "[ 0 min] pasta: start (8 minutes)",
                "[ 5 min] salad: ready",
                "[ 8 min] pasta: ready",
                "[10 min] soup: ready",
                "Total: 10 minutes",
                "Served: ['soup', 'salad', 'pasta']",
                "Who was cooking when (one column = one minute):",
                "        0    5    10",
                "  soup  ##########",
                "  salad #####.....",
                "  pasta ########..");
        assertThat(run.elapsed()).isEqualTo(Kitchen.MINUTE.multipliedBy(23 + 10));
    }
}
