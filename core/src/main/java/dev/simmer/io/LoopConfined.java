package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.EventLoop;

/**
 * The check that opens every loop-confined method of this package (streams, servers,
 * datagram endpoints, subprocesses), before it changes anything: a call from another thread
 * (or from a task of another loop) is refused with an {@link IllegalStateException} that
 * says what to call instead, and the object is left as it was. As {@code EventLoop}'s own
 * check: the loop's thread is recognised with one comparison, anything else (a task body on
 * the threads engine runs on a thread of its own) by asking which loop runs here.
 */
final class LoopConfined {
    private LoopConfined() {
    }

    /**
     * Throws unless called from {@code loop} (a task or callback of it). {@code call} names the
     * method as a user writes it, {@code "StreamWriter.write(...)"}.
     */
    static void check(EventLoop loop, String call) {
        if (loop.inLoopThread()) {
            return; // the loop's own thread: every task on the fast path, every callback
        }
        EventLoop here = runningLoop();
        if (here != loop) {
            throw refused(loop, here, call);
        }
    }

    /**
     * {@link #check}, and that the caller is a task: for a method that may suspend, so that it
     * refuses a plain callback before it begins rather than half-way, once it has to wait.
     */
    static void checkTask(EventLoop loop, String call) {
        check(loop, call);
        if (Async.currentTask() == null) {
            throw new IllegalStateException(call + " may suspend, so it must be called from inside a task, not "
                    + "from a plain callback; it did nothing. Run it in a task: Async.createTask(() -> "
                    + example(call) + ").");
        }
    }

    /**
     * The running loop, for a static entry point that may suspend and has side effects before
     * its first suspension (it starts a process, say): refuses another thread or a plain
     * callback before anything happens.
     */
    static EventLoop requireTask(String call) {
        EventLoop loop = runningLoop();
        if (loop == null) {
            throw new IllegalStateException(call + " must be called from inside a task of a running event loop, not "
                    + "from thread '" + Thread.currentThread().getName() + "'; it did nothing. Hand it to a loop: "
                    + "loopThread.submit(() -> ...) or loop.submit(...), or start one with Async.run(() -> ...).");
        }
        checkTask(loop, call);
        return loop;
    }

    private static EventLoop runningLoop() {
        try {
            return Async.loop();
        } catch (IllegalStateException none) {
            return null;
        }
    }

    private static IllegalStateException refused(EventLoop loop, EventLoop here, String call) {
        String example = example(call);
        if (loop.isClosed()) {
            return new IllegalStateException(call + ": the event loop it belongs to has closed, and it with it; "
                    + "it did nothing.");
        }
        String from = here != null ? "from a task or callback of another event loop"
                : "from thread '" + Thread.currentThread().getName() + "'";
        return new IllegalStateException(call + " must be called on the thread of the event loop it belongs to (in "
                + "a task or callback of that loop), not " + from + "; it did nothing. Hand the call to its loop: "
                + "loopThread.submit(() -> " + example + ") for a LoopThread, or loop.submit(...) for any running "
                + "loop (both return a CompletableFuture).");
    }

    /** {@code "Server.close()"} as code: {@code "server.close()"}. */
    private static String example(String call) {
        int dot = call.indexOf('.');
        String owner = switch (call.substring(0, dot)) {
            case "StreamReader" -> "reader";
            case "StreamWriter" -> "writer";
            case "DatagramEndpoint" -> "endpoint";
            case "Subprocess" -> "process";
            default -> Character.toLowerCase(call.charAt(0)) + call.substring(1, dot);
        };
        return owner + call.substring(dot);
    }
}
