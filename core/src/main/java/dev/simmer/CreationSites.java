package dev.simmer;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Debug mode: where each task was created, so that reports and dumps can say it (asyncio's
 * {@code source_traceback}). A stack is captured in {@code createTask} only when debug mode
 * is on; it is forgotten with its task.
 *
 * <p>Must be called from the loop thread.
 */
final class CreationSites {
    private static final int DUMP_FRAMES = 4;

    private final Map<Task<?>, Throwable> sites = new WeakHashMap<>();

    void record(Task<?> task) {
        sites.put(task, new Throwable("task created here"));
    }

    /**
     * Where {@code task} was created: the caller's frames, from the call into Simmer up to
     * the body of the task that created it; empty if unknown.
     */
    StackTraceElement[] of(Task<?> task) {
        Throwable site = task == null ? null : sites.get(task);
        if (site == null) {
            return new StackTraceElement[0];
        }
        StackTraceElement[] frames = site.getStackTrace();
        int first = 0;
        while (first < frames.length && isRuntimeFrame(frames[first])) {
            first++;
        }
        int end = first;
        while (end < frames.length && !isRuntimeFrame(frames[end])) { // up to the creating task's own body
            end++;
        }
        return java.util.Arrays.copyOfRange(frames, first, end);
    }

    /** " (created at Foo.bar(Foo.java:12))", or "" if unknown. */
    String suffix(Task<?> task) {
        StackTraceElement[] frames = of(task);
        return frames.length == 0 ? "" : " (task created at " + frames[0] + ")";
    }

    /** Dump lines for {@code task}'s creation site, indented like the suspended stack. */
    void appendTo(StringBuilder out, Task<?> task) {
        StackTraceElement[] frames = of(task);
        for (int i = 0; i < frames.length && i < DUMP_FRAMES; i++) {
            out.append(i == 0 ? "    created at " : "               ").append(frames[i]).append('\n');
        }
    }

    /** A frame of the runtime itself (not of a test of it, nor of an example). */
    private static boolean isRuntimeFrame(StackTraceElement frame) {
        String cls = frame.getClassName();
        int dot = cls.lastIndexOf('.');
        String pkg = dot < 0 ? "" : cls.substring(0, dot);
        String simple = cls.substring(dot + 1);
        int dollar = simple.indexOf('$');
        String top = dollar < 0 ? simple : simple.substring(0, dollar);
        boolean runtimePackage = pkg.equals("dev.simmer") || pkg.equals("dev.simmer.sync")
                || pkg.equals("dev.simmer.io") || pkg.equals("dev.simmer.internal");
        return runtimePackage && !top.endsWith("Test") && !top.endsWith("Tests");
    }
}
