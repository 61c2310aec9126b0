package dev.simmer.internal;

import dev.simmer.EngineKind;

/**
 * Picks the engine, once per JVM: the fast path when {@code jdk.internal.vm} is exported to
 * Simmer, otherwise the portable one, silently. The system property {@code simmer.engine}
 * ({@code continuation} or {@code threads}) forces one; forcing the fast path without the
 * export is a clear error.
 */
public final class Engines {
    /** The system property that forces an engine. */
    public static final String PROPERTY = "simmer.engine";

    private Engines() {
    }

    private static volatile Engine selected; // chosen on first use; computing it twice gives the same

    /**
     * The engine every loop in this JVM uses. Throws {@link IllegalStateException} if the
     * forced one cannot run: every time it is asked, not as a class-initialization error.
     */
    public static Engine selected() {
        Engine e = selected;
        if (e == null) {
            e = choose(System.getProperty(PROPERTY));
            selected = e;
        }
        return e;
    }

    /** Whether the fast path can run in this JVM. */
    public static boolean continuationsAvailable() {
        return ContinuationEngine.accessible();
    }

    static Engine choose(String forced) {
        if (forced == null || forced.isBlank() || forced.equalsIgnoreCase("auto")) {
            return ContinuationEngine.accessible() ? ContinuationEngine.INSTANCE : ThreadEngine.INSTANCE;
        }
        switch (forced.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "continuation":
                if (!ContinuationEngine.accessible()) {
                    throw new IllegalStateException(
                            "-D" + PROPERTY + "=continuation forces the fast-path engine, but this JVM does not export "
                                    + "jdk.internal.vm to Simmer. Add the JVM flag "
                                    + "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED (or the manifest entry "
                                    + "'Add-Exports: java.base/jdk.internal.vm' in an executable jar), "
                                    + "or use -D" + PROPERTY + "=threads." + ContinuationEngine.unavailableReason());
                }
                return ContinuationEngine.INSTANCE;
            case "threads":
                return ThreadEngine.INSTANCE;
            default:
                throw new IllegalStateException("-D" + PROPERTY + "=" + forced
                        + " is not an engine: use 'continuation' (fast path) or 'threads' (portable), or leave it unset.");
        }
    }

    /** Which engine would run, as a kind, for the public API. */
    public static EngineKind selectedKind() {
        return selected().kind();
    }
}
