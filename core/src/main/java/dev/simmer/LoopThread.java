package dev.simmer;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop on a thread of its own, for programs that are not async themselves (a
 * servlet, a GUI, a test, a {@code main} that does blocking work): start it, hand it
 * coroutines from any thread, close it.
 *
 * <pre>{@code
 * try (LoopThread simmer = LoopThread.start()) {
 *     CompletableFuture<String> page = simmer.submit(() -> fetch("http://localhost:8080/"));
 *     System.out.println(page.get(5, TimeUnit.SECONDS));
 * }   // close(): tasks still running are cancelled and finished, then the thread ends
 * }</pre>
 *
 * <p>While open, the loop keeps waiting for work from outside (it never reports a deadlock
 * for lack of something to do: the open {@code LoopThread} counts as work in flight). That
 * also means a virtual clock never jumps while it is open, so use real time here.
 *
 * <p>A loop dies if a {@link VirtualMachineError} escapes a callback (a
 * {@code StackOverflowError} in an {@link #execute} callback, say; other exceptions and errors
 * of a callback are reported and the loop carries on, and a task's are its own failure): its tasks are
 * cancelled and finished as at {@link #close()}, and their futures fail with a
 * {@link CancelledException} whose cause is that error; later submissions fail with an
 * {@link IllegalStateException} saying what the loop died of; the next {@code close()} throws
 * it. If nobody is closing the loop when it dies, the loop's exception handler (from the
 * {@link Runner}) hears of it then, or else it is logged as an error through
 * {@link System.Logger} "dev.simmer".
 *
 * <p>Thread-safe. {@link #close()} must not be called from the loop's own thread, nor from
 * work the loop handed to another thread ({@link Async#toThread}, {@link Async#runInExecutor}).
 */
public final class LoopThread implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final System.Logger LOG = System.getLogger("dev.simmer");

    private final Thread thread;
    private final EventLoop loop;
    private final Promise<Void> stop;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile Throwable failure; // what ended the loop's run, if not close()
    private volatile boolean closing; // close() was called: it will throw the failure, so no one else need hear of it
    private final AtomicBoolean failureThrown = new AtomicBoolean(); // by one close() only

    private record Started(EventLoop loop, Promise<Void> stop) {
    }

    private LoopThread(Runner runner) {
        CompletableFuture<Started> started = new CompletableFuture<>();
        this.thread = Thread.ofPlatform().name("simmer-loop-thread-" + COUNT.incrementAndGet()).daemon(true).start(() -> {
            try {
                runner.run(() -> {
                    EventLoop l = Async.loop();
                    Promise<Void> s = l.createPromise();
                    l.beginExternal(); // the keep-alive: other threads may hand work in at any time
                    try {
                        started.complete(new Started(l, s));
                        s.await();
                    } finally {
                        l.endExternal();
                    }
                });
            } catch (Throwable e) {
                failure = e;
                if (!started.completeExceptionally(e) && !closing) {
                    reportDeath(started.join().loop(), e); // the constructor's caller was told otherwise
                }
            }
        });
        Started s = started.join();
        this.loop = s.loop();
        this.stop = s.stop();
    }

    /**
     * Starts a loop on a new daemon thread, with the default options.
     *
     * @return the running loop thread; close it when done
     */
    public static LoopThread start() {
        return start(Runner.create());
    }

    /**
     * Starts a loop on a new daemon thread, with {@code runner}'s options (debug mode, exception handler).
     *
     * @param runner the options of the loop; its virtual time would never advance here, so leave it off
     * @return the running loop thread, once its loop is ready; close it when done
     */
    public static LoopThread start(Runner runner) {
        return new LoopThread(Objects.requireNonNull(runner, "runner"));
    }

    /**
     * The loop; its thread-safe methods ({@link EventLoop#callSoonThreadsafe}, {@link EventLoop#submit}) work from any thread.
     *
     * @return the loop running on this thread
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Runs {@code body} as a task on the loop and returns a future of its result. Cancelling
     * the future cancels the task. Once {@link #close()} has been called, the future fails at
     * once with a {@link java.util.concurrent.RejectedExecutionException} while the loop closes,
     * and with an {@link IllegalStateException} once it has (whose cause is what the loop died
     * of, if it did); a task still running at close ends cancelled. Every future ends (see
     * {@link EventLoop#submit}).
     *
     * @param <T> the type of the body's result
     * @param body the coroutine to run as a new task; not {@code null}
     * @return a future completed, on the loop thread, with the task's result or failure
     */
    public <T> CompletableFuture<T> submit(AsyncCallable<T> body) {
        CompletableFuture<T> f = loop.submit(body);
        if (!f.isDone()) {
            pending.add(f);
            f.whenComplete((v, e) -> pending.remove(f));
            if (!thread.isAlive()) {
                abandon(); // the loop closed between the hand-over and now
            }
        }
        return f;
    }

    /**
     * {@link #submit(AsyncCallable)} for a body with no result.
     *
     * @param body the coroutine to run as a new task; not {@code null}
     * @return a future completed with {@code null} or the task's failure
     */
    public CompletableFuture<Void> submit(AsyncRunnable body) {
        return submit(Objects.requireNonNull(body, "body").asCallable());
    }

    /**
     * Runs {@code callback} on the loop thread soon ({@link EventLoop#callSoonThreadsafe}).
     *
     * <p>Still taken while the loop closes, so that a task's {@code finally} can wait for a
     * callback from another thread; see {@link EventLoop#callSoonThreadsafe}.
     *
     * @param callback a plain callback; it must not suspend
     * @return a handle that can cancel the callback before it runs
     * @throws IllegalStateException if the loop is closed; its cause is what the loop died of, if it did
     */
    public Handle execute(Runnable callback) {
        try {
            return loop.callSoonThreadsafe(callback);
        } catch (IllegalStateException closed) {
            throw ThreadBridge.closed(loop, "LoopThread.execute"); // with what the loop died of, if it did
        }
    }

    /**
     * Whether the loop still runs.
     *
     * @return {@code true} until the loop has stopped (after {@link #close()} or a failure)
     */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Stops the loop: from the moment it is called, new tasks from other threads are refused
     * ({@link #submit}: a thread that keeps submitting cannot keep the loop alive; callbacks
     * handed in with {@link #execute} still run while the loop closes, and cannot keep it open); tasks still running are cancelled and run until they have ended (their
     * {@code finally} blocks may suspend), then the thread ends; waits for that. If the loop
     * died instead, throws what it died of, once. Calling it again does nothing.
     *
     * @throws IllegalStateException if called from the loop's own thread (it would wait for itself), or from work
     *     the loop handed to another thread with {@link Async#toThread} or {@link Async#runInExecutor} (the loop
     *     cancels the task awaiting that work and waits for it to end: it would wait for itself too); or, with the
     *     failure as its cause, if the loop died of an exception
     * @throws Error the error the loop died of, unchanged (a {@code StackOverflowError} in a callback, say)
     */
    /**
     * Whether {@link #close()} called here would wait for itself: on this loop (its thread, or a
     * task's or callback's), or in work the loop handed to another thread. Any thread.
     */
    boolean closeWouldWaitForItself() {
        return EventLoop.current() == loop || loop.inLoopThread() || Thread.currentThread() == thread
                || ThreadBridge.runsWorkOf(loop);
    }

    @Override
    public void close() {
        if (EventLoop.current() == loop) {
            throw new IllegalStateException("LoopThread.close() was called from its own loop: it would wait for "
                    + "itself. Close it from the thread that started it (or any other thread).");
        }
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("LoopThread.close() was called on the loop's own thread (from its "
                    + "exception handler, say): it would wait for itself. Close it from another thread.");
        }
        if (ThreadBridge.runsWorkOf(loop)) {
            throw new IllegalStateException("LoopThread.close() was called from work its own loop handed to another "
                    + "thread (Async.toThread or Async.runInExecutor): closing cancels the task awaiting this work and "
                    + "waits for the loop to end, and the loop waits for this work. Close it from a thread that is not "
                    + "working for the loop (the one that started it, say).");
        }
        closing = true;
        loop.refuseNewWork(); // at once: a thread submitting at full speed cannot keep the loop alive
        loop.post(new Handle(() -> stop.complete(null))); // false if it has closed already: nothing to stop
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        abandon();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure;
        if (f != null && failureThrown.compareAndSet(false, true)) {
            if (f instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("The loop of " + thread.getName() + " died of " + f, f);
        }
    }

    /**
     * The loop died and nobody is closing it to hear so: its exception handler hears, or the
     * log. On the loop thread, after the loop.
     */
    private void reportDeath(EventLoop l, Throwable e) {
        ErrorReport report = new ErrorReport("The loop of " + Thread.currentThread().getName() + " died of " + e
                + ": its tasks were cancelled and it runs nothing more; close() throws this", e, null);
        if (l.exceptionHandler() == null) {
            LOG.log(System.Logger.Level.ERROR, report.message(), e); // an error, not the default's warning
        } else {
            l.report(report);
        }
    }

    /** Fails the futures of work handed in too late to run. */
    private void abandon() {
        for (CompletableFuture<?> f : pending) {
            f.completeExceptionally(ThreadBridge.withDeath(loop,
                    new CancelledException("the LoopThread closed before this ran")));
        }
    }

    @Override
    public String toString() {
        return "LoopThread[" + thread.getName() + (thread.isAlive() ? ", running" : ", closed")
                + (failure != null ? ", failed: " + failure : "") + "]";
    }
}
