/**
 * Simmer: asyncio's model for Java 21+. One thread runs an event loop, and coroutines are
 * ordinary methods that suspend at {@link dev.simmer.Async#sleep}, {@code Task.await()} and
 * every other waiting call.
 *
 * <pre>{@code
 * module com.example.app {
 *     requires dev.simmer;
 * }
 * }</pre>
 *
 * <p>The exported packages are the API: {@link dev.simmer} (the entry points, tasks, the
 * loop), {@link dev.simmer.sync} (locks, events, semaphores, queues) and {@link dev.simmer.io}
 * (streams, servers, TLS, UDP, subprocesses). The engines and the scheduler stay inside.
 *
 * <p>The fast-path engine runs tasks on {@code jdk.internal.vm.Continuation}; on the module
 * path the JVM must export that package to this module:
 * {@code --add-exports java.base/jdk.internal.vm=dev.simmer}. Without the flag Simmer runs on
 * its portable engine (virtual threads), with the same behaviour.
 */
module dev.simmer {
    exports dev.simmer;
    exports dev.simmer.sync;
    exports dev.simmer.io;
    // The seam a simulated network plugs into (internal.Network): for simmer-testing's simulation only.
    exports dev.simmer.internal to dev.simmer.testing;

    // Runner.jfrEvents: task steps as JFR events.
    requires jdk.jfr;
    // The blocked-loop watchdog reads a stuck thread's processor time.
    requires java.management;
}
