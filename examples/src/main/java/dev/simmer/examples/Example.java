package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * One runnable example: an async {@link #run()} body that prints, like the Python program it
 * is the twin of, to the stream it was made with.
 *
 * <p>The launcher runs it with {@link #runProgram()}, which is {@code Async.run(this::run)}
 * unless the example's Python does more at its top level; a test runs {@link #run()} on a
 * virtual clock and captures what it prints:
 *
 * <pre>{@code
 * ByteArrayOutputStream bytes = new ByteArrayOutputStream();
 * Example hello = new SayHello(new PrintStream(bytes, true, UTF_8));
 * Runner.create().virtualTime(true).run(hello::run);   // takes no real time
 * }</pre>
 *
 * <p>The examples print through {@link #print(Object)}, which shows a value the way Python's
 * {@code print} does ({@code ['User 1', 'User 2']}, where Java's {@code List.toString()} gives
 * {@code [User 1, User 2]}), so that each prints exactly what its Python twin prints.
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

    /**
     * The whole program, as the Python's top level runs it: by default
     * {@code asyncio.run(main())}, that is {@code Async.run(this::run)}. Must be called from
     * a thread that is not running a loop.
     *
     * @throws Exception what the program threw, unchanged
     */
    public void runProgram() throws Exception {
        Async.run(this::run);
    }

    /** Python's {@code print(value)}: strings as they are, lists and maps as Python shows them ({@link Py#str}). */
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
}
