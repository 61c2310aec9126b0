package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * One runnable example: an async {@link #run()} body that prints, like the Python program it
 * mirrors, to the stream it was made with.
 *
 * <p>The launcher runs it with {@code Async.run(example::run)} and {@code System.out}; a
 * test runs it on a virtual clock and captures what it prints:
 *
 * <pre>{@code
 * ByteArrayOutputStream bytes = new ByteArrayOutputStream();
 * Example hello = new SayHello(new PrintStream(bytes, true, UTF_8));
 * Runner.create().virtualTime(true).run(hello::run);   // takes no real time
 * }</pre>
 *
 * <p>{@link #run()} must be called from inside a task of a running loop. Printing is
 * thread-safe (a {@link PrintStream} is).
 */
public abstract class Example {
    private final PrintStream out;

    /** An example printing to {@code out}. */
    protected Example(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * The program: the coroutine the Python program hands to {@code asyncio.run} (or awaits
     * at the top level of its notebook). Must be called from inside a task.
     */
    public abstract void run() throws Exception;

    /** Python's {@code print(value)}: strings as they are, lists and maps as Python shows them. */
    protected final void print(Object value) {
        out.println(Py.str(value));
    }

    /** Python's {@code print()}: an empty line. */
    protected final void print() {
        out.println();
    }

    /**
     * The loop's clock, in nanoseconds (asyncio's {@code loop.time()}). Virtual under a
     * virtual clock, so the times the examples print are exact in tests.
     */
    protected static long now() {
        return Async.loop().time();
    }

    /** The seconds since {@code start} (a {@link #now()}) the way {@code f"{elapsed:.2f}s"} prints them: {@code 2.00s}. */
    protected static String secondsSince(long start) {
        return String.format(Locale.ROOT, "%.2fs", (now() - start) / 1e9);
    }

    /**
     * What Python's {@code type(value).__name__} would say: for a lambda or method reference,
     * the interface it implements ({@code AsyncCallable}), else the class's simple name.
     */
    protected static String typeName(Object value) {
        Class<?> type = value.getClass();
        if ((type.isSynthetic() || type.isHidden()) && type.getInterfaces().length > 0) {
            return type.getInterfaces()[0].getSimpleName();
        }
        return type.getSimpleName();
    }
}
