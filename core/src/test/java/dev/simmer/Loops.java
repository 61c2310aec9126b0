package dev.simmer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Test helpers to run coroutines on a fresh loop. */
final class Loops {
    private Loops() {
    }

    /** Runs {@code main} on virtual time; sleeps cost no real time. */
    static <T> T virtual(AsyncCallable<T> main) throws Exception {
        return Runner.create().virtualTime(true).run(main);
    }

    /** Runs {@code main} on virtual time. */
    static void virtual(AsyncRunnable main) throws Exception {
        Runner.create().virtualTime(true).run(main);
    }

    /** A runner on virtual time whose exception handler records reports in {@code into}. */
    static Runner recording(List<ErrorReport> into) {
        List<ErrorReport> sync = Collections.synchronizedList(into);
        return Runner.create().virtualTime(true).exceptionHandler(sync::add);
    }

    static List<ErrorReport> reports() {
        return new ArrayList<>();
    }

    /** Loop time in whole milliseconds. */
    static long nowMillis() {
        return Async.loop().time() / 1_000_000;
    }
}
