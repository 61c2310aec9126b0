package dev.simmer.opentelemetry;

import dev.simmer.ThreadContextBridge;

import io.opentelemetry.context.Context;

/**
 * OpenTelemetry's current {@link Context} (and so the current span) per task instead of per
 * thread: a span made current in one task is the parent of the spans that task and its
 * children start, never of spans started by the other tasks that share the loop thread.
 * Works on both of Simmer's engines.
 *
 * <pre>{@code
 * OpenTelemetryBridge.register();            // once, at start-up, before starting loops
 *
 * static void handle(Tracer tracer, String route) {
 *     Span span = tracer.spanBuilder(route).startSpan();
 *     try (Scope scope = span.makeCurrent()) {
 *         Async.sleep(Duration.ofMillis(10)); // other tasks run and trace meanwhile
 *         Async.gather(() -> query(tracer), () -> query(tracer));   // their spans: children of span
 *     } finally {
 *         span.end();
 *     }
 * }
 * }</pre>
 *
 * <p>A {@code Scope} opened in a task may stay open across suspensions, as above, and must be
 * closed in the same task (try-with-resources does that). A task starts with its creator's
 * current context as it is when the task is created; plain callbacks see the loop's own,
 * which starts as the root context (the main task too); {@code Async.toThread} work runs in
 * the calling task's context, so spans started there are its children.
 *
 * <p>The bridge moves the context with {@link Context#makeCurrent()} and drops the scopes it
 * gets: fine for the default thread-local context storage. A storage that checks that every
 * scope is closed (the strict storage of OpenTelemetry's test kit,
 * {@code -Dio.opentelemetry.context.enableStrictContext=true}) reports those as leaks; the
 * OpenTelemetry Java agent brings its own storage and is not covered.
 *
 * <p>Thread-safe.
 */
public final class OpenTelemetryBridge {
    private static final ThreadContextBridge<Context> BRIDGE =
            ThreadContextBridge.of("opentelemetry", OpenTelemetryBridge::capture, OpenTelemetryBridge::restore);

    private OpenTelemetryBridge() {
    }

    /**
     * Makes OpenTelemetry's current context per task in every loop started from now on.
     * Registering again does nothing.
     *
     * <pre>{@code
     * public static void main(String[] args) throws Exception {
     *     OpenTelemetryBridge.register();
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
     * Leaves the current context to the thread again in loops started from now on (those
     * running keep bridging it until they close).
     *
     * @return {@code true} if it was registered
     */
    public static boolean unregister() {
        return ThreadContextBridge.unregister(BRIDGE);
    }

    /**
     * The bridge itself, for {@link ThreadContextBridge#registered()} checks; {@link #register()} is the usual way.
     *
     * @return the one OpenTelemetry bridge
     */
    public static ThreadContextBridge<Context> bridge() {
        return BRIDGE;
    }

    /** The thread's current context (immutable), or null for the root context. */
    private static Context capture() {
        Context current = Context.current();
        return current == Context.root() ? null : current;
    }

    @SuppressWarnings("MustBeClosedChecker") // the scope is dropped on purpose: the next restore replaces it
    private static void restore(Context context) {
        (context == null ? Context.root() : context).makeCurrent();
    }
}
