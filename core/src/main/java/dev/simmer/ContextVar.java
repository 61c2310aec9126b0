package dev.simmer;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A value that belongs to the current task, copied into every task it creates (asyncio's
 * {@code contextvars.ContextVar}). The answer to ThreadLocals on the fast path, where every
 * task shares the loop thread: a request id, a tenant, a trace span.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");
 *
 * Async.run(() -> {
 *     REQUEST_ID.set("r-42");
 *     Task<Void> child = Async.createTask(() -> log("working"));  // sees "r-42"
 *     REQUEST_ID.set("r-43");                                       // the child keeps "r-42"
 *     child.await();
 * });
 *
 * static void log(String message) {
 *     System.out.println("[" + REQUEST_ID.get() + "] " + message);
 * }
 * }</pre>
 *
 * <p>Semantics as in asyncio: a task starts with a copy of its creator's context (taking the
 * copy costs nothing: contexts are immutable maps, replaced on {@link #set}); a task's
 * {@code set} is seen by the task and by tasks it creates afterwards, never by its creator or
 * siblings. Plain callbacks ({@link EventLoop#callSoon}) see the loop's own context, which
 * the main task starts from (empty).
 *
 * <p>A {@code ContextVar} object itself is thread-safe and is usually a {@code static final}
 * field; {@link #get}, {@link #set} and {@link #reset} must be called from the loop thread.
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {
    private static final Object NO_DEFAULT = new Object();

    private final String name;
    private final Object defaultValue;

    /**
     * A variable without a default: {@link #get()} throws until it is set.
     *
     * @param name the variable's name, used in messages; not {@code null}
     */
    public ContextVar(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = NO_DEFAULT;
    }

    /**
     * A variable whose {@link #get()} returns {@code defaultValue} until it is set.
     *
     * @param name the variable's name, used in messages; not {@code null}
     * @param defaultValue the value of {@link #get()} where the variable was never set; may be {@code null}
     */
    public ContextVar(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
    }

    /**
     * The variable's name (for messages).
     *
     * @return the name given to the constructor
     */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, or the default.
     *
     * @return the value the current task (or callback) sees
     * @throws NoSuchElementException if it was never set here and has no default
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Map<ContextVar<?>, Object> context = current("ContextVar.get");
        if (context.containsKey(this)) {
            return (T) context.get(this);
        }
        if (defaultValue == NO_DEFAULT) {
            throw new NoSuchElementException("ContextVar '" + name + "' has no value in this task and no default:"
                    + " set it first, give it a default, or use get(fallback).");
        }
        return (T) defaultValue;
    }

    /**
     * The value in the current context, or {@code fallback} if it was never set here.
     *
     * @param fallback returned when the variable was never set in this context; the default is not consulted
     * @return the value set in the current context, or {@code fallback}
     */
    @SuppressWarnings("unchecked")
    public T get(T fallback) {
        Map<ContextVar<?>, Object> context = current("ContextVar.get");
        return context.containsKey(this) ? (T) context.get(this) : fallback;
    }

    /**
     * Sets the value for the current task (and the tasks it creates from now on). Returns a
     * token that {@link #reset} uses to restore the previous value.
     *
     * @param value the new value; may be {@code null}
     * @return the token that undoes this {@code set}
     */
    public Token<T> set(T value) {
        EventLoop loop = EventLoop.runningLoop("ContextVar.set");
        Map<ContextVar<?>, Object> before = loop.context();
        Map<ContextVar<?>, Object> after = new HashMap<>(before);
        after.put(this, value);
        loop.setContext(Collections.unmodifiableMap(after));
        return new Token<>(this, before.containsKey(this), before.get(this));
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}.
     *
     * @param token what {@link #set} returned, in this task
     * @throws IllegalArgumentException if {@code token} was made by another variable
     */
    public void reset(Token<T> token) {
        if (token.variable() != this) {
            throw new IllegalArgumentException("This token was made by ContextVar '" + token.variable().name
                    + "', not by '" + name + "'.");
        }
        EventLoop loop = EventLoop.runningLoop("ContextVar.reset");
        Map<ContextVar<?>, Object> after = new HashMap<>(loop.context());
        if (token.hadValue()) {
            after.put(this, token.previous());
        } else {
            after.remove(this);
        }
        loop.setContext(Collections.unmodifiableMap(after));
    }

    /**
     * Runs {@code body} with this variable set to {@code value}, then restores it (also when
     * the body fails). Tasks created inside keep the value.
     *
     * <pre>{@code
     * String page = REQUEST_ID.with("r-44", () -> fetch(url));
     * }</pre>
     *
     * @param <R> the type of the body's result
     * @param value the value the body sees; may be {@code null}
     * @param body the code to run in the calling task
     * @return what {@code body} returned
     * @throws Exception whatever {@code body} threw, unchanged
     */
    public <R> R with(T value, AsyncCallable<R> body) throws Exception {
        Token<T> token = set(value);
        try {
            return body.call();
        } finally {
            reset(token);
        }
    }

    /**
     * A snapshot of the current context: every variable's value as the calling task (or
     * callback) sees it now (asyncio's {@code contextvars.copy_context()}). Run code in it
     * with {@link Context#run(AsyncCallable)}, or start a task in it with
     * {@link Async#createTask(AsyncCallable, Context)}.
     *
     * <pre>{@code
     * ContextVar.Context request = ContextVar.copyContext();   // in the request's task
     * // ... later, in a callback or another task:
     * request.run(() -> log("finished"));                      // log sees the request's values
     * }</pre>
     *
     * <p>Must be called from the loop thread. Costs one small object: contexts are immutable
     * maps, shared, not copied.
     *
     * @return a new {@link Context} holding the current values
     */
    public static Context copyContext() {
        return new Context(current("ContextVar.copyContext"));
    }

    @Override
    public String toString() {
        return "ContextVar '" + name + "'";
    }

    /**
     * A set of context-variable values that code can run in (asyncio's
     * {@code contextvars.Context}): made by {@link ContextVar#copyContext()} or
     * {@link #empty()}, entered with {@link #run(AsyncCallable)}, given to a new task with
     * {@link Async#createTask(AsyncCallable, Context)}.
     *
     * <pre>{@code
     * ContextVar.Context ctx = ContextVar.copyContext();
     * ctx.run(() -> REQUEST_ID.set("r-7"));     // the set lands in ctx, not in the caller
     * ctx.get(REQUEST_ID, null);                 // "r-7"
     * REQUEST_ID.get(null);                      // unchanged in the caller
     * }</pre>
     *
     * <p>As in Python, {@code run} keeps what its body sets: the context holds the values
     * the body left, for the next {@code run}; a context runs one body at a time (a second
     * {@code run} while one is running, in any task, is an {@link IllegalStateException}:
     * {@link #copy()} it instead). A task created with a context starts from its values and
     * keeps its own {@code set}s to itself (asyncio would write them into the context).
     *
     * <p>{@link #run} must be called from the loop thread; {@link #get}, {@link #contains} and
     * {@link #copy} are thread-safe.
     */
    public static final class Context {
        private volatile Map<ContextVar<?>, Object> values; // immutable; replaced when a run ends
        private boolean running; // a body runs in it now (loop thread only)
        private Task<?> runningIn; // the task that body runs in; null in a plain callback

        Context(Map<ContextVar<?>, Object> values) {
            this.values = values;
        }

        /**
         * A context with no variable set (asyncio's {@code contextvars.Context()}): code run
         * in it sees every variable's default.
         *
         * @return a new, empty context
         */
        public static Context empty() {
            return new Context(Map.of());
        }

        /**
         * Runs {@code body} in this context, in the calling task (or callback), then puts the
         * caller's own context back (also when the body fails). What the body sets stays in
         * this context; tasks it creates start from this context's values (asyncio's
         * {@code ctx.run(fn)}).
         *
         * <pre>{@code
         * String page = ctx.run(() -> fetch(url));   // fetch sees ctx's values
         * }</pre>
         *
         * @param <R> the type of the body's result
         * @param body the code to run; it may suspend when called from a task
         * @return what {@code body} returned
         * @throws IllegalStateException if this context is already running a body
         * @throws Exception whatever {@code body} threw, unchanged
         */
        public <R> R run(AsyncCallable<R> body) throws Exception {
            java.util.Objects.requireNonNull(body, "body");
            EventLoop loop = EventLoop.runningLoop("Context.run");
            if (running) {
                throw new IllegalStateException("This context is already running a body"
                        + (runningIn != null ? " (in task '" + runningIn.name() + "')" : "")
                        + "; a context runs one body at a time: run another body in context.copy().");
            }
            running = true;
            runningIn = loop.currentTask();
            Map<ContextVar<?>, Object> caller = loop.context();
            loop.setContext(values);
            try {
                return body.call();
            } finally {
                values = loop.context();
                loop.setContext(caller);
                running = false;
                runningIn = null;
            }
        }

        /**
         * {@link #run(AsyncCallable)} for a body that returns nothing.
         *
         * @param body the code to run; it may suspend when called from a task
         * @throws IllegalStateException if this context is already running a body
         * @throws Exception whatever {@code body} threw, unchanged
         */
        public void run(AsyncRunnable body) throws Exception {
            run(java.util.Objects.requireNonNull(body, "body").asCallable());
        }

        /**
         * The value {@code variable} has in this context, or {@code fallback} if it is not set
         * here (the variable's default is not consulted, as Python's {@code ctx.get(var)}).
         *
         * @param <T> the variable's value type
         * @param variable the variable to look up
         * @param fallback what to return when it is not set in this context; may be {@code null}
         * @return its value here, or {@code fallback}
         */
        @SuppressWarnings("unchecked")
        public <T> T get(ContextVar<T> variable, T fallback) {
            Map<ContextVar<?>, Object> v = values;
            return v.containsKey(variable) ? (T) v.get(variable) : fallback;
        }

        /**
         * Whether {@code variable} is set in this context (Python's {@code var in ctx}).
         *
         * @param variable the variable to look for
         * @return {@code true} if it has a value here (possibly {@code null})
         */
        public boolean contains(ContextVar<?> variable) {
            return values.containsKey(variable);
        }

        /**
         * A new context with the same values, independent of this one from now on
         * (Python's {@code ctx.copy()}).
         *
         * @return the copy; it shares the immutable map, so it costs one small object
         */
        public Context copy() {
            return new Context(values);
        }

        /** The values, for a task created in this context. */
        Map<ContextVar<?>, Object> values() {
            return values;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("Context{");
            boolean first = true;
            for (Map.Entry<ContextVar<?>, Object> e : values.entrySet()) {
                b.append(first ? "" : ", ").append(e.getKey().name()).append('=').append(e.getValue());
                first = false;
            }
            return b.append('}').toString();
        }
    }

    /**
     * What {@link #reset} needs to undo a {@link #set}.
     *
     * @param variable the variable that was set
     * @param hadValue whether it had a value before
     * @param previous that value (meaningless if it had none)
     * @param <T> the variable's value type
     */
    public record Token<T>(ContextVar<T> variable, boolean hadValue, Object previous) {
    }

    private static Map<ContextVar<?>, Object> current(String call) {
        return EventLoop.runningLoop(call).context();
    }
}
