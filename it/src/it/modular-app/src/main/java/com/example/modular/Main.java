package com.example.modular;

import dev.simmer.Async;
import java.time.Duration;
import java.util.List;

/**
 * A modular application: prints how Simmer was loaded and which engine runs, and exits with 1
 * unless Simmer is the named module dev.simmer, its internals are not exported, and the
 * engine is the one named by the first argument.
 */
public class Main {
    public static void main(String[] args) throws Exception {
        List<String> dishes = Async.run(() -> Async.gather(() -> cook("soup"), () -> cook("pasta")));
        Module simmer = Async.class.getModule();
        boolean internalExported = simmer.isExported("dev.simmer.internal");
        System.out.println("module=" + simmer.getName() + " internal-exported=" + internalExported
                + " engine=" + Async.engine() + " dishes=" + dishes);
        if (!"dev.simmer".equals(simmer.getName()) || internalExported
                || !Async.engine().toString().equals(args[0]) || !dishes.equals(List.of("soup", "pasta"))) {
            System.exit(1);
        }
    }

    static String cook(String dish) {
        Async.sleep(Duration.ofMillis(10));
        return dish;
    }
}
