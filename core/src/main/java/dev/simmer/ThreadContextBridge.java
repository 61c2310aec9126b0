package dev.simmer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Thread-bound state that belongs to the task instead of the thread: a {@code ThreadLocal},
 * or what a library keeps in one behind its own API (SLF4J's MDC, Log4j's
 * {@code ThreadContext}, OpenTelemetry's current {@code Context}). On the fast path every
 * task runs on the loop thread, so such state would be shared by all of them; a registered
 * bridge makes it follow the task, the way a {@link ContextVar} does.
 *
 * <pre>{@code
 * static final ThreadLocal<String> TENANT = new ThreadLocal<>();
 *
 * ThreadContextBridge.register(ThreadContextBridge.ofThreadLocal("tenant", TENANT));   // once, at start-up
 * Async.run(() -> {
 *     Async.gather(() -> serve("acme"), () -> serve("globex"));
 * });
 *
 * static void serve(String tenant) {
 *     TENANT.set(tenant);
 *     Async.sleep(Duration.ofMillis(10));     // the other task runs, and sets its own
 *     Async.createTask(() -> audit()).await(); // the child sees this task's tenant
 *     assert TENANT.get().equals(tenant);
 * }
 * }</pre>
 *
 * <p>What a bridge does, on both engines:
 * <ul>
 *   <li>When a step of a task begins (its first, and each resumption after a suspension), the
 *       task's value is installed on the thread that runs the body; when the step ends (the
 *       task suspends, completes, fails or is cancelled), the thread's value is captured into
 *       the task and the thread is cleared. What a task sets stays with it across suspensions,
 *       and no other task sees it.</li>
 *   <li>The value is part of the task's {@linkplain ContextVar context}: a task created with
 *       {@link Async#createTask} starts from its creator's value as it is at that moment,
 *       and later changes on either side are not seen by the other;
 *       {@link ContextVar#copyContext()} and {@link ContextVar.Context#run} carry it too.</li>
 *   <li>Plain callbacks ({@link EventLoop#callSoon} and the like) run in the loop's own
 *       context, and see its value, which starts empty: the main task starts empty too,
 *       whatever the thread that called {@link Async#run} held (that thread gets its own
 *       value back when the loop closes).</li>
 *   <li>Work handed to {@link Async#toThread} or {@link Async#runInExecutor} runs with the
 *       calling task's value installed on the worker thread, and the worker's own value is put
 *       back afterwards; what the work changes stays on the worker's side.</li>
 * </ul>
 *
 * <p>Bridges are registered for the whole JVM, because the state they carry is itself
 * JVM-wide (one MDC, one OpenTelemetry context storage): register them at start-up, before
 * starting loops. Each loop takes the set registered when it starts and keeps it to its end.
 * With no bridge registered, a loop does no bridging work at all; each registered bridge costs
 * a capture and an install per task step (see the performance notes), and a capture each time
 * the context is read ({@link ContextVar#get}, {@link ContextVar#set}, creating a task).
 *
 * <p>A value is a snapshot: what {@code capture} returns is kept, shared between a task and
 * the tasks it creates, and installed again later, so it must not change afterwards (an
 * immutable object, or a copy). {@code null} stands for "nothing": {@code restore(null)}
 * clears the thread's state. A bridge that throws is reported to the loop's exception handler
 * and the step goes on without it.
 *
 * <p>Thread-safe: bridges may be registered and unregistered from any thread.
 *
 * @param <T> the type of the captured state
 */
public final class ThreadContextBridge<T> {
    private static final Object LOCK = new Object();
    private static volatile ThreadContextBridge<?>[] registered = new ThreadContextBridge<?>[0];

    private final String name;
    private final Supplier<? extends T> capture;
    private final Consumer<? super T> restore;
    /** The key of this bridge's value in a context map (never handed out, so never set by users). */
    final ContextVar<T> key;

    private ThreadContextBridge(String name, Supplier<? extends T> capture, Consumer<? super T> restore) {
        this.name = Objects.requireNonNull(name, "name");
        this.capture = Objects.requireNonNull(capture, "capture");
        this.restore = Objects.requireNonNull(restore, "restore");
        this.key = new ContextVar<>(name);
    }

    /**
     * A bridge for a library whose thread-bound state is reached through functions:
     * {@code capture} reads the calling thread's state as a snapshot, {@code restore} makes
     * a snapshot the calling thread's state ({@code null}: clears it).
     *
     * <pre>{@code
     * // Log4j 2's ThreadContext map
     * ThreadContextBridge<Map<String, String>> threadContext = ThreadContextBridge.of("log4j",
     *         () -> ThreadContext.isEmpty() ? null : ThreadContext.getImmutableContext(),
     *         map -> {
     *             ThreadContext.clearMap();
     *             if (map != null) {
     *                 ThreadContext.putAll(map);
     *             }
     *         });
     * ThreadContextBridge.register(threadContext);
     * }</pre>
     *
     * @param <T> the type of the snapshot
     * @param name a name for messages and for {@link ContextVar.Context#toString()}; not {@code null}
     * @param capture returns the calling thread's state, a value that will not change afterwards, or
     *     {@code null} for none; not {@code null}
     * @param restore makes its argument the calling thread's state, clearing it for {@code null}; not
     *     {@code null}
     * @return a new bridge, not registered yet
     */
    public static <T> ThreadContextBridge<T> of(String name, Supplier<? extends T> capture, Consumer<? super T> restore) {
        return new ThreadContextBridge<>(name, capture, restore);
    }

    /**
     * A bridge for a {@code ThreadLocal}: a task's value is what {@code local.get()} returned
     * in it; {@code null} is {@code local.remove()}. The value object itself is shared between
     * a task and the tasks it creates, so keep it immutable.
     *
     * <pre>{@code
     * static final ThreadLocal<String> TENANT = new ThreadLocal<>();
     * ThreadContextBridge.register(ThreadContextBridge.ofThreadLocal("tenant", TENANT));
     * }</pre>
     *
     * @param <T> the type of the thread-local's value
     * @param name a name for messages and for {@link ContextVar.Context#toString()}; not {@code null}
     * @param local the thread-local to carry per task; not {@code null}
     * @return a new bridge, not registered yet
     */
    public static <T> ThreadContextBridge<T> ofThreadLocal(String name, ThreadLocal<T> local) {
        Objects.requireNonNull(local, "local");
        return new ThreadContextBridge<>(name, local::get, value -> {
            if (value == null) {
                local.remove();
            } else {
                local.set(value);
            }
        });
    }

    /**
     * Registers {@code bridge} for every loop started from now on (loops already running keep
     * the set they started with). Registering a bridge that is registered already does nothing.
     *
     * <pre>{@code
     * ThreadContextBridge.register(ThreadContextBridge.ofThreadLocal("tenant", TENANT));
     * }</pre>
     *
     * @param bridge the bridge; not {@code null}
     * @return {@code true} if it was registered now, {@code false} if it already was
     */
    public static boolean register(ThreadContextBridge<?> bridge) {
        Objects.requireNonNull(bridge, "bridge");
        synchronized (LOCK) {
            ThreadContextBridge<?>[] now = registered;
            for (ThreadContextBridge<?> b : now) {
                if (b == bridge) {
                    return false;
                }
            }
            ThreadContextBridge<?>[] next = java.util.Arrays.copyOf(now, now.length + 1);
            next[now.length] = bridge;
            registered = next;
            return true;
        }
    }

    /**
     * Unregisters {@code bridge}: loops started from now on leave its state to the thread.
     * Loops running now keep bridging it until they close.
     *
     * <pre>{@code
     * ThreadContextBridge.unregister(tenantBridge);
     * }</pre>
     *
     * @param bridge the bridge; not {@code null}
     * @return {@code true} if it was registered
     */
    public static boolean unregister(ThreadContextBridge<?> bridge) {
        Objects.requireNonNull(bridge, "bridge");
        synchronized (LOCK) {
            List<ThreadContextBridge<?>> next = new ArrayList<>(List.of(registered));
            boolean removed = next.remove(bridge);
            registered = next.toArray(new ThreadContextBridge<?>[0]);
            return removed;
        }
    }

    /**
     * The bridges registered now, in the order they were registered.
     *
     * @return an unmodifiable snapshot of the registered bridges
     */
    public static List<ThreadContextBridge<?>> registered() {
        return List.of(registered);
    }

    /** The registered bridges for a loop that starts now, or null if there are none. */
    static ThreadContextBridge<?>[] forNewLoop() {
        ThreadContextBridge<?>[] now = registered;
        return now.length == 0 ? null : now;
    }

    /**
     * The bridge's name.
     *
     * @return the name given when it was made
     */
    public String name() {
        return name;
    }

    /** The calling thread's state. */
    T capture() {
        return capture.get();
    }

    /** Makes {@code value} (of this bridge) the calling thread's state. */
    @SuppressWarnings("unchecked")
    void restore(Object value) {
        restore.accept((T) value);
    }

    @Override
    public String toString() {
        return "ThreadContextBridge '" + name + "'";
    }
}
