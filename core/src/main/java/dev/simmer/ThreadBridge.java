package dev.simmer;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * Work that happens on other threads, brought back to the loop: {@link Async#toThread} and
 * {@link Async#await(CompletionStage)}. Each registers as in flight with the loop (so the
 * loop waits for it rather than declaring a deadlock, and a virtual clock does not jump past
 * it) and reports its end through the loop's thread-safe inbox.
 *
 * <p>Must be called from inside a task.
 */
final class ThreadBridge {
    private ThreadBridge() {
    }

    static <T> T toThread(Callable<T> blocking) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.toThread");
        loop.requireTask("Async.toThread");
        return onExecutor(loop, loop.executor(), blocking);
    }

    static <T> T runInExecutor(Executor executor, Callable<T> blocking) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.runInExecutor");
        loop.requireTask("Async.runInExecutor");
        return onExecutor(loop, executor, blocking);
    }

    /** Runs {@code blocking} on {@code executor}; the awaiting task's cancellation interrupts the worker. */
    private static <T> T onExecutor(EventLoop loop, Executor executor, Callable<T> blocking) throws Exception {
        Promise<T> result = new Promise<>(loop);
        loop.beginExternal();
        FutureTask<T> work = new FutureTask<>(blocking) {
            @Override
            protected void done() {
                // Runs on the worker when it ends, or on the loop if cancelled first.
                Outcome<T> outcome = outcomeOf(this);
                loop.post(new Handle(() -> {
                    loop.endExternal();
                    settle(result, outcome);
                }));
            }
        };
        result.addCallback(() -> {
            if (result.isCancelled()) {
                work.cancel(true); // interrupt the worker: the awaiting task was cancelled
            }
        });
        try {
            executor.execute(work);
        } catch (RuntimeException rejected) {
            loop.endExternal(); // it never started, so nothing will report back
            throw rejected;
        }
        return result.await();
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.await");
        loop.requireTask("Async.await");
        if (stage instanceof CompletableFuture<T> f && isDone(f)) {
            return unwrapNow(f);
        }
        Promise<T> result = new Promise<>(loop);
        loop.beginExternal();
        stage.whenComplete((value, error) -> {
            Outcome<T> outcome = error == null ? new Outcome.Success<>(value) : failureOf(error);
            loop.post(new Handle(() -> {
                loop.endExternal();
                settle(result, outcome);
            }));
        });
        result.addCallback(() -> {
            if (result.isCancelled()) {
                try {
                    stage.toCompletableFuture().cancel(true);
                } catch (UnsupportedOperationException ignored) {
                    // a stage that cannot be cancelled: its result will simply be dropped
                }
            }
        });
        return result.await();
    }

    /**
     * EventLoop.submit: a task made on the loop from any thread, mirrored into a future.
     * Cancelling the future cancels the task (through the inbox, from whatever thread).
     */
    static <T> CompletableFuture<T> submit(EventLoop loop, AsyncCallable<T> body, String name) {
        Submission<T> submission = new Submission<>(loop, body, name);
        if (!loop.post(new Handle(submission))) {
            submission.future.completeExceptionally(new IllegalStateException(
                    "The event loop is closed: submit cannot run anything on it any more."));
        }
        return submission.future;
    }

    /** A coroutine handed to the loop by EventLoop.submit: on the loop it becomes a task mirrored into the future. */
    static final class Submission<T> implements Runnable {
        final CompletableFuture<T> future = new CompletableFuture<>();
        private final EventLoop loop;
        private final AsyncCallable<T> body;
        private final String name;

        Submission(EventLoop loop, AsyncCallable<T> body, String name) {
            this.loop = loop;
            this.body = body;
            this.name = name;
        }

        @Override
        public void run() {
            if (future.isDone()) {
                return; // cancelled before it could start
            }
            Task<T> task = loop.createTask(body, name);
            task.addCallback(() -> {
                switch (task.outcome()) {
                    case Outcome.Success<T> s -> future.complete(s.value());
                    case Outcome.Failure<T> f -> future.completeExceptionally(f.exception());
                    case Outcome.Cancelled<T> c -> future.completeExceptionally(c.exception());
                }
            });
            future.whenComplete((value, error) -> {
                if (future.isCancelled() && !task.isDone()) {
                    loop.post(new Handle(() -> task.cancel("its future was cancelled")));
                }
            });
        }

        /** The loop closed with this still in its inbox: it never ran. */
        void abandon() {
            future.completeExceptionally(new CancelledException("the event loop closed before this submitted "
                    + "coroutine could start"));
        }
    }

    private static <T> void settle(Promise<T> result, Outcome<T> outcome) {
        if (result.isDone()) {
            return; // the awaiting task was cancelled; the late result has nobody to go to
        }
        switch (outcome) {
            case Outcome.Success<T> s -> result.complete0(s.value());
            case Outcome.Failure<T> f -> result.fail0(f.exception());
            case Outcome.Cancelled<T> c -> result.cancel0(c.exception().getMessage());
        }
    }

    private static <T> Outcome<T> outcomeOf(FutureTask<T> work) {
        if (work.isCancelled()) {
            return new Outcome.Cancelled<>(new CancelledException());
        }
        try {
            return new Outcome.Success<>(work.get());
        } catch (ExecutionException e) {
            return new Outcome.Failure<>(e.getCause());
        } catch (InterruptedException | CancellationException e) {
            return new Outcome.Cancelled<>(new CancelledException());
        }
    }

    private static <T> Outcome<T> failureOf(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof CancellationException ce) {
            while (ce.getCause() instanceof CancellationException inner) {
                ce = inner; // join() wraps a cancellation in one of its own ("join")
            }
            return new Outcome.Cancelled<>(new CancelledException(ce.getMessage()));
        }
        return new Outcome.Failure<>(cause);
    }

    private static <T> T unwrapNow(CompletableFuture<T> f) throws Exception {
        try {
            return f.join();
        } catch (CompletionException | CancellationException e) {
            Outcome<T> failure = failureOf(e);
            return failure.getOrThrow();
        }
    }

    /** Whether {@code f} is done; a minimal stage (which refuses isDone) counts as pending. */
    private static boolean isDone(CompletableFuture<?> f) {
        try {
            return f.isDone();
        } catch (UnsupportedOperationException minimalStage) {
            return false;
        }
    }
}
