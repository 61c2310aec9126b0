package dev.simmer.examples;

import dev.simmer.AsyncCallable;

import java.io.PrintStream;

/**
 * Seed 002, practice exercise 1: a coroutine function returns a coroutine object when
 * called, without running its body.
 *
 * <pre>
 * Write an async def function called greet that takes a name parameter and returns the
 * string Hello, &lt;name&gt;! Welcome to async Python. Then, outside the function, print the
 * type of the object returned by calling greet('World') (do NOT await it).
 * </pre>
 *
 * <p>Python prints {@code coroutine}. The Java twin of "a function that, called, gives a
 * body to run later" is a method returning an {@link AsyncCallable}, so this prints
 * {@code AsyncCallable}; then, beyond the exercise, it runs the body.
 */
public final class GreetCoroutine extends Example {
    /** The example, printing to {@code out}. */
    public GreetCoroutine(PrintStream out) {
        super(out);
    }

    /** {@code async def greet(name)}: calling it builds the coroutine; nothing runs yet. */
    static AsyncCallable<String> greet(String name) {
        return () -> "Hello, " + name + "! Welcome to async Python.";
    }

    @Override
    public void run() throws Exception {
        AsyncCallable<String> coroutine = greet("World"); // do NOT await it
        print(typeName(coroutine)); // Python: coroutine

        print(coroutine.call()); // awaiting it runs the body
    }
}
