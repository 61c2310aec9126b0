package dev.simmer;

import dev.simmer.internal.WaitLabels;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Work that happens on other threads, brought back to the loop: {@link Async#toThread} and
 * {@link Async#await(CompletionStage)}. Each registers as in flight with the loop (so the
 * loop waits for it rather than declaring a deadlock, and a virtual clock does not jump past
 * it) and reports its end through the loop's thread-safe inbox.
 *
 * <p>Must be called from inside a task.
 */
final class ThreadBridge {
    /** On a thread running work of toThread or runInExecutor: the loop it runs for (LoopThread.close refuses it). */
    private static final ThreadLocal<EventLoop> WORKING_FOR = new ThreadLocal<>();

    private ThreadBridge() {
    }

    /** Whether the current thread is running work that {@code loop} handed out with toThread or runInExecutor. */
    static boolean runsWorkOf(EventLoop loop) {
        return WORKING_FOR.get() == loop;
    }

    static <T> T toThread(Callable<T> blocking) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.toThread");
        loop.requireTask("Async.toThread");
        if (loop.network != null) {
            throw loop.network.refuse("Async.toThread"); // another thread's work would escape the simulation
        }
        // asyncio's to_thread: the blocking code runs in a copy of the caller's context
        ContextVar.Context copy = new ContextVar.Context(loop.currentContext().values());
        return onExecutor(loop, loop.executor(), () -> ContextVar.callIn(copy, blocking));
    }

    static <T> T runInExecutor(Executor executor, Callable<T> blocking) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.runInExecutor");
        loop.requireTask("Async.runInExecutor");
        if (loop.network != null) {
            throw loop.network.refuse("Async.runInExecutor"); // another thread's work would escape the simulation
        }
        // asyncio's run_in_executor copies nothing: the blocking code runs in an empty context of its own
        return onExecutor(loop, executor, () -> ContextVar.callIn(ContextVar.Context.empty(), blocking));
    }

    private static final WaitLabels.Label ON_ANOTHER_THREAD = WaitLabels.of("Async.toThread(...): work on another thread", null);
    private static final WaitLabels.Label COMPLETION_STAGE = WaitLabels.of("Async.await(CompletionStage)", null);

    /**
     * Runs {@code blocking} on {@code executor}; the awaiting task's cancellation interrupts the worker.
     *
     * <p>What the executor gets is a {@link FutureTask}: an executor that drops it unrun
     * ({@code shutdownNow()}, a discarding policy) says nothing, so the await would wait for
     * good; cancelling that future (what a user does with the list {@code shutdownNow()}
     * returns) ends it with a {@link CancelledException}. One drop is certain and checked for
     * free: an {@link ExecutorService} shut down before the call accepts nothing, so work it
     * neither refused nor ran has been discarded, and is refused here instead.
     */
    private static <T> T onExecutor(EventLoop loop, Executor executor, Callable<T> blocking) throws Exception {
        Promise<T> result = new Promise<T>(loop).label(ON_ANOTHER_THREAD);
        loop.beginExternal();
        boolean shutDownAlready = executor instanceof ExecutorService es && es.isShutdown();
        Work<T> work = new Work<>(loop, loop.withBridgedState(blocking), result);
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
        if (shutDownAlready && !work.isDone()) {
            work.discarded = true;
            work.cancel(false); // done() reports the rejection through the inbox, as any outcome
        }
        return result.await();
    }

    /** What the executor is handed: runs {@code blocking} marked as the loop's worker, reports its end to the loop. */
    private static final class Work<T> extends FutureTask<T> {
        private final EventLoop loop;
        private final Promise<T> result;
        volatile boolean discarded; // by an executor shut down before the call

        Work(EventLoop loop, Callable<T> blocking, Promise<T> result) {
            super(blocking);
            this.loop = loop;
            this.result = result;
        }

        @Override
        public void run() {
            EventLoop outer = WORKING_FOR.get(); // not null only if an executor ran it on the caller's thread
            WORKING_FOR.set(loop);
            try {
                super.run();
            } finally {
                if (outer == null) {
                    WORKING_FOR.remove();
                } else {
                    WORKING_FOR.set(outer);
                }
            }
        }

        @Override
        protected void done() {
            // Runs on the worker when it ends, or on whoever cancelled it: the loop, or the
            // executor's user cancelling work it dropped.
            Outcome<T> outcome = discarded && isCancelled()
                    ? new Outcome.Failure<>(new RejectedExecutionException("Async.runInExecutor: the executor is shut "
                            + "down and dropped the work without running it."))
                    : outcomeOf(this);
            loop.post(new Handle(() -> {
                loop.endExternal();
                settle(result, outcome);
            }));
        }
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.await");
        loop.requireTask("Async.await");
        if (stage instanceof CompletableFuture<T> f && isDone(f)) {
            return unwrapNow(f);
        }
        Promise<T> result = new Promise<T>(loop).label(COMPLETION_STAGE);
        loop.beginExternal();
        try {
            stage.whenComplete((value, error) -> {
                Outcome<T> outcome = error == null ? new Outcome.Success<>(value) : failureOf(error);
                loop.post(new Handle(() -> {
                    loop.endExternal();
                    settle(result, outcome);
                }));
            });
        } catch (RuntimeException | Error refused) {
            loop.endExternal(); // nothing will report back: the loop must not wait for it
            throw refused;
        }
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
        if (loop.refusesWorkFromHere()) {
            submission.future.completeExceptionally(closing(loop, "submit"));
        } else if (!loop.post(new Handle(submission))) {
            submission.future.completeExceptionally(closed(loop, "submit"));
        }
        return submission.future;
    }

    /** Why {@code call} from another thread is refused while {@code loop} closes. */
    static RejectedExecutionException closing(EventLoop loop, String call) {
        return new RejectedExecutionException("The event loop is closing: " + call + " from another thread is refused "
                + "(the loop takes no new work while it finishes what it runs already). Hand work to a loop before "
                + "closing it, or to another loop.");
    }

    /** Why {@code call} cannot hand anything to {@code loop}: it closed, or it died of something (the cause). */
    static IllegalStateException closed(EventLoop loop, String call) {
        Throwable died = loop.diedOf();
        if (died == null) {
            return new IllegalStateException("The event loop is closed: " + call
                    + " cannot run anything on it any more.");
        }
        return new IllegalStateException("The event loop died of " + died + ": " + call
                + " cannot run anything on it any more.", died);
    }

    /**
     * {@code cancellation}, or if the loop died (and cancelled its tasks for that) one that
     * says so, with the cause.
     */
    static CancelledException withDeath(EventLoop loop, CancelledException cancellation) {
        Throwable died = loop.diedOf();
        if (died == null) {
            return cancellation;
        }
        CancelledException e = new CancelledException("the event loop died of " + died
                + (cancellation.getMessage() != null ? " (" + cancellation.getMessage() + ")" : ""));
        e.initCause(died);
        return e;
    }

    /** A coroutine handed to the loop by EventLoop.submit: on the loop it becomes a task mirrored into the future. */
    static final class Submission<T> implements Runnable {
        final CompletableFuture<T> future = new CompletableFuture<>();
        private final EventLoop loop;
        private final AsyncCallable<T> body;
        private final String name;
        private Task<T> task; // once it runs; the loop holds the submission until the task's end is mirrored

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
            Task<T> t = loop.createTask(body, name);
            task = t;
            loop.submissionStarted(this);
            t.addCallback(this::mirror);
            future.whenComplete((value, error) -> {
                if (future.isCancelled() && !t.isDone()) {
                    loop.post(new Handle(() -> t.cancel("its future was cancelled")));
                }
            });
        }

        /** The task has ended: its outcome goes to the future. */
        private void mirror() {
            loop.submissionEnded(this);
            switch (task.outcome()) {
                case Outcome.Success<T> s -> future.complete(s.value());
                case Outcome.Failure<T> f -> future.completeExceptionally(f.exception());
                case Outcome.Cancelled<T> c -> future.completeExceptionally(withDeath(loop, c.exception()));
            }
        }

        /**
         * The loop is closing for good: whatever became of the task, the future ends now. A task
         * that ended mirrors its outcome (its done callback may not have had a pass to run); one the
         * loop gave up on (it ignored its cancellation) ends the future cancelled.
         */
        void closeOut() {
            if (task.isDone()) {
                mirror();
            } else {
                loop.submissionEnded(this);
                future.completeExceptionally(withDeath(loop, new CancelledException("the event loop closed before "
                        + "this submitted coroutine ended (it ignored its cancellation)")));
            }
        }

        /** The loop closed with this still in its inbox: it never ran. */
        void abandon() {
            future.completeExceptionally(withDeath(loop, new CancelledException("the event loop closed before this "
                    + "submitted coroutine could start")));
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
            // Cancelled by the awaiting task's cancellation (then nobody reads this), or by the
            // executor's user, for instance in the list shutdownNow() returned: it may never have run.
            return new Outcome.Cancelled<>(new CancelledException("the executor's Future for this work was "
                    + "cancelled (it may never have run)"));
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
