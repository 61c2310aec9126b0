package dev.simmer.benchmarks;

import dev.simmer.Async;
import dev.simmer.EngineKind;

/**
 * The JVM flags each fork needs, as compile-time constants for {@code @Fork(jvmArgsAppend = ...)},
 * and the check that a fork really runs the engine it is named after.
 *
 * <p>Simmer selects its engine once per JVM, so every benchmark method that runs Simmer has a
 * method-level {@code @Fork} that appends {@link #CONTINUATION} or {@link #THREADS}. JMH gives
 * command-line {@code -jvmArgsAppend} precedence over the annotation, which would silently drop
 * these flags: pass extra JVM flags with {@code -jvmArgs} instead.
 */
final class Jvm {
    /** Lets this code (and Simmer) reach {@code jdk.internal.vm.Continuation}. */
    static final String EXPORT = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";

    /** Simmer's fast path: continuations on the loop thread. */
    static final String ENGINE_CONTINUATION = "-Dsimmer.engine=continuation";

    /** Simmer's portable path: task bodies on virtual threads, a baton between them. */
    static final String ENGINE_THREADS = "-Dsimmer.engine=threads";

    /** Virtual-thread peers run on one carrier, like Simmer's one loop thread. */
    static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    /** Forks per benchmark when the command line does not say ({@code -f}). */
    static final int FORKS = 2;

    private Jvm() {
    }

    /** Fails the run if the fork was started without the flags that select {@code expected}. */
    static void requireEngine(EngineKind expected) {
        EngineKind actual = Async.engine();
        if (actual != expected) {
            throw new IllegalStateException("This benchmark measures Simmer's " + expected + " engine, but the fork runs "
                    + actual + ". Its @Fork flags were replaced: pass extra JVM flags with -jvmArgs, not -jvmArgsAppend.");
        }
    }
}
