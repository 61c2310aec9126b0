package dev.simmer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Structured concurrency: a scope whose child tasks never outlive it (asyncio's
 * {@code TaskGroup}, Trio's nursery). If a child fails, its siblings and the body are
 * cancelled; the group waits for every child; then the first failure is thrown unchanged,
 * with the other failures attached as suppressed (Java has no {@code except*}).
 *
 * <p>Two forms. A body that receives the group:
 * <pre>{@code
 * List<String> pages = Async.taskGroup(group -> {
 *     Task<String> a = group.createTask(() -> fetch("a"));
 *     Task<String> b = group.createTask(() -> fetch("b"));
 *     return List.of(a.await(), b.await());
 * });
 * }</pre>
 * And try-with-resources with an explicit {@link #join()}, as in the JDK's
 * {@code StructuredTaskScope}:
 * <pre>{@code
 * try (TaskGroup group = TaskGroup.open()) {
 *     group.createTask(() -> cook("soup"));
 *     group.createTask(() -> cook("salad"));
 *     group.join();   // waits for both; throws the first failure
 * }                   // if the body left early, close() cancels the children and waits for them
 * }</pre>
 * In this form a failing child cancels its siblings but not the body (a try block cannot
 * have its exception replaced by {@code close()}); the body learns of the failure at
 * {@link #join()}, as with {@code StructuredTaskScope}.
 *
 * <p>{@link #cancel()} cancels the group as a whole (children and body). Must be used from
 * the task that opened it (children may call {@link #createTask} too).
 */
public final class TaskGroup implements AutoCloseable {
    /*
     * Overview (asyncio 3.13's TaskGroup): children report their end through a callback.
     * The first child failure "aborts" the group: every child still running is cancelled,
     * and so is the body's task while the body still runs (`parentCancelRequested`), so the
     * body stops at its next suspension point. Joining waits until no child is left; a
     * cancellation of the owner while joining aborts the group and is remembered. At the
     * end the group withdraws its own cancellation of the owner (uncancel); an outside
     * cancellation is never lost: without child failures it propagates, with failures the
     * owner is re-cancelled so it arrives at the next suspension point (CPython 116720).
     */

    /**
     * The body of {@link Async#taskGroup(Body)}: receives the group, returns a value.
     *
     * @param <T> the type of the body's value
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Starts the group's children and does the body's own work.
         *
         * @param group the group; its children may be started until the body and they have all ended
         * @return the value {@link Async#taskGroup(Body)} returns
         * @throws Exception any failure; it cancels the children, then propagates
         */
        T run(TaskGroup group) throws Exception;
    }

    private enum State { OPEN, JOINING, DONE }

    private final EventLoop loop;
    private final Task<?> owner;
    private final Set<Task<?>> children = new LinkedHashSet<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final List<Task<?>> carriers = new ArrayList<>(); // children cancelled while failures were attached
    private State state = State.OPEN;
    private boolean aborting;
    private boolean ownerCancelRequested;
    private boolean cancelRequested;
    private boolean cancelsBody; // Async.taskGroup's form; the try-with-resources body learns at join()
    private Promise<Void> childrenGone;

    private TaskGroup(EventLoop loop, Task<?> owner) {
        this.loop = loop;
        this.owner = owner;
    }

    /**
     * Opens a group owned by the current task, for try-with-resources. Call {@link #join()}
     * at the end of the block.
     *
     * @return the open group, owned by the calling task
     * @throws IllegalStateException outside a task
     */
    public static TaskGroup open() {
        EventLoop loop = EventLoop.runningLoop("TaskGroup.open");
        return new TaskGroup(loop, loop.requireTask("TaskGroup.open"));
    }

    /**
     * Starts {@code body} as a child task of this group.
     *
     * <pre>{@code
     * Task<Integer> answer = group.createTask(() -> compute(42));
     * // ... later, in the body or after join():
     * int value = answer.await();
     * }</pre>
     *
     * @param <T> the type of the child's result
     * @param body the child's coroutine; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down after a failure or a cancel
     */
    public <T> Task<T> createTask(AsyncCallable<T> body) {
        return start(null, body);
    }

    /**
     * Starts {@code body} as a named child task of this group.
     *
     * @param <T> the type of the child's result
     * @param name the child's name, shown in dumps and error messages; not {@code null}
     * @param body the child's coroutine; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public <T> Task<T> createTask(String name, AsyncCallable<T> body) {
        return start(Objects.requireNonNull(name, "name"), body);
    }

    /**
     * Starts {@code body}, which returns nothing, as a child task of this group.
     *
     * @param body the child's coroutine; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public Task<Void> createTask(AsyncRunnable body) {
        return start(null, Objects.requireNonNull(body, "body").asCallable());
    }

    /**
     * Starts {@code body}, which returns nothing, as a named child task of this group.
     *
     * @param name the child's name, shown in dumps and error messages; not {@code null}
     * @param body the child's coroutine; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public Task<Void> createTask(String name, AsyncRunnable body) {
        return start(Objects.requireNonNull(name, "name"), Objects.requireNonNull(body, "body").asCallable());
    }

    /**
     * {@link #createTask(String, AsyncCallable)} with the arguments in asyncio's order
     * ({@code tg.create_task(coro, name=n)}).
     *
     * @param <T> the type of the child's result
     * @param body the child's coroutine; not {@code null}
     * @param name the child's name, shown in dumps and error messages; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public <T> Task<T> createTask(AsyncCallable<T> body, String name) {
        return createTask(name, body);
    }

    /**
     * {@link #createTask(String, AsyncRunnable)} with the arguments in asyncio's order.
     *
     * @param body the child's coroutine; not {@code null}
     * @param name the child's name, shown in dumps and error messages; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public Task<Void> createTask(AsyncRunnable body, String name) {
        return createTask(name, body);
    }

    /**
     * Starts {@code body} as a child task that runs in {@code context} (asyncio 3.11+'s
     * {@code tg.create_task(coro, context=ctx)}), as {@link Async#createTask(AsyncCallable,
     * ContextVar.Context)} does: the child's {@link ContextVar} sets go into {@code context},
     * which is its {@link Task#context()}.
     *
     * <pre>{@code
     * ContextVar.Context request = ContextVar.copyContext();
     * Async.taskGroup(group -> {
     *     group.createTask(() -> audit(), "audit", request.copy());   // sees the request's values
     *     return null;
     * });
     * }</pre>
     *
     * @param <T> the type of the child's result
     * @param body the child's coroutine; not {@code null}
     * @param context the context the child runs in; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public <T> Task<T> createTask(AsyncCallable<T> body, ContextVar.Context context) {
        return start(null, body, Objects.requireNonNull(context, "context"));
    }

    /**
     * {@link #createTask(AsyncCallable, ContextVar.Context)} with a name (asyncio's
     * {@code tg.create_task(coro, name=n, context=ctx)}).
     *
     * @param <T> the type of the child's result
     * @param body the child's coroutine; not {@code null}
     * @param name the child's name, shown in dumps and error messages; not {@code null}
     * @param context the context the child runs in; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public <T> Task<T> createTask(AsyncCallable<T> body, String name, ContextVar.Context context) {
        return start(Objects.requireNonNull(name, "name"), body, Objects.requireNonNull(context, "context"));
    }

    /**
     * {@link #createTask(AsyncCallable, ContextVar.Context)} for a body that returns nothing.
     *
     * @param body the child's coroutine; not {@code null}
     * @param context the context the child runs in; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public Task<Void> createTask(AsyncRunnable body, ContextVar.Context context) {
        return start(null, Objects.requireNonNull(body, "body").asCallable(), Objects.requireNonNull(context, "context"));
    }

    /**
     * {@link #createTask(AsyncCallable, String, ContextVar.Context)} for a body that returns nothing.
     *
     * @param body the child's coroutine; not {@code null}
     * @param name the child's name, shown in dumps and error messages; not {@code null}
     * @param context the context the child runs in; not {@code null}
     * @return the child task, already scheduled
     * @throws IllegalStateException if the group has finished or is shutting down
     */
    public Task<Void> createTask(AsyncRunnable body, String name, ContextVar.Context context) {
        return start(Objects.requireNonNull(name, "name"), Objects.requireNonNull(body, "body").asCallable(),
                Objects.requireNonNull(context, "context"));
    }

    /**
     * The children still running.
     *
     * @return a snapshot of the children that have not ended yet, in creation order
     */
    public List<Task<?>> tasks() {
        loop.checkThread("TaskGroup.tasks");
        return List.copyOf(children);
    }

    /**
     * Cancels the group as a whole: every child, and the body if it still runs. The group's
     * {@link #join()} (or {@link Async#taskGroup}) then throws {@link CancelledException}
     * unless a child failed.
     *
     * <pre>{@code
     * try (TaskGroup group = TaskGroup.open()) {
     *     group.createTask(() -> watchSensor());
     *     group.createTask(() -> { Async.sleep(Duration.ofMinutes(1)); group.cancel(); });
     *     group.join();   // throws CancelledException after a minute
     * }
     * }</pre>
     */
    public void cancel() {
        loop.checkThread("TaskGroup.cancel");
        cancelRequested = true;
        abort();
    }

    /**
     * Waits until every child has ended, then throws the first child failure (others
     * suppressed), or returns. If the owner is cancelled meanwhile, the children are cancelled
     * and awaited, then the {@link CancelledException} propagates.
     *
     * <pre>{@code
     * try (TaskGroup group = TaskGroup.open()) {
     *     for (String url : urls) {
     *         group.createTask(() -> download(url));
     *     }
     *     group.join();   // every download has ended here, or the first failure is thrown
     * }
     * }</pre>
     *
     * @throws IllegalStateException if called twice, or from a task other than the owner
     * @throws Exception the first child failure, unchanged, with the later ones suppressed on it;
     *     {@link CancelledException} if the group or its owner was cancelled
     */
    public void join() throws Exception {
        checkOwner("TaskGroup.join");
        if (state == State.DONE) {
            throw new IllegalStateException("join() was already called on this TaskGroup");
        }
        finish(null);
    }

    /**
     * Ends the group: if {@link #join()} was not called (the body threw, or forgot it), the
     * children are cancelled and awaited, and an {@link IllegalStateException} says so
     * (suppressed into the body's exception when there is one); child failures are attached
     * to it.
     *
     * <p>Declares no checked exception, so {@code -Xlint:try} has nothing to say about the
     * try-with-resources statement (as for {@link AsyncResource#close()} and
     * {@link ExitStack#close()}). Nothing is lost by that: a child's failure, checked or not,
     * comes out of {@link #join()} unchanged (then {@code close()} has nothing left to do),
     * and when {@code join()} was not reached, {@code close()} throws only the unchecked
     * {@link IllegalStateException} above, with every child failure attached to it.
     */
    @Override
    public void close() {
        checkOwner("TaskGroup.close");
        if (state == State.DONE) {
            return;
        }
        state = State.JOINING; // the body is leaving the block already: cancel the children only
        abort();
        IllegalStateException notJoined = new IllegalStateException(
                "TaskGroup closed without join(): its children were cancelled. Call group.join() at the end of the block.");
        try {
            finish(null);
        } catch (CancelledException e) {
            // The owner was cancelled while close() waited: this exception ends up suppressed
            // (or is dropped with notJoined), so keep the request pending for the owner's next
            // suspension point instead of losing it.
            notJoined.addSuppressed(e);
            rearmOwnerCancellation();
        } catch (VirtualMachineError e) {
            throw e; // out of memory and the like: nothing to attach it to that would help
        } catch (Exception | Error e) {
            notJoined.addSuppressed(e);
        }
        throw notJoined;
    }

    // ------------------------------------------------------------------ for Async.taskGroup

    static <T> T run(Body<T> body) throws Exception {
        TaskGroup group = open();
        group.cancelsBody = true;
        T result;
        try {
            result = body.run(group);
        } catch (Throwable e) {
            group.state = State.JOINING; // the body has left: cancel the children only
            group.abort();
            group.finish(e);
            throw new IllegalStateException("Simmer's TaskGroup did not rethrow; please report", e);
        }
        group.finish(null);
        return result;
    }

    // ------------------------------------------------------------------ the machinery

    private <T> Task<T> start(String name, AsyncCallable<T> body) {
        return start(name, body, null);
    }

    /** Starts a child; in {@code context} if not null, else in a copy of the caller's. */
    private <T> Task<T> start(String name, AsyncCallable<T> body, ContextVar.Context context) {
        loop.checkThread("TaskGroup.createTask");
        Objects.requireNonNull(body, "body");
        if (state == State.DONE) {
            throw new IllegalStateException("This TaskGroup has finished: it cannot start new tasks.");
        }
        if (aborting) {
            throw new IllegalStateException("This TaskGroup is shutting down (a child failed or it was cancelled):"
                    + " it starts no new tasks.");
        }
        Task<T> child = loop.createTask(body, name);
        if (context != null) {
            child.useContext(context);
        }
        children.add(child);
        child.addCallback(() -> childEnded(child));
        return child;
    }

    private void childEnded(Task<?> child) {
        children.remove(child);
        if (!child.isCancelled() && child.peekFailure() != null) {
            child.markRetrieved();
            errors.add(child.peekFailure());
            abort();
        } else if (child.carried() != null) {
            carriers.add(child); // cancelled, but failed while cancelled: attached to what the group throws
        } else {
            child.markRetrieved();
        }
        if (children.isEmpty() && childrenGone != null) {
            childrenGone.complete0(null);
        }
    }

    private void abort() {
        if (aborting) {
            return;
        }
        aborting = true;
        for (Task<?> c : children) {
            c.cancel();
        }
        if (cancelsBody && state == State.OPEN && !owner.isDone()) {
            ownerCancelRequested = true;
            owner.cancel(); // stop the body at its next suspension point
        }
    }

    /**
     * Waits for the children, then throws what the group ends with. {@code bodyFailure} is
     * what the body threw, or null if it returned (or the body is not known: close()).
     */
    private void finish(Throwable bodyFailure) throws Exception {
        state = State.JOINING;
        CancelledException cancelled = bodyFailure instanceof CancelledException c ? c : null;
        while (!children.isEmpty()) {
            childrenGone = new Promise<>(loop);
            try {
                owner.waitFor(childrenGone, false);
            } catch (CancelledException e) {
                if (cancelled == null) {
                    cancelled = e;
                } else if (cancelled != e) {
                    carryOver(e, cancelled); // keep the body's cancellation (and what it carries)
                }
                abort();
            }
        }
        state = State.DONE;
        boolean propagate = cancelled != null;
        if (ownerCancelRequested && owner.uncancel() == 0) {
            propagate = false; // the only request was the group's own
        }
        Throwable result;
        if (bodyFailure != null && !(bodyFailure instanceof CancelledException)) {
            result = bodyFailure;
            errors.forEach(result::addSuppressed);
        } else if (!errors.isEmpty()) {
            result = errors.get(0);
            for (Throwable e : errors.subList(1, errors.size())) {
                result.addSuppressed(e);
            }
        } else if (propagate) {
            result = cancelled;
        } else if (cancelRequested) {
            result = new CancelledException("task group cancelled");
        } else {
            return;
        }
        if (cancelled != null && cancelled != result) {
            carryOver(cancelled, result); // failures gather attached to the body's cancellation
        }
        for (Task<?> c : carriers) {
            Gather.attachFailure(c, result);
            c.markRetrieved();
        }
        if (!(result instanceof CancelledException) && owner.cancelling() > 0) {
            // The owner was also cancelled from outside: that request must not vanish with the
            // CancelledException we replace; it arrives at the owner's next suspension point.
            rearmOwnerCancellation();
        }
        throw Completion.rethrowable(result);
    }

    /** Keeps what a replaced CancelledException carried: its suppressed failures and cause. */
    private static void carryOver(CancelledException from, Throwable to) {
        for (Throwable s : from.getSuppressed()) {
            if (s != to) {
                to.addSuppressed(s);
            }
        }
        if (from.getCause() != null && from.getCause() != to) {
            to.addSuppressed(from.getCause());
        }
    }

    /** Makes a cancellation request of the owner that was already delivered pending again. */
    private void rearmOwnerCancellation() {
        if (owner.cancelling() > 0) {
            owner.uncancel();
            owner.cancel();
        }
    }

    private void checkOwner(String call) {
        loop.checkThread(call);
        if (loop.currentTask() != owner) {
            throw new IllegalStateException(call + " must be called by the task that opened the group ('"
                    + owner.name() + "').");
        }
    }
}
