package dev.simmer.slf4j;

import dev.simmer.ThreadContextBridge;

import org.slf4j.MDC;

import java.util.Map;

/**
 * SLF4J's MDC per task instead of per thread: a request id that one task puts in the MDC
 * shows in that task's log lines (and its children's), never in those of the other tasks
 * that share the loop thread. Works with every SLF4J backend that has an MDC (Logback,
 * Log4j 2 through {@code log4j-slf4j2-impl}, ...), on both of Simmer's engines.
 *
 * <pre>{@code
 * MdcBridge.register();                       // once, at start-up, before starting loops
 *
 * Async.run(() -> Async.gather(() -> handle("r-1"), () -> handle("r-2")));
 *
 * static void handle(String requestId) {
 *     MDC.put("requestId", requestId);
 *     log.info("start");                      // [r-1] start
 *     Async.sleep(Duration.ofMillis(10));     // the other request runs, and puts its own id
 *     log.info("done");                       // [r-1] done: still this task's id
 * }
 * }</pre>
 *
 * <p>Everything {@link ThreadContextBridge} says holds: the MDC a task leaves when it
 * suspends is the one it finds when it resumes; a task starts with a copy of its creator's
 * MDC as it is when the task is created; plain callbacks see the loop's own MDC, which starts
 * empty (the main task too: put the MDC in {@code main}); {@code Async.toThread} work logs
 * with the calling task's MDC. Unlike kotlinx.coroutines' {@code MDCContext}, an
 * {@code MDC.put} inside a task is not lost at its next suspension.
 *
 * <p>Each step of each task copies the MDC map twice (out of the thread when the step ends,
 * into it when the next begins), so keep the MDC small: a few ids, not a payload.
 *
 * <p>Thread-safe.
 */
public final class MdcBridge {
    private static final ThreadContextBridge<Map<String, String>> BRIDGE =
            ThreadContextBridge.of("mdc", MdcBridge::capture, MdcBridge::restore);

    private MdcBridge() {
    }

    /**
     * Makes the MDC per task in every loop started from now on. Registering again does nothing.
     *
     * <pre>{@code
     * public static void main(String[] args) throws Exception {
     *     MdcBridge.register();
     *     Async.run(Server::serve);
     * }
     * }</pre>
     *
     * @return {@code true} if it was registered now, {@code false} if it already was
     */
    public static boolean register() {
        return ThreadContextBridge.register(BRIDGE);
    }

    /**
     * Leaves the MDC to the thread again in loops started from now on (those running keep
     * bridging it until they close).
     *
     * @return {@code true} if it was registered
     */
    public static boolean unregister() {
        return ThreadContextBridge.unregister(BRIDGE);
    }

    /**
     * The bridge itself, for {@link ThreadContextBridge#registered()} checks; {@link #register()} is the usual way.
     *
     * @return the one MDC bridge
     */
    public static ThreadContextBridge<Map<String, String>> bridge() {
        return BRIDGE;
    }

    /** The thread's MDC as a map of its own (SLF4J hands out a copy), or null when empty. */
    private static Map<String, String> capture() {
        Map<String, String> copy = MDC.getCopyOfContextMap();
        return copy == null || copy.isEmpty() ? null : copy;
    }

    private static void restore(Map<String, String> map) {
        if (map == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(map);
        }
    }
}
