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
 * <p>Semantics as in asyncio: a task starts with a copy of its creator's context, its
 * {@link Task#context()} (the copy is cheap: the values are an immutable map, shared until a
 * {@link #set} replaces it); a task's {@code set} is seen by the task and by tasks it creates
 * afterwards, never by its creator or siblings. Plain callbacks ({@link EventLoop#callSoon})
 * see the loop's own context, which the main task starts from (empty).
 *
 * <p>A {@code ContextVar} object itself is thread-safe and is usually a {@code static final}
 * field; {@link #get}, {@link #set} and {@link #reset} must be called from the loop thread,
 * or from the blocking code of {@link Async#toThread}, which runs in a copy of its caller's
 * context (as asyncio's {@code to_thread}), or of {@link Async#runInExecutor}, which runs in
 * an empty context of its own (asyncio's {@code run_in_executor} does not copy the caller's).
 *
 * @param <T> the value type
 */
public final class ContextVar<T> {
    private static final Object NO_DEFAULT = new Object();

    /** On a thread running blocking code of toThread or runInExecutor: the context that code runs in. */
    private static final ThreadLocal<Context> OFF_LOOP = new ThreadLocal<>();

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
        Map<ContextVar<?>, Object> context = current("ContextVar.get").values;
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
        Map<ContextVar<?>, Object> context = current("ContextVar.get").values;
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
        Context context = current("ContextVar.set");
        Map<ContextVar<?>, Object> before = context.values;
        Map<ContextVar<?>, Object> after = new HashMap<>(before);
        after.put(this, value);
        context.values = Collections.unmodifiableMap(after);
        return new Token<>(this, context, before.containsKey(this), before.get(this));
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}
     * (Python's {@code var.reset(token)}). A token undoes one {@code set}, once, in the context
     * it was made in; anything else is refused and changes nothing.
     *
     * <pre>{@code
     * ContextVar.Token<String> token = REQUEST_ID.set("r-7");
     * try {
     *     handle();
     * } finally {
     *     REQUEST_ID.reset(token);   // back to what it was
     * }
     * }</pre>
     *
     * @param token what {@link #set} returned, in this context
     * @throws IllegalStateException if {@code token} was used already (Python's {@code RuntimeError})
     * @throws IllegalArgumentException if {@code token} was made by another variable, or in another context:
     *     another task, or another {@link Context#run} (Python's {@code ValueError})
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        Context context = current("ContextVar.reset");
        if (token.used) {
            throw new IllegalStateException("ContextVar.reset: this token of '" + token.variable().name
                    + "' was used already; a token undoes its set() once.");
        }
        if (token.variable() != this) {
            throw new IllegalArgumentException("ContextVar.reset: this token was made by ContextVar '"
                    + token.variable().name + "', not by '" + name + "'; reset it with that variable.");
        }
        if (token.context != context) {
            throw new IllegalArgumentException("ContextVar.reset: this token of '" + name + "' was made in another"
                    + " context (another task, or another Context.run); reset it where set() returned it.");
        }
        token.used = true;
        Map<ContextVar<?>, Object> after = new HashMap<>(context.values);
        if (token.hadValue()) {
            after.put(this, token.previous());
        } else {
            after.remove(this);
        }
        context.values = Collections.unmodifiableMap(after);
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
     * <p>Must be called from the loop thread (or the blocking code of {@link Async#toThread}).
     * Costs one small object: the values are an immutable map, shared, not copied.
     *
     * @return a new {@link Context} holding the current values
     */
    public static Context copyContext() {
        return new Context(current("ContextVar.copyContext").values);
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
     * <p>As in Python, a context is live: a {@code set} made by code running in it (a body
     * of {@link #run}, or a task created with it) changes it at once, and {@link #get},
     * {@link #contains} and {@link #copy} see the change while that code still runs. A
     * context is entered by one body at a time: {@code run} while it is entered (by a
     * {@code run} in any task, still going, or because it is the calling task's own context)
     * is an {@link IllegalStateException}, Python's {@code RuntimeError}; run a
     * {@link #copy()} instead. Tasks created with the same context share it, as in asyncio.
     *
     * <p>{@link #run} must be called from the loop thread (or the blocking code of
     * {@link Async#toThread}); {@link #get}, {@link #contains} and {@link #copy} are
     * thread-safe.
     */
    public static final class Context {
        volatile Map<ContextVar<?>, Object> values; // immutable; replaced by each set and reset
        private boolean running; // a body of run() is in it now (guarded by this)
        private Task<?> runningIn; // the task that body runs in; null in a plain callback or off the loop

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
         * caller's own context back (also when the body fails). What the body sets goes into
         * this context, at once; tasks it creates start from a copy of this context's values
         * (Python's {@code ctx.run(fn)}). Unlike Python's, the body may suspend; the context
         * stays entered until it ends.
         *
         * <pre>{@code
         * String page = ctx.run(() -> fetch(url));   // fetch sees ctx's values
         * }</pre>
         *
         * @param <R> the type of the body's result
         * @param body the code to run; it may suspend when called from a task
         * @return what {@code body} returned
         * @throws IllegalStateException if this context is already entered (a body of {@code run}
         *     is in it, or it is the calling task's own context)
         * @throws Exception whatever {@code body} threw, unchanged
         */
        public <R> R run(AsyncCallable<R> body) throws Exception {
            java.util.Objects.requireNonNull(body, "body");
            Context offLoop = OFF_LOOP.get();
            if (offLoop != null) { // blocking code of toThread or runInExecutor
                enter(null, offLoop);
                OFF_LOOP.set(this);
                try {
                    return body.call();
                } finally {
                    OFF_LOOP.set(offLoop);
                    exit();
                }
            }
            EventLoop loop = EventLoop.runningLoop("Context.run");
            Task<?> task = loop.currentTask();
            enter(task, loop.currentContext());
            Context caller = loop.swapContext(this);
            try {
                return body.call();
            } finally {
                loop.swapContext(caller);
                exit();
            }
        }

        /** Marks this context entered by a body of run; refuses if it is entered already (changing nothing). */
        private synchronized void enter(Task<?> task, Context callers) {
            if (running) {
                throw new IllegalStateException("Context.run: this context is already entered by a body of run"
                        + (runningIn != null ? " (in task '" + runningIn.name() + "')" : "")
                        + "; a context runs one body at a time: run the body in context.copy().");
            }
            if (callers == this) {
                throw new IllegalStateException("Context.run: this context is already entered: it is the one the"
                        + " calling " + (task != null ? "task '" + task.name() + "'" : "code") + " runs in; run the"
                        + " body in context.copy(), or call it directly.");
            }
            running = true;
            runningIn = task;
        }

        private synchronized void exit() {
            running = false;
            runningIn = null;
        }

        /**
         * {@link #run(AsyncCallable)} for a body that returns nothing.
         *
         * @param body the code to run; it may suspend when called from a task
         * @throws IllegalStateException if this context is already entered
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

        /** The values now. */
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
     * What {@link #set} returns and {@link #reset} takes to undo that set (Python's
     * {@code contextvars.Token}): good once, in the context it was made in.
     *
     * <p>Must be used from the thread that made it.
     *
     * @param <T> the variable's value type
     */
    public static final class Token<T> {
        private final ContextVar<T> variable;
        private final Context context;
        private final boolean hadValue;
        private final Object previous;
        private boolean used;

        Token(ContextVar<T> variable, Context context, boolean hadValue, Object previous) {
            this.variable = variable;
            this.context = context;
            this.hadValue = hadValue;
            this.previous = previous;
        }

        /**
         * The variable that was set (Python's {@code token.var}).
         *
         * @return the variable whose {@code set} made this token
         */
        public ContextVar<T> variable() {
            return variable;
        }

        /**
         * Whether the variable had a value in this context before the set.
         *
         * @return {@code false} if it was not set here (Python's {@code Token.MISSING})
         */
        public boolean hadValue() {
            return hadValue;
        }

        /**
         * The value before the set (Python's {@code token.old_value}).
         *
         * @return that value; {@code null} if there was none (see {@link #hadValue()})
         */
        public Object previous() {
            return previous;
        }

        @Override
        public String toString() {
            return "Token[" + variable.name + (used ? ", used" : "") + "]";
        }
    }

    /** The context the calling code runs in: its task's, the loop's in a callback, or a thread's of toThread. */
    private static Context current(String call) {
        Context offLoop = OFF_LOOP.get();
        return offLoop != null ? offLoop : EventLoop.runningLoop(call).currentContext();
    }

    /**
     * Calls {@code blocking} on this thread in {@code context} (for blocking code that
     * toThread or runInExecutor hand to another thread), then restores the thread's own.
     */
    static <T> T callIn(Context context, java.util.concurrent.Callable<T> blocking) throws Exception {
        Context outer = OFF_LOOP.get();
        OFF_LOOP.set(context);
        try {
            return blocking.call();
        } finally {
            if (outer == null) {
                OFF_LOOP.remove();
            } else {
                OFF_LOOP.set(outer);
            }
        }
    }
}
