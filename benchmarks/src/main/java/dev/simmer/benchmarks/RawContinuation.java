package dev.simmer.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A bare {@code jdk.internal.vm.Continuation}, the floor under Simmer's fast path: no loop, no
 * queue, no task object. Reached through {@link MethodHandle}s held in {@code static final}
 * fields, exactly as Simmer's {@code ContinuationEngine} does, so the JIT binds them as
 * constants and inlines the calls; the numbers are what a direct call would cost.
 *
 * <p>Needs {@code --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED} ({@link Jvm#EXPORT}) in
 * the fork. Used from one thread at a time.
 */
final class RawContinuation {
    private static final Object SCOPE;
    private static final MethodHandle NEW;      // (Object scope, Runnable) Object
    private static final MethodHandle RUN;      // (Object) void
    private static final MethodHandle IS_DONE;  // (Object) boolean
    private static final MethodHandle YIELD;    // (Object scope) boolean

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            SCOPE = lookup.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
                    .invoke("bench");
            NEW = lookup.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            RUN = lookup.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            IS_DONE = lookup.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            YIELD = lookup.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(new IllegalStateException(
                    "The raw-continuation baseline needs the JVM flag " + Jvm.EXPORT, e));
        }
    }

    private RawContinuation() {
    }

    /** A new continuation that will run {@code body}; runs nothing yet. */
    static Object create(Runnable body) {
        try {
            return NEW.invokeExact(SCOPE, body);
        } catch (Throwable e) {
            throw sneaky(e);
        }
    }

    /** Runs {@code continuation} until it yields or ends. */
    static void run(Object continuation) {
        try {
            RUN.invokeExact(continuation);
        } catch (Throwable e) {
            throw sneaky(e);
        }
    }

    /** Whether {@code continuation} has run to its end. */
    static boolean isDone(Object continuation) {
        try {
            return (boolean) IS_DONE.invokeExact(continuation);
        } catch (Throwable e) {
            throw sneaky(e);
        }
    }

    /** From inside a continuation of this class: gives control back to whoever ran it. */
    static void yieldNow() {
        boolean yielded;
        try {
            yielded = (boolean) YIELD.invokeExact(SCOPE);
        } catch (Throwable e) {
            throw sneaky(e);
        }
        if (!yielded) {
            throw new IllegalStateException("Continuation.yield failed (pinned?)");
        }
    }

    private static RuntimeException sneaky(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new IllegalStateException(e);
    }
}
