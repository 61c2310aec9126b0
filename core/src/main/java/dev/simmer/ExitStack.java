package dev.simmer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stack of things to close, closed in reverse order by one {@link #close()} (Python's
 * {@code contextlib.AsyncExitStack}): for a number of resources known only at run time, or
 * to hand resources over once all of them are open.
 *
 * <pre>{@code
 * try (ExitStack stack = new ExitStack()) {
 *     List<Connection> conns = new ArrayList<>();
 *     for (String host : hosts) {
 *         conns.add(stack.enter(() -> Connection.open(host), Connection::close));
 *     }
 *     stack.callback(() -> System.out.println("all closed"));   // runs first: reverse order
 *     useAll(conns);
 * }   // closes the connections, last opened first, even if one of the closes fails
 * }</pre>
 *
 * <p>{@link #close()} takes the entries from the top: each close is attempted even if an
 * earlier one failed, and each may suspend. Then the first failure is thrown with the others
 * attached as suppressed, except that a {@link CancelledException} ranks before other
 * exceptions (as in {@link Async#gather}), so a task cancelled while closing still ends
 * cancelled. A cancellation that reaches the task while one entry closes is delivered to that
 * entry's wait (as in asyncio); the entries below it are still closed, and their waits work.
 * In try-with-resources whose block failed, Java keeps the block's exception primary and
 * attaches the stack's as suppressed. {@code close()} declares no checked exception (so
 * {@code -Xlint:try} has nothing to say about it); a checked failure is rethrown unchanged
 * and undeclared, as {@link AsyncResource#close()} does. To make one entry's close finish
 * even if the task is cancelled meanwhile, enter it with an
 * {@link AsyncResource#shielded(AsyncResource.Teardown) AsyncResource.shielded} teardown.
 *
 * <p>Must be called from the loop thread; {@code enter} and {@code close} from inside a task
 * when what they run suspends.
 */
public final class ExitStack implements AutoCloseable {
    /*
     * Overview: `exits` holds, top first, the actions close() runs: a resource's close, or a
     * callback. Entries are taken off before they run, so each runs at most once even if
     * close() is called again (a stack may be reused once closed, as Python's).
     */
    private final EventLoop loop;
    private final ArrayDeque<AsyncRunnable> exits = new ArrayDeque<>();

    /**
     * An empty stack on the current loop.
     *
     * @throws IllegalStateException outside a running loop
     */
    public ExitStack() {
        this(EventLoop.runningLoop("new ExitStack()"));
    }

    private ExitStack(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * Pushes {@code resource}, already open, so that {@link #close()} closes it; returns it.
     * A {@code null} resource is ignored, as try-with-resources does.
     *
     * @param <R> the resource's type
     * @param resource an open resource, or {@code null} (ignored)
     * @return {@code resource}, for use in an expression
     */
    public <R extends AutoCloseable> R push(R resource) {
        loop.checkThread("ExitStack.push");
        if (resource != null) {
            exits.push(resource::close);
        }
        return resource;
    }

    /**
     * Opens a resource with {@code opener} (which may suspend) and pushes it; returns it
     * (Python's {@code enter_async_context}). If {@code opener} throws, nothing is pushed
     * and the exception propagates unchanged.
     *
     * <pre>{@code
     * Session session = stack.enter(() -> Session.open(url));   // Session implements AutoCloseable
     * }</pre>
     *
     * @param <R> the resource's type
     * @param opener opens the resource; runs now, in the calling task, and may suspend
     * @return the open resource, now closed by this stack
     * @throws Exception whatever {@code opener} threw, unchanged
     */
    public <R extends AutoCloseable> R enter(AsyncCallable<R> opener) throws Exception {
        loop.checkThread("ExitStack.enter");
        R resource = Objects.requireNonNull(opener, "opener").call();
        return push(resource);
    }

    /**
     * Runs {@code setup} (which may suspend) and pushes its value with {@code teardown} as its
     * close, as an {@link AsyncResource}; returns the value.
     *
     * <pre>{@code
     * Connection conn = stack.enter(() -> Connection.open(host), Connection::close);
     * }</pre>
     *
     * @param <T> the value's type
     * @param setup opens the value; runs now, in the calling task, and may suspend
     * @param teardown closes the value when the stack closes; not run if {@code setup} fails
     * @return the value {@code setup} returned
     * @throws Exception whatever {@code setup} threw, unchanged
     */
    public <T> T enter(AsyncCallable<? extends T> setup, AsyncResource.Teardown<? super T> teardown) throws Exception {
        loop.checkThread("ExitStack.enter");
        AsyncResource<T> resource = AsyncResource.of(setup, teardown);
        push(resource);
        return resource.get();
    }

    /**
     * Pushes {@code cleanup}, which may suspend, to run at {@link #close()} (Python's {@code push_async_callback}).
     *
     * @param cleanup the code to run when the stack closes, in reverse order of pushing; not {@code null}
     */
    public void callback(AsyncRunnable cleanup) {
        loop.checkThread("ExitStack.callback");
        exits.push(Objects.requireNonNull(cleanup, "cleanup"));
    }

    /**
     * Moves every entry to a new stack and returns it, leaving this one empty (Python's
     * {@code pop_all}): open several resources under a stack, then keep them open past its
     * block once they all succeeded.
     *
     * <pre>{@code
     * ExitStack kept;
     * try (ExitStack stack = new ExitStack()) {
     *     a = stack.enter(() -> openA(), A::close);
     *     b = stack.enter(() -> openB(), B::close);   // if this fails, a is closed
     *     kept = stack.popAll();                      // both open: nothing is closed here
     * }
     * }</pre>
     *
     * @return a new stack holding every entry of this one; this one is left empty
     */
    public ExitStack popAll() {
        loop.checkThread("ExitStack.popAll");
        ExitStack moved = new ExitStack(loop);
        moved.exits.addAll(exits);
        exits.clear();
        return moved;
    }

    /**
     * How many entries wait to be closed.
     *
     * @return the number of resources and callbacks still to close
     */
    public int size() {
        loop.checkThread("ExitStack.size");
        return exits.size();
    }

    /**
     * Closes every entry, last pushed first, attempting each even if one fails; may suspend.
     * Then throws the first failure (a cancellation first) with the others suppressed,
     * unchanged (undeclared if it is checked).
     */
    @Override
    public void close() {
        loop.checkThread("ExitStack.close");
        List<Throwable> failures = null;
        for (AsyncRunnable exit; (exit = exits.poll()) != null; ) {
            try {
                exit.run();
            } catch (Throwable e) {
                if (failures == null) {
                    failures = new ArrayList<>(2);
                }
                failures.add(e);
            }
        }
        if (failures == null) {
            return;
        }
        Throwable primary = failures.get(0);
        for (Throwable e : failures) {
            if (e instanceof CancelledException) {
                primary = e;
                break;
            }
        }
        for (Throwable e : failures) {
            if (e != primary) {
                primary.addSuppressed(e);
            }
        }
        throw AsyncGenerator.sneakyThrow(primary);
    }

    @Override
    public String toString() {
        return "ExitStack[" + exits.size() + " to close]";
    }
}
