package dev.simmer.examples;

import java.io.PrintStream;

/**
 * Python Async/Await: Write Non-Blocking Code from Scratch, practice exercise 1: a coroutine
 * function returns a coroutine object when called, without running its body.
 *
 * <pre>
 * Write an async def function called greet that takes a name parameter and returns the
 * string Hello, &lt;name&gt;! Welcome to async Python. Then, outside the function, print the
 * type of the object returned by calling greet('World') (do NOT await it).
 * </pre>
 *
 * <p>The Python, {@code print(type(greet('World')))}, prints {@code <class 'coroutine'>}
 * (and warns on stderr that the coroutine was never awaited). Java has no unawaited-coroutine
 * object, because a Simmer coroutine is an ordinary method whose pauses happen inside the
 * call, on the calling task's stack, so calling {@code greet} runs it and gives its result:
 * this twin prints {@code class java.lang.String}.
 */
public final class GreetCoroutine extends Example {
    /** The example, printing to {@code out}. */
    public GreetCoroutine(PrintStream out) {
        super(out);
    }

    /** {@code async def greet(name)}: it does not wait for anything, so it never pauses. */
    static String greet(String name) {
        return "Hello, " + name + "! Welcome to async Python.";
    }

    @Override
    public void run() {
        Object result = greet("World"); // (do NOT await it): in Java the call runs it
        print(result.getClass());       // class java.lang.String; Python: <class 'coroutine'>
    }
}
