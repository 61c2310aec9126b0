package com.example.app;

import dev.simmer.Async;
import java.time.Duration;
import java.util.List;

/**
 * A class-path application: prints which engine runs, and exits with 1 unless it is the one
 * named by the first argument.
 */
public class Main {
    public static void main(String[] args) throws Exception {
        List<String> dishes = Async.run(() -> Async.gather(() -> cook("soup"), () -> cook("pasta")));
        System.out.println("unnamed=" + !Async.class.getModule().isNamed() + " engine=" + Async.engine() + " dishes=" + dishes);
        if (!Async.engine().toString().equals(args[0]) || !dishes.equals(List.of("soup", "pasta"))) {
            System.exit(1);
        }
    }

    static String cook(String dish) {
        Async.sleep(Duration.ofMillis(10));
        return dish;
    }
}
