package dev.simmer.internal;

import dev.simmer.EngineKind;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The fast path: each coroutine is a {@code jdk.internal.vm.Continuation} running on the
 * loop thread. A suspension is a continuation yield; a resumption is a {@code run()}.
 *
 * <p>The class is reached through {@link MethodHandle}s, so nothing is needed at compile
 * time ({@code javac --release} refuses {@code --add-exports}); at run time java.base must
 * export {@code jdk.internal.vm} to Simmer's module: {@code --add-exports
 * java.base/jdk.internal.vm=ALL-UNNAMED} on the class path, {@code =dev.simmer} on the module
 * path (see {@link Engines}).
 *
 * <p>Facts it lives with: every coroutine shares the loop thread (so JDK locks and
 * ThreadLocals do not separate tasks); a yield inside a native frame or a critical section
 * is pinned and fails, which {@link #suspend} reports with the reason; a
 * continuation that is never resumed never runs its {@code finally} blocks, which is why
 * the loop delivers cancellation by resuming the task.
 */
public final class ContinuationEngine implements Engine {
    static final ContinuationEngine INSTANCE = new ContinuationEngine();

    private ContinuationEngine() {
    }

    /** Why the fast path is unavailable, or "" if it is available. */
    static String unavailableReason() {
        return Access.FAILURE == null ? "" : " (" + Access.FAILURE + ")";
    }

    static boolean accessible() {
        return Access.FAILURE == null;
    }

    @Override
    public EngineKind kind() {
        return EngineKind.CONTINUATION;
    }

    /** Continuations run on the caller's thread, whatever it is. */
    @Override
    public <T> T hostLoop(java.util.concurrent.Callable<T> loop) throws Exception {
        return loop.call();
    }

    @Override
    public boolean resume(Fiber fiber) {
        try {
            Object continuation = fiber.state;
            if (continuation == null) {
                fiber.state = continuation = Handles.NEW.invokeExact(Handles.SCOPE, (Runnable) fiber);
            }
            Handles.RUN.invokeExact(continuation);
            return (boolean) Handles.IS_DONE.invokeExact(continuation);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Simmer could not run a continuation; please report", e);
        }
    }

    @Override
    public void suspend(Fiber fiber) {
        // Inlined into every suspension: the failures are handled out of line (suspendFailed), so
        // that the suspension stays small enough for the JIT to inline it into its caller (each
        // frame on a task's stack costs at every switch).
        boolean yielded;
        try {
            yielded = (boolean) Handles.YIELD.invokeExact(Handles.SCOPE);
        } catch (Throwable e) {
            throw suspendFailed(e);
        }
        if (!yielded) {
            throw new IllegalStateException("Simmer could not suspend the task; please report");
        }
    }

    /** What a failed yield throws: a pinned stack explained, an unchecked throwable as it is, anything else wrapped. */
    private static RuntimeException suspendFailed(Throwable e) {
        if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).startsWith("Pinned")) {
            String message = e.getMessage();
            return new IllegalStateException("A task cannot suspend here: its stack is pinned to the loop thread ("
                    + message.substring("Pinned".length()).replaceFirst("^:\\s*", "")
                    + "). This happens when a suspending call (sleep, await, ...) runs inside a "
                    + "'synchronized' block or method, a class initializer, or a native frame. "
                    + "Move the call out of it, and use dev.simmer.sync.Lock instead of 'synchronized' in tasks.", e);
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("Simmer could not suspend a continuation; please report", e);
    }

    @Override
    public StackTraceElement[] stackTrace(Fiber fiber) {
        Object continuation = fiber.state;
        if (Handles.STACK == null || continuation == null) {
            return new StackTraceElement[0];
        }
        try {
            return (StackTraceElement[]) Handles.STACK.invokeExact(continuation);
        } catch (Throwable e) {
            return new StackTraceElement[0];
        }
    }

    /**
     * Why java.base does not export {@code jdk.internal.vm} to {@code simmer} (Simmer's module:
     * the unnamed one on the class path, {@code dev.simmer} on the module path), or null if it
     * does. The export must reach that very module: {@code =ALL-UNNAMED} does not reach a named one.
     */
    static String exportFailure(Module simmer) {
        if (Object.class.getModule().isExported("jdk.internal.vm", simmer)) {
            return null;
        }
        return "java.base does not export jdk.internal.vm to " + simmer;
    }

    /** Checks, without failing, whether the JVM lets Simmer use {@code jdk.internal.vm}. */
    private static final class Access {
        static final String FAILURE = check();

        private static String check() {
            String closed = exportFailure(ContinuationEngine.class.getModule());
            if (closed != null) {
                return closed;
            }
            try {
                Handles.SCOPE.hashCode();
                return null;
            } catch (Throwable e) {
                return "jdk.internal.vm.Continuation is not usable: " + e;
            }
        }
    }

    /** The method handles; loaded only once {@link Access} said the package is exported. */
    private static final class Handles {
        static final Object SCOPE;
        static final MethodHandle NEW;      // (Object scope, Runnable) Object
        static final MethodHandle RUN;      // (Object) void
        static final MethodHandle IS_DONE;  // (Object) boolean
        static final MethodHandle YIELD;    // (Object scope) boolean
        static final MethodHandle STACK;    // (Object) StackTraceElement[]

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
                Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
                SCOPE = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                        .invoke("simmer");
                NEW = lookup.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                        .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
                RUN = lookup.findVirtual(contClass, "run", MethodType.methodType(void.class))
                        .asType(MethodType.methodType(void.class, Object.class));
                IS_DONE = lookup.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                        .asType(MethodType.methodType(boolean.class, Object.class));
                YIELD = lookup.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                        .asType(MethodType.methodType(boolean.class, Object.class));
                MethodHandle stack;
                try {
                    stack = lookup.findVirtual(contClass, "getStackTrace", MethodType.methodType(StackTraceElement[].class))
                            .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
                } catch (NoSuchMethodException e) {
                    stack = null;
                }
                STACK = stack;
            } catch (Throwable e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
