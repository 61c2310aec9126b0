package dev.simmer;

import dev.simmer.internal.Durations;
import dev.simmer.internal.Engines;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

/**
 * Simmer's entry points, named after asyncio's: run a coroutine, sleep, start tasks, gather
 * them, bridge to threads and futures.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     List<String> users = Async.run(() -> Async.gather(
 *             () -> fetchUser(1),
 *             () -> fetchUser(2),
 *             () -> fetchUser(3)));
 *     System.out.println(users);   // [User 1, User 2, User 3], after one second, not three
 * }
 *
 * static String fetchUser(int id) {
 *     Async.sleep(Duration.ofSeconds(1));
 *     return "User " + id;
 * }
 * }</pre>
 *
 * <p>Thread contract: {@link #run} may be called from any thread that is not running a
 * loop, and {@link #engine()} from anywhere; every other method must be called from inside
 * a running loop (a task, or for the non-suspending ones also a callback), and says so
 * with an {@link IllegalStateException} otherwise.
 */
public final class Async {
    private Async() {
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs {@code main} on a new event loop and returns its result (asyncio's
     * {@code asyncio.run}). When {@code main} ends, every task still alive is cancelled and
     * finished (their {@code finally} blocks run), unretrieved task failures are reported,
     * the loop's thread pool is shut down, and the loop is closed. {@code main}'s exception
     * is rethrown unchanged.
     *
     * @param <T> the type of {@code main}'s result
     * @param main the program's top coroutine; it runs as the loop's first task, named {@code main}
     * @return what {@code main} returned
     * @throws DeadlockException if {@code main} waits for something that can never happen
     * @throws IllegalStateException if called from inside a running loop
     * @throws Exception whatever {@code main} threw, unchanged; {@link CancelledException} if it was
     *     cancelled
     */
    public static <T> T run(AsyncCallable<T> main) throws Exception {
        return Runner.create().run(main);
    }

    /**
     * Runs {@code main}, which returns nothing, on a new event loop; see {@link #run(AsyncCallable)}.
     *
     * @param main the program's top coroutine
     * @throws Exception whatever {@code main} threw, unchanged
     */
    public static void run(AsyncRunnable main) throws Exception {
        Runner.create().run(main);
    }

    // ------------------------------------------------------------------ suspending

    /**
     * Suspends the current task for {@code duration} of loop time; other tasks run meanwhile
     * (asyncio's {@code sleep}). Zero or negative yields once, like {@link #yieldNow()}.
     *
     * <pre>{@code
     * Async.sleep(Duration.ofMillis(500));
     * }</pre>
     *
     * @param duration how long to sleep, in loop time (virtual under a test clock); zero or negative only
     *     yields
     * @throws CancelledException if the task is cancelled while it sleeps
     */
    public static void sleep(Duration duration) {
        Task<?> task = EventLoop.runningLoop("Async.sleep").requireTask("Async.sleep");
        long nanos = Durations.saturatedNanos(duration);
        if (nanos <= 0) {
            task.yieldNow();
        } else {
            task.sleepNanos(nanos);
        }
    }

    /**
     * Lets every other ready task run once, then continues (asyncio's {@code sleep(0)}).
     * A cancellation point.
     */
    public static void yieldNow() {
        EventLoop.runningLoop("Async.yieldNow").requireTask("Async.yieldNow").yieldNow();
    }

    // ------------------------------------------------------------------ tasks

    /**
     * Schedules {@code body} as a new task and returns it at once (asyncio's
     * {@code create_task}). The body starts on a later pass of the loop, when the current
     * task suspends. Await the task, or its failure is reported when the loop closes.
     *
     * <pre>{@code
     * Task<String> task = Async.createTask(() -> download("file1"));
     * System.out.println("Doing other work...");
     * String result = task.await();
     * }</pre>
     *
     * @param <T> the type of the task's result
     * @param body the coroutine the task runs; not {@code null}
     * @return the new task, already scheduled; await it, cancel it, or read its outcome later
     */
    public static <T> Task<T> createTask(AsyncCallable<T> body) {
        return EventLoop.runningLoop("Async.createTask").createTask(body, null);
    }

    /**
     * {@link #createTask(AsyncCallable)} with a name, shown in dumps and errors.
     *
     * @param <T> the type of the task's result
     * @param name the task's name, shown in {@link Task#toString()}, dumps and error messages;
     *     not {@code null}
     * @param body the coroutine the task runs; not {@code null}
     * @return the new task, already scheduled
     */
    public static <T> Task<T> createTask(String name, AsyncCallable<T> body) {
        return EventLoop.runningLoop("Async.createTask").createTask(body, Objects.requireNonNull(name, "name"));
    }

    /**
     * {@link #createTask(String, AsyncCallable)} with the arguments in asyncio's order.
     *
     * @param <T> the type of the task's result
     * @param body the coroutine the task runs; not {@code null}
     * @param name the task's name, shown in dumps and error messages; not {@code null}
     * @return the new task, already scheduled
     */
    public static <T> Task<T> createTask(AsyncCallable<T> body, String name) {
        return createTask(name, body);
    }

    /**
     * {@link #createTask(AsyncCallable)} for a body with no result.
     *
     * @param body the coroutine the task runs; not {@code null}
     * @return the new task, already scheduled; its result is {@code null}
     */
    public static Task<Void> createTask(AsyncRunnable body) {
        return EventLoop.runningLoop("Async.createTask").createTask(body, null);
    }

    /**
     * {@link #createTask(String, AsyncCallable)} for a body with no result.
     *
     * @param name the task's name, shown in dumps and error messages; not {@code null}
     * @param body the coroutine the task runs; not {@code null}
     * @return the new task, already scheduled; its result is {@code null}
     */
    public static Task<Void> createTask(String name, AsyncRunnable body) {
        return EventLoop.runningLoop("Async.createTask").createTask(body, Objects.requireNonNull(name, "name"));
    }

    /**
     * {@link #createTask(AsyncCallable)} in an explicit context (asyncio's
     * {@code create_task(coro, context=ctx)}): the task runs in {@code context} itself instead
     * of a copy of the caller's.
     *
     * <pre>{@code
     * ContextVar.Context request = ContextVar.copyContext();          // while handling the request
     * // ... later, from code that runs in another context:
     * Task<Void> audit = Async.createTask(() -> writeAudit(), request); // sees the request's values
     * Task<Void> clean = Async.createTask(() -> sweep(), ContextVar.Context.empty());
     * }</pre>
     *
     * <p>As in asyncio, the task's {@code set}s go into {@code context} (it is the task's
     * {@link Task#context()}), so tasks that share one context share their values; give each
     * task a {@link ContextVar.Context#copy()} to keep them apart. Must be called from the loop
     * thread.
     *
     * @param <T> the type of the task's result
     * @param body the coroutine the task runs; not {@code null}
     * @param context the context the task runs in; not {@code null}
     * @return the new task, already scheduled
     */
    public static <T> Task<T> createTask(AsyncCallable<T> body, ContextVar.Context context) {
        return inContext(checked(context), EventLoop.runningLoop("Async.createTask").createTask(body, null));
    }

    /**
     * {@link #createTask(AsyncCallable, ContextVar.Context)} with a name, in asyncio's
     * argument order ({@code create_task(coro, name=n, context=ctx)}).
     *
     * @param <T> the type of the task's result
     * @param body the coroutine the task runs; not {@code null}
     * @param name the task's name, shown in dumps and error messages; not {@code null}
     * @param context the context the task runs in; not {@code null}
     * @return the new task, already scheduled
     */
    public static <T> Task<T> createTask(AsyncCallable<T> body, String name, ContextVar.Context context) {
        return inContext(checked(context), EventLoop.runningLoop("Async.createTask")
                .createTask(body, Objects.requireNonNull(name, "name")));
    }

    /**
     * {@link #createTask(AsyncCallable, ContextVar.Context)} for a body with no result.
     *
     * @param body the coroutine the task runs; not {@code null}
     * @param context the context the task runs in; not {@code null}
     * @return the new task, already scheduled; its result is {@code null}
     */
    public static Task<Void> createTask(AsyncRunnable body, ContextVar.Context context) {
        return inContext(checked(context), EventLoop.runningLoop("Async.createTask").createTask(body, null));
    }

    /**
     * {@link #createTask(AsyncCallable, String, ContextVar.Context)} for a body with no result.
     *
     * @param body the coroutine the task runs; not {@code null}
     * @param name the task's name, shown in dumps and error messages; not {@code null}
     * @param context the context the task runs in; not {@code null}
     * @return the new task, already scheduled; its result is {@code null}
     */
    public static Task<Void> createTask(AsyncRunnable body, String name, ContextVar.Context context) {
        return inContext(checked(context), EventLoop.runningLoop("Async.createTask")
                .createTask(body, Objects.requireNonNull(name, "name")));
    }

    /** Gives a task just created (its first step has not run) the context it runs in. */
    private static <T> Task<T> inContext(ContextVar.Context context, Task<T> task) {
        task.useContext(context);
        return task;
    }

    private static ContextVar.Context checked(ContextVar.Context context) {
        return Objects.requireNonNull(context, "context");
    }

    /**
     * The task running now, or {@code null} when called from a plain callback.
     *
     * @return the task whose body is running, or {@code null} inside a callback scheduled
     *     with {@code callSoon}/{@code callLater}
     * @throws IllegalStateException outside a running loop
     */
    public static Task<?> currentTask() {
        return EventLoop.runningLoop("Async.currentTask").currentTask();
    }

    /**
     * The running event loop (asyncio's {@code get_running_loop}).
     *
     * @return the loop the calling code runs on; never {@code null}
     * @throws IllegalStateException outside a running loop
     */
    public static EventLoop loop() {
        return EventLoop.runningLoop("Async.loop");
    }

    /**
     * Which engine runs task bodies in this JVM: {@link EngineKind#CONTINUATION} (fast path,
     * with {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} on the class path,
     * {@code =dev.simmer} on the module path) or
     * {@link EngineKind#THREADS}. Callable anywhere.
     *
     * @return the engine that new loops in this JVM use; the same answer for the JVM's lifetime
     * @throws IllegalStateException if {@code -Dsimmer.engine} forces an engine that cannot run
     */
    public static EngineKind engine() {
        return Engines.selectedKind();
    }

    // ------------------------------------------------------------------ gather

    /**
     * Runs the bodies concurrently as child tasks and returns their results in order
     * (asyncio's {@code gather}). Structured: if one fails, the others are cancelled and
     * awaited, then the first failure is thrown unchanged with the other failures attached
     * as suppressed. Tasks may be passed too ({@link Task} is an {@link AsyncCallable}):
     * they are awaited, not wrapped. Cancelling the caller cancels every child.
     *
     * <pre>{@code
     * List<String> files = Async.gather(() -> download("A"), () -> download("B"));
     * }</pre>
     *
     * @param <T> the common type of the results
     * @param bodies the coroutines (or tasks) to run together; none may be {@code null}
     * @return the results, in the order of {@code bodies} (not of completion); empty for no bodies
     * @throws Exception the first failure among the children, unchanged, with later ones suppressed on it;
     *     {@link CancelledException} if the caller was cancelled
     */
    @SafeVarargs
    public static <T> List<T> gather(AsyncCallable<? extends T>... bodies) throws Exception {
        List<AsyncCallable<? extends T>> list = new java.util.ArrayList<>(bodies.length);
        for (AsyncCallable<? extends T> body : bodies) { // element by element: the array itself goes nowhere
            list.add(body);
        }
        return Gather.all(list);
    }

    /**
     * {@link #gather(AsyncCallable[])} over a list of bodies or tasks.
     *
     * @param <T> the common type of the results
     * @param bodies the coroutines (or tasks) to run together; none may be {@code null}
     * @return the results, in list order; empty for an empty list
     * @throws Exception the first failure among the children, unchanged, with later ones suppressed on it
     */
    public static <T> List<T> gather(List<? extends AsyncCallable<? extends T>> bodies) throws Exception {
        return Gather.all(bodies);
    }

    /**
     * {@link #gather(AsyncCallable[])} for bodies with no result; waits for all of them.
     *
     * @param bodies the coroutines to run together; none may be {@code null}
     * @throws Exception the first failure among the children, unchanged, with later ones suppressed on it
     */
    public static void gather(AsyncRunnable... bodies) throws Exception {
        AsyncCallable<?>[] callables = new AsyncCallable<?>[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            callables[i] = Objects.requireNonNull(bodies[i], "body").asCallable();
        }
        Gather.all(Arrays.asList(callables));
    }

    /**
     * Runs the bodies concurrently and returns how each ended, never throwing for a child's
     * failure (asyncio's {@code gather(..., return_exceptions=True)}). Cancelling the caller
     * cancels every child.
     *
     * @param <T> the common type of the results
     * @param bodies the coroutines (or tasks) to run together; none may be {@code null}
     * @return one {@link Outcome} per body, in the order of {@code bodies}: a value, a failure or a
     *     cancellation
     * @throws Exception {@link CancelledException} when the calling task itself is cancelled; never a
     *     child's failure
     */
    @SafeVarargs
    public static <T> List<Outcome<T>> gatherSettled(AsyncCallable<? extends T>... bodies) throws Exception {
        List<AsyncCallable<? extends T>> list = new java.util.ArrayList<>(bodies.length);
        for (AsyncCallable<? extends T> body : bodies) { // element by element: the array itself goes nowhere
            list.add(body);
        }
        return Gather.settled(list);
    }

    /**
     * {@link #gatherSettled(AsyncCallable[])} over a list of bodies or tasks.
     *
     * @param <T> the common type of the results
     * @param bodies the coroutines (or tasks) to run together; none may be {@code null}
     * @return one {@link Outcome} per body, in list order
     * @throws Exception {@link CancelledException} when the calling task itself is cancelled; never a
     *     child's failure
     */
    public static <T> List<Outcome<T>> gatherSettled(List<? extends AsyncCallable<? extends T>> bodies) throws Exception {
        return Gather.settled(bodies);
    }

    /**
     * Waits for {@code task} without passing a cancellation on to it (asyncio's
     * {@code shield}): if the caller is cancelled, it gets {@link CancelledException} while
     * {@code task} keeps running.
     *
     * <pre>{@code
     * Task<Void> save = Async.createTask(() -> saveToDisk());
     * Async.shield(save);   // a cancel of this task does not interrupt the save
     * }</pre>
     *
     * @param <T> the type of the task's result
     * @param task a task of this loop, other than the calling one
     * @return the task's result, once it has ended
     * @throws Exception the task's own failure, unchanged; {@link CancelledException} if the caller was
     *     cancelled (the task goes on) or the task itself was cancelled
     * @throws IllegalStateException if {@code task} is the calling task or belongs to another loop
     */
    public static <T> T shield(Task<T> task) throws Exception {
        Task<?> current = EventLoop.runningLoop("Async.shield").requireTask("Async.shield");
        task.loop.checkThread("Async.shield");
        if (task == current) {
            throw new IllegalStateException("Task '" + current.name() + "' cannot shield-await itself: it would wait forever.");
        }
        if (!task.isDone()) {
            current.waitFor(task, false);
        }
        return task.retrieve();
    }

    // ------------------------------------------------------------------ waiting for several tasks

    /**
     * Waits until {@code mode} is satisfied for {@code tasks} and says which have ended
     * (asyncio's {@code wait}). Never cancels anything and never throws for a task's failure:
     * look at the tasks in {@link WaitResult#done()} ({@code result()}, {@code exception()}).
     * Cancelling the waiting task does not cancel the tasks waited for. Like asyncio's, it
     * suspends at least once even if every task has already ended.
     *
     * <pre>{@code
     * Set<Task<?>> pending = new LinkedHashSet<>(tasks);
     * while (!pending.isEmpty()) {
     *     WaitResult r = Async.wait(pending, WaitMode.FIRST_COMPLETED);
     *     for (Task<?> t : r.done()) {
     *         System.out.println(t.name() + " -> " + t.result());
     *     }
     *     pending = r.pending();
     * }
     * }</pre>
     *
     * @param tasks the tasks, of this loop; duplicates count once
     * @param mode when to return: at the first end, the first failure, or when all have ended
     * @return the ended tasks and the still pending ones, as two disjoint sets covering {@code tasks}
     * @throws IllegalArgumentException if {@code tasks} is empty (asyncio's {@code ValueError})
     * @throws CancelledException       if the waiting task is cancelled
     */
    public static WaitResult wait(Collection<? extends Task<?>> tasks, WaitMode mode) {
        return Waiting.wait(tasks, mode, null);
    }

    /**
     * {@link #wait(Collection, WaitMode)} for at most {@code timeout} of loop time: when it
     * passes, returns what has ended so far (nothing is thrown, nothing cancelled).
     *
     * <pre>{@code
     * WaitResult r = Async.wait(tasks, WaitMode.ALL_COMPLETED, Duration.ofSeconds(5));
     * r.pending().forEach(Task::cancel);
     * }</pre>
     *
     * @param tasks the tasks, of this loop; duplicates count once
     * @param mode when to return before the timeout: at the first end, the first failure, or when all have
     *     ended
     * @param timeout the longest wait, in loop time; zero or negative checks once after a yield
     * @return the ended tasks and the still pending ones; on timeout {@code pending()} is not empty
     * @throws IllegalArgumentException if {@code tasks} is empty
     * @throws CancelledException if the waiting task is cancelled
     */
    public static WaitResult wait(Collection<? extends Task<?>> tasks, WaitMode mode, Duration timeout) {
        return Waiting.wait(tasks, mode, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * The tasks one at a time, as they end (asyncio's {@code as_completed}): the iterator's
     * {@code next()} suspends until the next task ends and returns it, those already ended
     * first; {@code hasNext()} never suspends. Nothing is cancelled: a loop left early leaves
     * the other tasks running.
     *
     * <pre>{@code
     * for (Task<String> t : Async.asCompleted(downloads)) {
     *     System.out.println("got " + t.result());   // ended: result() does not wait
     * }
     * }</pre>
     *
     * <p>The returned object is its own iterator: a second loop goes on where the first one
     * stopped.
     *
     * @param <T> the common type of the tasks' results
     * @param tasks the tasks to watch, of this loop; duplicates count once
     * @return an iterable that hands out each task once, in the order they end
     */
    public static <T> AsyncIterable<Task<T>> asCompleted(Collection<? extends Task<? extends T>> tasks) {
        return new AsCompleted<>(tasks, 0, null);
    }

    /**
     * {@link #asCompleted(Collection)} with an overall deadline of {@code timeout} from now:
     * once it has passed, each {@code next()} that has no ended task to return throws
     * {@link AsyncTimeoutException} (asyncio's {@code as_completed(timeout=)}). The tasks are
     * not cancelled.
     *
     * <pre>{@code
     * try {
     *     for (Task<String> t : Async.asCompleted(downloads, Duration.ofSeconds(10))) {
     *         System.out.println("got " + t.result());
     *     }
     * } catch (AsyncTimeoutException e) {
     *     downloads.forEach(Task::cancel);
     * }
     * }</pre>
     *
     * @param <T> the common type of the tasks' results
     * @param tasks the tasks to watch, of this loop; duplicates count once
     * @param timeout how long from this call the whole iteration may take, in loop time
     * @return an iterable that hands out each task once, in the order they end
     */
    public static <T> AsyncIterable<Task<T>> asCompleted(Collection<? extends Task<? extends T>> tasks,
                                                         Duration timeout) {
        EventLoop loop = EventLoop.runningLoop("Async.asCompleted");
        long deadline = Timeouts.saturatedAdd(loop.clock.nanoTime(), Objects.requireNonNull(timeout, "timeout"));
        return new AsCompleted<>(tasks, deadline, "after " + Timeouts.describe(timeout));
    }

    // ------------------------------------------------------------------ structure and time

    /**
     * Runs {@code body} with a {@link TaskGroup} and returns its value once every child
     * task of the group has ended (asyncio's {@code TaskGroup}). A failing child cancels its
     * siblings and the body; the first failure is thrown unchanged, the others suppressed.
     *
     * <pre>{@code
     * int total = Async.taskGroup(group -> {
     *     Task<Integer> a = group.createTask(() -> count("a"));
     *     Task<Integer> b = group.createTask(() -> count("b"));
     *     return a.await() + b.await();
     * });
     * }</pre>
     *
     * <p>A body with nothing to return ends with {@code return null;} (Java cannot tell a
     * value lambda from a void one when its parameter type is inferred), or use the
     * try-with-resources form, {@link TaskGroup#open()}.
     *
     * @param <T> the type of the body's value
     * @param body the code that starts the group's children; it gets the group as its argument
     * @return what {@code body} returned, once all children have ended
     * @throws Exception the first failure of a child or of the body, unchanged, the later ones suppressed on
     *     it
     */
    public static <T> T taskGroup(TaskGroup.Body<T> body) throws Exception {
        return TaskGroup.run(Objects.requireNonNull(body, "body"));
    }

    /**
     * Runs {@code body} in the current task, cancelling it if it has not ended after
     * {@code delay} of loop time (asyncio's {@code timeout}); the cancellation then surfaces
     * as an {@link AsyncTimeoutException}. The body's {@code finally} blocks run first.
     *
     * <pre>{@code
     * String page = Async.timeout(Duration.ofSeconds(5), () -> fetch(url));
     * }</pre>
     *
     * @param <T> the type of the body's result
     * @param delay how long the body may run, in loop time; zero or negative times out at the body's first
     *     suspension
     * @param body the code to run in the calling task (no new task is made)
     * @return what {@code body} returned, if it ended in time
     * @throws AsyncTimeoutException if the deadline passed; never a cancellation
     * @throws Exception whatever the body threw, unchanged
     */
    public static <T> T timeout(Duration delay, AsyncCallable<T> body) throws Exception {
        return Timeouts.after(Objects.requireNonNull(delay, "delay"), Objects.requireNonNull(body, "body"));
    }

    /**
     * {@link #timeout(Duration, AsyncCallable)} for a body that returns nothing.
     *
     * @param delay how long the body may run, in loop time
     * @param body the code to run in the calling task
     * @throws AsyncTimeoutException if the deadline passed
     * @throws Exception whatever the body threw, unchanged
     */
    public static void timeout(Duration delay, AsyncRunnable body) throws Exception {
        timeout(delay, Objects.requireNonNull(body, "body").asCallable());
    }

    /**
     * {@link #timeout(Duration, AsyncCallable)} with an absolute deadline in loop time ({@link EventLoop#time()}).
     *
     * @param <T> the type of the body's result
     * @param deadlineNanos the deadline on the loop's clock, in nanoseconds as {@link EventLoop#time()} gives
     *     them
     * @param body the code to run in the calling task
     * @return what {@code body} returned, if it ended before the deadline
     * @throws AsyncTimeoutException if the deadline passed first
     * @throws Exception whatever the body threw, unchanged
     */
    public static <T> T timeoutAt(long deadlineNanos, AsyncCallable<T> body) throws Exception {
        return Timeouts.at(deadlineNanos, "at loop time " + deadlineNanos + " ns", Objects.requireNonNull(body, "body"));
    }

    /**
     * {@link #timeout(Duration, AsyncCallable)} whose body gets the timeout itself, a
     * {@link TimeoutScope} it can ask for the deadline ({@link TimeoutScope#when()}) and move
     * ({@link TimeoutScope#reschedule}, {@link TimeoutScope#rescheduleNever()}) while it runs
     * (asyncio's {@code async with asyncio.timeout(d) as cm:}). Nested scopes keep the rules of
     * {@code timeout}: the one that fired is the one reported, and a cancellation from
     * elsewhere is never turned into a timeout.
     *
     * <pre>{@code
     * List<String> lines = Async.timeoutScope(Duration.ofSeconds(10), scope -> {
     *     List<String> got = new ArrayList<>();
     *     for (String line : stream) {
     *         got.add(line);
     *         scope.reschedule(Async.loop().time() + Duration.ofSeconds(10).toNanos()); // 10 s per line
     *     }
     *     return got;
     * });
     * }</pre>
     *
     * <p>A body with nothing to return ends with {@code return null;} (Java cannot tell a
     * value lambda from a void one when its parameter type is inferred).
     *
     * @param <T> the type of the body's result
     * @param delay how long the body may run from now, in loop time, until it is rescheduled
     * @param body the code to run in the calling task (no new task is made); it gets the scope
     * @return what {@code body} returned, if it ended before the (last) deadline
     * @throws AsyncTimeoutException if the deadline passed; never a cancellation
     * @throws Exception whatever the body threw, unchanged
     */
    public static <T> T timeoutScope(Duration delay, TimeoutScope.Body<T> body) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.timeoutScope");
        long deadline = Timeouts.saturatedAdd(loop.clock.nanoTime(), Objects.requireNonNull(delay, "delay"));
        return Timeouts.scoped("Async.timeoutScope", true, deadline, "after " + Timeouts.describe(delay),
                Objects.requireNonNull(body, "body"));
    }

    /**
     * {@link #timeoutScope(Duration, TimeoutScope.Body)} with an absolute deadline in loop
     * time (asyncio's {@code async with asyncio.timeout_at(when) as cm:}).
     *
     * <pre>{@code
     * long deadline = Async.loop().time() + Duration.ofMinutes(1).toNanos();
     * Async.timeoutAtScope(deadline, scope -> {
     *     download(url);
     *     scope.rescheduleNever();   // the rest must not be cut short
     *     return save();
     * });
     * }</pre>
     *
     * @param <T> the type of the body's result
     * @param deadlineNanos the deadline on the loop's clock, in nanoseconds as {@link EventLoop#time()} gives
     *     them
     * @param body the code to run in the calling task; it gets the scope
     * @return what {@code body} returned, if it ended before the (last) deadline
     * @throws AsyncTimeoutException if the deadline passed first
     * @throws Exception whatever the body threw, unchanged
     */
    public static <T> T timeoutAtScope(long deadlineNanos, TimeoutScope.Body<T> body) throws Exception {
        return Timeouts.scoped("Async.timeoutAtScope", true, deadlineNanos, "at loop time " + deadlineNanos + " ns",
                Objects.requireNonNull(body, "body"));
    }

    /**
     * A timeout scope that starts with no deadline (asyncio's {@code asyncio.timeout(None)}):
     * the body runs unbounded until it sets one with {@link TimeoutScope#reschedule}.
     *
     * <pre>{@code
     * Async.timeoutScope(scope -> {
     *     Config config = loadConfig();
     *     scope.reschedule(Async.loop().time() + config.budget().toNanos());
     *     return run(config);
     * });
     * }</pre>
     *
     * @param <T> the type of the body's result
     * @param body the code to run in the calling task; it gets the scope
     * @return what {@code body} returned, if it ended before a deadline it was given
     * @throws AsyncTimeoutException if a deadline set by a reschedule passed
     * @throws Exception whatever the body threw, unchanged
     */
    public static <T> T timeoutScope(TimeoutScope.Body<T> body) throws Exception {
        return Timeouts.scoped("Async.timeoutScope", false, 0, null, Objects.requireNonNull(body, "body"));
    }

    /**
     * {@link #timeout(Duration, AsyncCallable)} that returns {@code fallback} instead of
     * throwing when the deadline passes (kotlinx's {@code withTimeoutOrNull}, with a value).
     *
     * @param <T> the type of the body's result
     * @param delay how long the body may run, in loop time
     * @param fallback the value to return when the deadline passes; may be {@code null}
     * @param body the code to run in the calling task
     * @return what {@code body} returned, or {@code fallback} if it timed out
     * @throws Exception whatever the body threw, unchanged (never {@link AsyncTimeoutException} for this
     *     deadline)
     */
    public static <T> T timeoutOr(Duration delay, T fallback, AsyncCallable<T> body) throws Exception {
        return Timeouts.afterOr(Objects.requireNonNull(delay, "delay"), fallback, Objects.requireNonNull(body, "body"));
    }

    /**
     * {@link #timeoutOr} with {@code null} as the fallback.
     *
     * @param <T> the type of the body's result
     * @param delay how long the body may run, in loop time
     * @param body the code to run in the calling task
     * @return what {@code body} returned, or {@code null} if it timed out
     * @throws Exception whatever the body threw, unchanged
     */
    public static <T> T timeoutOrNull(Duration delay, AsyncCallable<T> body) throws Exception {
        return timeoutOr(delay, null, body);
    }

    /**
     * Awaits {@code awaitable} (a body, or a {@link Task}) for at most {@code delay}
     * (asyncio 3.12's {@code wait_for}): on timeout it is cancelled, awaited until it has ended,
     * and {@link AsyncTimeoutException} is thrown.
     *
     * <ul>
     *   <li>A body runs in the calling task, under {@link #timeout(Duration, AsyncCallable)}.
     *   <li>A zero or negative {@code delay} leaves no time: what has not started never does
     *       (a body never runs; a task not started yet is cancelled before its first step),
     *       and the timeout is thrown. A task already done gives its outcome; one that has
     *       started is cancelled and awaited, and gives its result if it ends with one anyway
     *       (a cancellation of the caller meanwhile is thrown once the task has ended).
     *   <li>A {@code null} {@code delay} means no limit (asyncio's {@code wait_for(aw, None)}):
     *       the awaitable is simply awaited, which reads well when the limit is a setting that
     *       may be absent.
     * </ul>
     *
     * <pre>{@code
     * Task<String> download = Async.createTask(() -> download("big.iso"));
     * String file = Async.waitFor(download, Duration.ofMinutes(1));
     * String page = Async.waitFor(() -> fetch(url), config.timeout());   // null: no limit
     * }</pre>
     *
     * @param <T> the type of the result
     * @param awaitable a body to run in the calling task, or a {@link Task} to await and cancel on timeout
     * @param delay how long to wait, in loop time; zero or negative for none; {@code null} for no limit
     * @return the awaitable's result, if it ended in time
     * @throws AsyncTimeoutException if {@code delay} passed first
     * @throws Exception whatever the awaitable threw, unchanged
     */
    public static <T> T waitFor(AsyncCallable<T> awaitable, Duration delay) throws Exception {
        return Timeouts.waitFor(Objects.requireNonNull(awaitable, "awaitable"), delay);
    }

    /**
     * {@link #waitFor(AsyncCallable, Duration)} for a {@link Promise} (asyncio's
     * {@code wait_for(future, timeout)}): on timeout the promise is cancelled and
     * {@link AsyncTimeoutException} is thrown. A zero or negative {@code delay} gives a promise
     * already done its outcome, and times out one still pending; {@code null} is no limit.
     *
     * <pre>{@code
     * Promise<String> reply = Async.loop().createPromise();
     * send(request, reply);
     * String answer = Async.waitFor(reply, Duration.ofSeconds(5));
     * }</pre>
     *
     * @param <T> the type of the result
     * @param promise the promise to await, and to cancel on timeout
     * @param delay how long to wait, in loop time; zero or negative for none; {@code null} for no limit
     * @return the promise's value, if it completed in time
     * @throws AsyncTimeoutException if {@code delay} passed first
     * @throws Exception the promise's failure, unchanged; {@link CancelledException} if it was cancelled
     *     otherwise
     */
    public static <T> T waitFor(Promise<T> promise, Duration delay) throws Exception {
        return Timeouts.waitFor(Objects.requireNonNull(promise, "promise"), delay);
    }

    // ------------------------------------------------------------------ threads and futures

    /**
     * Awaits a {@link CompletionStage} completed on any thread: suspends the task, not the
     * loop. The value is returned, a failure rethrown unwrapped, a cancelled future gives
     * {@link CancelledException}. Cancelling the awaiting task cancels the stage.
     *
     * <pre>{@code
     * String body = Async.await(httpClient.sendAsync(request, ofString())).body();
     * }</pre>
     *
     * @param <T> the type of the stage's value
     * @param stage a stage completed by any thread, for example a {@code CompletableFuture}
     * @return the stage's value
     * @throws Exception the stage's failure, unwrapped from
     *     {@code CompletionException}/{@code ExecutionException}; {@link CancelledException} if the stage
     *     or the awaiting task was cancelled
     */
    public static <T> T await(CompletionStage<T> stage) throws Exception {
        return ThreadBridge.await(Objects.requireNonNull(stage, "stage"));
    }

    /**
     * Runs blocking code on a virtual thread and suspends the task until it is done
     * (asyncio's {@code to_thread}). Cancelling the awaiting task interrupts the thread and
     * the task gets {@link CancelledException} at once.
     *
     * <p>As asyncio's {@code to_thread}, the blocking code runs in a copy of the task's
     * context: the {@link ContextVar}s it reads have the task's values (a request id in a log
     * line), and what it sets stays in the copy, never reaching the task.
     *
     * <pre>{@code
     * byte[] data = Async.toThread(() -> Files.readAllBytes(path));
     * Async.toThread(() -> {
     *     log.info("[" + REQUEST_ID.get() + "] archived");   // the task's request id
     *     return null;
     * });
     * }</pre>
     *
     * @param <T> the type of the result
     * @param blocking the blocking code; it runs on a new virtual thread, off the loop
     * @return what {@code blocking} returned
     * @throws Exception whatever {@code blocking} threw, unchanged; {@link CancelledException} if the task
     *     was cancelled
     */
    public static <T> T toThread(Callable<T> blocking) throws Exception {
        return ThreadBridge.toThread(Objects.requireNonNull(blocking, "blocking"));
    }

    /**
     * Runs blocking code on {@code executor} and suspends the task until it is done (asyncio's
     * {@code run_in_executor}). Cancelling the awaiting task interrupts the worker and the
     * task gets {@link CancelledException} at once; a rejected submission is thrown as the
     * executor's {@link java.util.concurrent.RejectedExecutionException}.
     *
     * <p>As asyncio's {@code run_in_executor}, the caller's context is <em>not</em> copied:
     * the blocking code runs in an empty context of its own, so a {@link ContextVar} read there
     * gives its default, and a set there is dropped when the code ends. Use {@link #toThread},
     * or read the values before the call, to take the task's values along.
     *
     * <pre>{@code
     * ExecutorService pool = Executors.newFixedThreadPool(4);
     * BigInteger p = Async.runInExecutor(pool, () -> BigInteger.probablePrime(2048, rng));
     * }</pre>
     *
     * @param <T> the type of the result
     * @param executor the executor that runs the blocking code
     * @param blocking the blocking code
     * @return what {@code blocking} returned
     * @throws Exception whatever {@code blocking} threw, unchanged; {@link CancelledException} if the task
     *     was cancelled
     */
    public static <T> T runInExecutor(java.util.concurrent.Executor executor, Callable<T> blocking) throws Exception {
        return ThreadBridge.runInExecutor(Objects.requireNonNull(executor, "executor"),
                Objects.requireNonNull(blocking, "blocking"));
    }
}
