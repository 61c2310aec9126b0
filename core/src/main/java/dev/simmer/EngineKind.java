package dev.simmer;

/**
 * The engine that runs task bodies: see {@link Async#engine()}.
 *
 * <pre>{@code
 * System.out.println("Simmer runs on the " + Async.engine() + " engine");
 * }</pre>
 *
 * <p>Both engines give the same observable behaviour, with two documented differences that
 * follow from where a task body runs: on {@link #CONTINUATION} every task shares the loop
 * thread (ThreadLocals are shared; {@code synchronized} gives no exclusion between tasks,
 * and suspending inside it is an error); on {@link #THREADS} each task body has a thread of
 * its own. Thread-safe.
 */
public enum EngineKind {
    /**
     * Fast path: {@code jdk.internal.vm.Continuation}, needs
     * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} on the class path,
     * {@code --add-exports java.base/jdk.internal.vm=dev.simmer} on the module path, or the
     * manifest entry {@code Add-Exports: java.base/jdk.internal.vm} in an executable jar.
     */
    CONTINUATION,
    /** Portable path: each task body on a virtual thread, a baton between them; no flag. */
    THREADS;

    /** The name used by {@code -Dsimmer.engine=...}: {@code continuation} or {@code threads}. */
    @Override
    public String toString() {
        return this == CONTINUATION ? "continuation" : "threads";
    }
}
