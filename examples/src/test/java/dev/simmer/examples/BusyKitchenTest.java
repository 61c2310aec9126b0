package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class BusyKitchenTest {
    @Test
    void threeCooksShareTwoBurnersInTurnAndGoHomeWhenTheQueueIsShutDown() throws Exception {
        ExampleRun run = ExampleRun.of(BusyKitchen::new);

        assertThat(run.timedLines()).containsExactly(
                "[0s] waiter: soup ordered",
                "[0s] waiter: rice ordered",
                "[0s] Ann takes soup",
                "[0s] Ann puts soup on a burner (1 of 2 busy)",
                "[0s] Bo takes rice",
                "[0s] Bo puts rice on a burner (2 of 2 busy)",
                "[0s] waiter: stew ordered",
                "[0s] waiter: eggs ordered",
                "[0s] Cy takes stew, waits for a burner",
                "[0s] waiter: pasta ordered",            // the queue holds two orders: tea waits
                "[2s] Bo: rice done",
                "[2s] Bo takes eggs, waits for a burner", // Bo's burner went to Cy, who waited first
                "[2s] Cy puts stew on a burner (2 of 2 busy)",
                "[2s] waiter: tea ordered",
                "[3s] Ann: soup done",
                "[3s] Ann takes pasta, waits for a burner",
                "[3s] Bo puts eggs on a burner (2 of 2 busy)",
                "[4s] Bo: eggs done",
                "[4s] Bo takes tea, waits for a burner",
                "[4s] Ann puts pasta on a burner (2 of 2 busy)",
                "[6s] Cy: stew done",
                "[6s] Ann: pasta done",
                "[6s] Bo puts tea on a burner (1 of 2 busy)",
                "[7s] Bo: tea done",
                "[7s] waiter: all 6 orders ready, at most 2 on the burners at once",
                "[7s] Cy goes home",                     // shutdown() ends the cooks' consume() loops
                "[7s] Ann goes home",
                "[7s] Bo goes home",
                "[7s] kitchen closed");
    }

    @Test
    void neverMoreThanTwoDishesAreOnTheBurners() throws Exception {
        ExampleRun run = ExampleRun.of(BusyKitchen::new);
        Pattern busy = Pattern.compile("\\((\\d) of 2 busy\\)");

        int onBurners = 0;
        int dishesCooked = 0;
        for (String line : run.lines()) {
            Matcher m = busy.matcher(line);
            if (m.find()) {
                assertThat(Integer.parseInt(m.group(1))).as(line).isBetween(1, 2);
                dishesCooked++;
            }
            if (line.contains(" puts ")) {
                onBurners++;
            } else if (line.endsWith(" done")) {
                onBurners--;
            }
            assertThat(onBurners).as("dishes on the burners after '%s'", line).isBetween(0, 2);
        }
        assertThat(dishesCooked).isEqualTo(6);
        assertThat(run.elapsed()).hasSeconds(7);
    }
}
