package dev.simmer;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A loop's side of {@link ThreadContextBridge}: moves the registered bridges' values between
 * threads and contexts. Made only when a bridge is registered; otherwise the loop's hooks see
 * null and do nothing.
 */
final class BridgedState {
    /*
     * Overview. A bridge's value lives in a context map (a task's, or the loop's own) under
     * the bridge's private key, so children, copyContext and Context.run carry it like a
     * ContextVar. While code runs in a context, the value is installed on its thread instead,
     * where the library reads and changes it:
     *
     *   where                        installed by                       captured back by
     *   a task's step (body thread)  stepBegins (body start, resume)    stepEnds (suspend, end),
     *                                                                   and each currentContext() read
     *   callbacks (loop's context)   enterCallback, lazily: at most     stepBegins on that thread,
     *                                once per run of callbacks          and each currentContext() read
     *
     * rootOn is the thread that holds the loop's own values now, or null. On the fast path it
     * is the loop thread between steps that follow callbacks; on the threads engine the loop
     * thread never runs a step, so the loop's values stay installed there. A callback may only
     * run ahead on another thread (a waiting task's, threads engine) when the loop's values are
     * not live elsewhere (mayRunAhead): their latest changes would be out of reach; after it
     * ran ahead, they are captured at once (ranAhead), since that thread may now park.
     *
     * Every method but carry() runs on the thread of the code it concerns, with the loop's
     * turn (the loop thread, or a task's body thread on the threads engine).
     */
    private final EventLoop loop;
    private final ThreadContextBridge<?>[] bridges;
    private Thread rootOn;

    BridgedState(EventLoop loop, ThreadContextBridge<?>[] bridges) {
        this.loop = loop;
        this.bridges = bridges;
    }

    /** A step of {@code task} begins on this thread: its values replace whatever the thread holds. */
    void stepBegins(Task<?> task) {
        if (rootOn == Thread.currentThread()) {
            loop.rootContextCaptured(captureInto(loop.rootContextRaw(), null));
            rootOn = null;
        }
        for (ThreadContextBridge<?> b : bridges) {
            restore(b, task.runningValues().get(b.key), task);
        }
    }

    /** The step ends on this thread: the task keeps what the thread holds ({@code keep}), the thread is cleared. */
    void stepEnds(Task<?> task, boolean keep) {
        if (keep) {
            Map<ContextVar<?>, Object> before = task.runningValues();
            Map<ContextVar<?>, Object> now = captureInto(before, task);
            if (now != before) {
                task.runningContext().values = now;
            }
        }
        for (ThreadContextBridge<?> b : bridges) {
            restore(b, null, task);
        }
    }

    /** A callback is about to run on this thread: the loop's own values, unless they are installed here. */
    void enterCallback() {
        Thread here = Thread.currentThread();
        if (rootOn != here) {
            Map<ContextVar<?>, Object> root = loop.rootContextRaw();
            for (ThreadContextBridge<?> b : bridges) {
                restore(b, root.get(b.key), null);
            }
            rootOn = here;
        }
    }

    /**
     * An entry ran ahead on a waiting task's thread, which may now suspend there: if it was a
     * callback, the loop's values go back into the loop's context, and the thread is cleared.
     */
    void ranAhead() {
        if (rootOn == Thread.currentThread()) {
            loop.rootContextCaptured(captureInto(loop.rootContextRaw(), null));
            rootOn = null;
            for (ThreadContextBridge<?> b : bridges) {
                restore(b, null, null);
            }
        }
    }

    /** Whether a callback may run ahead on this thread: the loop's values are not live on another one. */
    boolean mayRunAhead(Object entry) {
        return entry instanceof Task<?> || rootOn == null || rootOn == Thread.currentThread();
    }

    /** currentContext(): {@code context} with what the running code's thread holds now; {@code task} null in a callback. */
    Map<ContextVar<?>, Object> sync(Task<?> task, Map<ContextVar<?>, Object> context) {
        if (task == null && rootOn != Thread.currentThread()) {
            return context; // the loop's values are not installed here: the map has them as they are
        }
        return captureInto(context, task);
    }

    /** swapContext(): code switches from {@code before} to {@code after} on this thread (Context.run); installs what differs. */
    void switched(Map<ContextVar<?>, Object> before, Map<ContextVar<?>, Object> after, Task<?> task) {
        for (ThreadContextBridge<?> b : bridges) {
            Object next = after.get(b.key);
            if (before.get(b.key) != next) {
                restore(b, next, task);
            }
        }
    }

    /** The thread's values now (at the loop's start: what the thread running Async.run held). */
    Object[] saveThread() {
        Object[] saved = new Object[bridges.length];
        for (int i = 0; i < bridges.length; i++) {
            try {
                saved[i] = bridges[i].capture();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                report(bridges[i], "capture", e, null);
            }
        }
        return saved;
    }

    /** Puts back what {@link #saveThread} saved, on the same thread (the loop has closed). */
    void restoreThread(Object[] saved) {
        for (int i = 0; i < bridges.length; i++) {
            restore(bridges[i], saved[i], null);
        }
        rootOn = null;
    }

    /**
     * Work for another thread (toThread): runs {@code work} with the values of {@code context}
     * installed, then puts the worker's own back. On the worker a failing bridge fails the
     * work, which its awaiting task sees.
     */
    <T> Callable<T> carry(Map<ContextVar<?>, Object> context, Callable<T> work) {
        Object[] values = new Object[bridges.length];
        for (int i = 0; i < bridges.length; i++) {
            values[i] = context.get(bridges[i].key);
        }
        return () -> {
            Object[] own = new Object[bridges.length];
            for (int i = 0; i < bridges.length; i++) {
                own[i] = bridges[i].capture();
            }
            try {
                for (int i = 0; i < bridges.length; i++) {
                    bridges[i].restore(values[i]);
                }
                return work.call();
            } finally {
                for (int i = bridges.length - 1; i >= 0; i--) {
                    bridges[i].restore(own[i]);
                }
            }
        };
    }

    /** {@code context} with each bridge's value replaced by what this thread holds, or {@code context} itself if none changed. */
    private Map<ContextVar<?>, Object> captureInto(Map<ContextVar<?>, Object> context, Task<?> task) {
        Map<ContextVar<?>, Object> changed = null;
        for (ThreadContextBridge<?> b : bridges) {
            Object now;
            try {
                now = b.capture();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                report(b, "capture", e, task);
                continue; // the context keeps the value it had
            }
            Object before = context.get(b.key);
            if (now == before || (now != null && now.equals(before))) {
                continue;
            }
            if (changed == null) {
                changed = new HashMap<>(context);
            }
            if (now == null) {
                changed.remove(b.key);
            } else {
                changed.put(b.key, now);
            }
        }
        return changed == null ? context : Collections.unmodifiableMap(changed);
    }

    private void restore(ThreadContextBridge<?> b, Object value, Task<?> task) {
        try {
            b.restore(value);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            report(b, value == null ? "clear" : "install", e, task);
        }
    }

    private void report(ThreadContextBridge<?> b, String what, Throwable e, Task<?> task) {
        loop.report(new ErrorReport(b + " failed to " + what + " the thread's state"
                + (task != null ? " for task '" + task.name() + "'" : "") + "; the loop goes on without it", e, task));
    }
}
