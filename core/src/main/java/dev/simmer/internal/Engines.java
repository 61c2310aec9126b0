package dev.simmer.internal;

import dev.simmer.EngineKind;

import java.util.List;
import java.util.Locale;

/**
 * Picks the engine, once per JVM: the fast path when {@code jdk.internal.vm} is exported to
 * Simmer, otherwise the portable one. The system property {@code simmer.engine}
 * ({@code continuation} or {@code threads}) forces one, silently; forcing the fast path without
 * the export is a clear error naming the flag for how Simmer was loaded. A fallback (no flag,
 * no explicit choice) is said once per JVM, as a warning of the {@code dev.simmer}
 * {@link System.Logger}, with that same flag.
 */
public final class Engines {
    /*
     * Overview: the flag that opens the fast path depends on how Simmer was loaded
     * (Loading): on the class path its classes are in the unnamed module, so the export must
     * reach ALL-UNNAMED; on the module path they are in the named module dev.simmer, which
     * ALL-UNNAMED does not reach; in an executable jar (java -jar) the jar's manifest can carry
     * the export. loading() tells them apart from what the launcher leaves in system
     * properties; each message is built by a pure function of the Loading, so tests check every
     * wording without starting a JVM per case.
     */

    /** The system property that forces an engine. */
    public static final String PROPERTY = "simmer.engine";

    private static final String PACKAGE = "jdk.internal.vm";

    private Engines() {
    }

    private static volatile Engine selected; // chosen on first use; computing it twice gives the same
    private static volatile boolean noticeGiven;

    /** How Simmer's classes were loaded, which decides the flag that opens the fast path. */
    enum Loading {
        /** On the class path ({@code java -cp}): the unnamed module. */
        CLASS_PATH,
        /** On the module path: the named module {@code dev.simmer}. */
        MODULE_PATH,
        /** In an executable jar ({@code java -jar}), on its class path. */
        EXECUTABLE_JAR,
        /** On the class path, but it is not clear whether an executable jar was launched. */
        CLASS_PATH_OR_JAR
    }

    /**
     * The engine every loop in this JVM uses. Throws {@link IllegalStateException} if the
     * forced one cannot run: every time it is asked, not as a class-initialization error.
     */
    public static Engine selected() {
        Engine e = selected;
        if (e == null) {
            String forced = System.getProperty(PROPERTY);
            e = choose(forced);
            if (isAutomatic(forced) && e == ThreadEngine.INSTANCE) {
                noticeFallback(loading(), addsExportsToAllUnnamed());
            }
            selected = e;
        }
        return e;
    }

    /** Whether the fast path can run in this JVM. */
    public static boolean continuationsAvailable() {
        return ContinuationEngine.accessible();
    }

    static Engine choose(String forced) {
        if (isAutomatic(forced)) {
            return ContinuationEngine.accessible() ? ContinuationEngine.INSTANCE : ThreadEngine.INSTANCE;
        }
        switch (forced.trim().toLowerCase(Locale.ROOT)) {
            case "continuation":
                if (!ContinuationEngine.accessible()) {
                    throw new IllegalStateException(forcedButInaccessible(loading(), addsExportsToAllUnnamed())
                            + ContinuationEngine.unavailableReason());
                }
                return ContinuationEngine.INSTANCE;
            case "threads":
                return ThreadEngine.INSTANCE;
            default:
                throw new IllegalStateException("-D" + PROPERTY + "=" + forced
                        + " is not an engine: use 'continuation' (fast path) or 'threads' (portable), or leave it unset.");
        }
    }

    private static boolean isAutomatic(String forced) {
        return forced == null || forced.isBlank() || forced.trim().equalsIgnoreCase("auto");
    }

    /** Which engine would run, as a kind, for the public API. */
    public static EngineKind selectedKind() {
        return selected().kind();
    }

    // ----- the fallback notice, once per JVM

    /** Logs the fallback notice unless it was given already in this JVM; true if this call gave it. */
    static boolean noticeFallback(Loading loading, boolean allUnnamedGiven) {
        synchronized (Engines.class) {
            if (noticeGiven) {
                return false;
            }
            noticeGiven = true;
        }
        System.getLogger("dev.simmer").log(System.Logger.Level.WARNING, fallbackNotice(loading, allUnnamedGiven));
        return true;
    }

    /** The fallback notice for {@code loading}; {@code allUnnamedGiven}: the ALL-UNNAMED flag is there (useless to a named module). */
    static String fallbackNotice(Loading loading, boolean allUnnamedGiven) {
        return "Simmer runs on its portable 'threads' engine, several times slower than its fast path, because"
                + " java.base does not export " + PACKAGE + " to it. For the fast path, " + howToExport(loading)
                + (loading == Loading.MODULE_PATH && allUnnamedGiven ? " " + allUnnamedDoesNotReach() : "")
                + " To choose the portable engine and silence this notice, run with -D" + PROPERTY + "=threads.";
    }

    /** The error when {@code -Dsimmer.engine=continuation} is set but the fast path is closed. */
    static String forcedButInaccessible(Loading loading, boolean allUnnamedGiven) {
        return "-D" + PROPERTY + "=continuation forces the fast-path engine, but java.base does not export "
                + PACKAGE + " to Simmer. " + capitalized(howToExport(loading))
                + (loading == Loading.MODULE_PATH && allUnnamedGiven ? " " + allUnnamedDoesNotReach() : "")
                + " Or use -D" + PROPERTY + "=threads for the portable engine.";
    }

    /** The JVM flag that opens the fast path for {@code loading}, as it is typed on the command line. */
    static String flag(Loading loading) {
        return "--add-exports java.base/" + PACKAGE + "=" + (loading == Loading.MODULE_PATH ? moduleName() : "ALL-UNNAMED");
    }

    /** Simmer's module on the module path: dev.simmer (or whatever a repackaging named it). */
    private static String moduleName() {
        Module m = Engines.class.getModule();
        return m.isNamed() ? m.getName() : "dev.simmer";
    }

    private static String howToExport(Loading loading) {
        return switch (loading) {
            case CLASS_PATH -> "add the JVM flag " + flag(loading) + ".";
            case MODULE_PATH -> "add the JVM flag " + flag(loading)
                    + " (Simmer is on the module path, in the named module " + moduleName() + ").";
            case EXECUTABLE_JAR -> "add the line 'Add-Exports: java.base/" + PACKAGE + "' to the executable jar's"
                    + " manifest (META-INF/MANIFEST.MF), or run it with the JVM flag " + flag(loading) + ".";
            case CLASS_PATH_OR_JAR -> "add the JVM flag " + flag(loading) + " (in an executable jar run with java"
                    + " -jar, the manifest line 'Add-Exports: java.base/" + PACKAGE + "' does it).";
        };
    }

    private static String allUnnamedDoesNotReach() {
        return "The flag --add-exports java.base/" + PACKAGE + "=ALL-UNNAMED is there, but it reaches only code on the"
                + " class path, not the named module " + moduleName() + ".";
    }

    private static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    // ----- how Simmer was loaded

    /** How Simmer was loaded in this JVM. */
    static Loading loading() {
        return loading(Engines.class.getModule().isNamed(), System.getProperty("sun.java.command"),
                System.getProperty("java.class.path"), System.getProperty("jdk.module.main"));
    }

    /**
     * How Simmer was loaded: {@code named} (its module is named: the module path), else from
     * the launcher's properties. {@code java -jar app.jar} leaves the jar as both the class
     * path and the command's first word; {@code java -cp ... Main} leaves a class name there.
     *
     * @param command   {@code sun.java.command}: the main class or jar, then the arguments; null if unknown
     * @param classPath {@code java.class.path}
     * @param mainModule {@code jdk.module.main}: set when the main class came from a module ({@code java -m})
     */
    static Loading loading(boolean named, String command, String classPath, String mainModule) {
        if (named) {
            return Loading.MODULE_PATH;
        }
        if (mainModule != null && !mainModule.isEmpty()) {
            return Loading.CLASS_PATH; // a modular main, Simmer on the class path beside it
        }
        if (command == null || command.isBlank() || classPath == null || classPath.isEmpty()) {
            return Loading.CLASS_PATH_OR_JAR;
        }
        boolean jarClassPath = classPath.toLowerCase(Locale.ROOT).endsWith(".jar")
                && !classPath.contains(java.io.File.pathSeparator);
        if (jarClassPath && (command.equals(classPath) || command.startsWith(classPath + " "))) {
            return Loading.EXECUTABLE_JAR;
        }
        String first = command.split(" ", 2)[0];
        if (first.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            return Loading.CLASS_PATH_OR_JAR; // a jar was launched, but the class path says otherwise
        }
        return Loading.CLASS_PATH;
    }

    /**
     * Whether the JVM was given {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}; asked
     * only when the fast path is closed to a named Simmer module, to say why that flag did not help.
     */
    private static boolean addsExportsToAllUnnamed() {
        if (!Engines.class.getModule().isNamed()) {
            return false;
        }
        try {
            List<String> args = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
            return mentionsAllUnnamedExport(args);
        } catch (RuntimeException e) {
            return false; // not allowed to look: the message simply does not mention it
        }
    }

    /** Whether {@code jvmArgs} export jdk.internal.vm to ALL-UNNAMED (either spelling of the flag). */
    static boolean mentionsAllUnnamedExport(List<String> jvmArgs) {
        String target = "java.base/" + PACKAGE + "=";
        for (String arg : jvmArgs) {
            int at = arg.indexOf(target);
            if (at >= 0 && arg.substring(at + target.length()).contains("ALL-UNNAMED")) {
                return true;
            }
        }
        return false;
    }
}
