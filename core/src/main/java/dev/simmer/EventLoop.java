package dev.simmer;

import dev.simmer.internal.Clock;
import dev.simmer.internal.Engine;
import dev.simmer.internal.IoSelector;
import dev.simmer.internal.Network;
import dev.simmer.internal.Networks;
import dev.simmer.internal.Scheduler;
import dev.simmer.internal.Timer;
import dev.simmer.internal.TimerHeap;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The event loop: one thread that runs callbacks and task steps, one at a time, and waits
 * for timers and for work handed in from other threads (asyncio's event loop). Made and
 * closed by {@link Async#run}; reach it inside with {@link Async#loop()}.
 *
 * <pre>{@code
 * Async.run(() -> {
 *     EventLoop loop = Async.loop();
 *     loop.callSoon(() -> System.out.println("next pass"));
 *     loop.callLater(Duration.ofMillis(10), () -> System.out.println("10 ms later"));
 *     Async.sleep(Duration.ofMillis(20));
 * });
 * }</pre>
 *
 * <p>Thread contract: must be called from the loop thread (a task or callback of this
 * loop), except {@link #callSoonThreadsafe}, {@link #submit}, {@link #isRunning()} and
 * {@link #isClosed()}, which are thread-safe. A loop-only call from another thread throws
 * {@link IllegalStateException}.
 */
public final class EventLoop {
    /*
     * Overview. Loop state is confined to the loop thread and unsynchronized. The pass
     * itself (ready queue, inbox, timers, selector, waiting: asyncio's _run_once) is
     * internal/Scheduler, which knows nothing of tasks; this class runs each entry it hands
     * out: Tasks (run a step), Handles (run a callback unless cancelled), due Timers (wake the
     * task that sleeps, or run the timer's callback) or Runnables (internal callbacks).
     * runOnce() is the only place callbacks and task steps are run (on the threads engine,
     * stepEnded runs a pass on, on the thread of the task whose step ended: see there; and a
     * task about to suspend may run the next pass's one entry itself: runAhead). The inbox
     * (post) is the one thread-safe door, and it wakes the loop. With nothing ready, no live
     * timer, no thread-side work in flight and no channel watched, a waiting main task can
     * never be woken: that is the deadlock Async.run reports.
     */
    private static final ThreadLocal<EventLoop> CURRENT = new ThreadLocal<>();

    static {
        Networks.register(new Networks.Access() {
            @Override
            public Network get(EventLoop loop) {
                return loop.network;
            }

            @Override
            public void set(EventLoop loop, Network network) {
                loop.network = network;
            }
        });
    }
    private static final System.Logger LOG = System.getLogger("dev.simmer");

    private enum LoopState { RUNNING, CLOSING, CLOSED }

    final Engine engine;
    final Clock clock;
    final Scheduler scheduler; // the pass: ready queue, inbox, timers, selector, waiting (internal/Scheduler)
    final TimerHeap timers;
    private final Thread thread;
    private volatile LoopState state = LoopState.RUNNING;

    private final boolean debug;
    private final CreationSites creationSites; // debug mode only, else null
    private final StepWatchdog watchdog;        // debug mode only, else null
    private final TaskObserver observer; // a timeline or JFR events; null when nothing records
    private volatile Consumer<ErrorReport> exceptionHandler; // also read by debug mode's watchdog thread

    private Task<?> current;
    private Task<?> mainTask;
    private final boolean runAheadAllowed;
    final boolean handsOff; // threads engine: a body's thread runs the pass on to the next step (stepEnded)
    private Thread passThread; // the body's thread that runs the pass on (stepEnded), while it does; else null
    private Throwable handOffFailed; // escaped the pass on a body's thread; the loop's thread rethrows it
    private boolean runningAhead;
    private VirtualMachineError fatal; // thrown by an entry run ahead; rethrown at the end of the pass
    private volatile Throwable diedOf; // what escaped a pass and ended the loop; read from any thread
    long runAheads;            // how often runAhead spared a suspension (tests read it)
    long resumedAheadInVain;   // how often a suspended task resumed ahead did not spare one (tests read it)
    private int resumeAheadSkips;        // suspended tasks still to resume in their pass, not ahead (see runAhead)
    private int resumeAheadBackoff = 1;  // how many to skip after the next resumption ahead in vain
    private static final int MAX_RESUME_AHEAD_BACKOFF = 1024;
    private ContextVar.Context rootContext = ContextVar.Context.empty(); // what plain callbacks run in
    final BridgedState bridges; // the registered ThreadContextBridges' side; null when none: each hook is a null check
    private long taskIds;
    // Tasks' pending cancellation requests beyond the 3 a task counts in its own flags (see
    // Task.cancelling()); rare. Weak keys: a task that ends with requests pending leaves no entry behind.
    private java.util.WeakHashMap<Task<?>, Integer> moreCancelRequests;
    private Task<?> liveHead; // live tasks, oldest first
    private Task<?> liveTail;
    private int liveCount;
    private long steps; // for stats(): plain counters, loop thread only
    final UnretrievedFailures unretrieved = new UnretrievedFailures(this);
    private final Set<ThreadBridge.Submission<?>> submissions = new LinkedHashSet<>(); // started, future not yet ended
    private volatile boolean refusing; // LoopThread.close(): closing has begun, before the main task ends
    private ExecutorService executor;
    Network network; // a simulated network (internal/Networks), null on a real loop: the io layer checks it when it opens a socket

    EventLoop(Engine engine, Clock clock, boolean debug, Duration slowStep, Consumer<ErrorReport> handler,
              Long shuffleSeed, TaskObserver observer, boolean runAhead) {
        this.observer = observer;
        this.engine = engine;
        this.clock = clock;
        this.debug = debug;
        this.creationSites = debug ? new CreationSites() : null;
        this.watchdog = debug ? new StepWatchdog(slowStep.toNanos(), Thread.currentThread(), this::report) : null;
        this.exceptionHandler = handler;
        this.thread = Thread.currentThread();
        this.scheduler = new Scheduler(clock, thread, shuffleSeed, this::readyFromIo);
        this.timers = scheduler.timers();
        this.runAheadAllowed = runAhead;
        ThreadContextBridge<?>[] registered = ThreadContextBridge.forNewLoop();
        this.bridges = registered == null ? null : new BridgedState(this, registered);
        // Not in debug mode (its watchdog times each step from the loop's thread), and not with
        // bridges (callbacks would run on a body's thread, whose bridged state is the task's).
        this.handsOff = engine.kind() == EngineKind.THREADS && runAhead && !debug && bridges == null;
    }

    // ===================================================================== public API

    /**
     * Runs {@code callback} on the next pass of the loop, after everything already ready.
     * Callbacks run in the order they were scheduled.
     *
     * @param callback a plain callback; it runs on the loop thread and must not suspend
     * @return a handle that can cancel the callback before it runs
     */
    public Handle callSoon(Runnable callback) {
        checkThread("callSoon");
        Handle h = new Handle(Objects.requireNonNull(callback, "callback"));
        scheduler.schedule(h);
        return h;
    }

    /**
     * Runs {@code callback} once {@code delay} of loop time has passed (zero or negative: next pass).
     *
     * @param delay how long from now, in loop time
     * @param callback a plain callback; it runs on the loop thread and must not suspend
     * @return a handle that can cancel the timer and tells when it is due
     */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        checkThread("callLater");
        return callAt(addSaturated(clock.nanoTime(), delay.toNanos()), callback);
    }

    /**
     * Runs {@code callback} at loop time {@code deadlineNanos} ({@link #time()} units).
     * Timers due at the same time run in the order they were set.
     *
     * @param deadlineNanos when to run, in nanoseconds on the loop's clock; a past time runs it on the next
     *     pass
     * @param callback a plain callback; it runs on the loop thread and must not suspend
     * @return a handle that can cancel the timer and tells when it is due
     */
    public TimerHandle callAt(long deadlineNanos, Runnable callback) {
        checkThread("callAt");
        TimerHandle h = new TimerHandle(Objects.requireNonNull(callback, "callback"), this);
        h.arm(timers.add(deadlineNanos, h));
        return h;
    }

    /**
     * The loop's current time in nanoseconds (monotonic; virtual under a virtual clock).
     *
     * @return the loop's clock in nanoseconds; only differences between two readings mean something
     */
    public long time() {
        checkThread("time");
        return clock.nanoTime();
    }

    /**
     * Runs {@code callback} on the loop thread on a coming pass, and wakes the loop if it
     * waits. The one call that is safe from any thread.
     *
     * <pre>{@code
     * new Thread(() -> loop.callSoonThreadsafe(() -> promise.complete("done"))).start();
     * }</pre>
     *
     * <p>While the loop closes (its main task has ended, or {@link LoopThread#close()} was
     * called) callbacks are still taken, as in asyncio: the {@code finally} blocks of cancelled
     * tasks may be waiting for exactly such a callback (a {@link Promise} completed from
     * another thread). They cannot keep the loop open: it closes once its tasks have ended,
     * after at most a few passes of callbacks still ready. New tasks from other threads
     * ({@link #submit}) are refused while it closes. A {@code finally} that must wait for
     * another thread while the loop closes should await a {@link java.util.concurrent.CompletableFuture}
     * ({@link Async#await}), which the loop counts as work in flight and waits for; a promise
     * that another thread completes through this method is not, and a closing loop gives up
     * on a task that waits only for such a promise. Once closed, this throws
     * {@link IllegalStateException} (asyncio's {@code RuntimeError('Event loop is closed')}).
     *
     * @param callback a plain callback; it runs on the loop thread and must not suspend
     * @return a handle that can cancel the callback before it runs
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable callback) {
        Handle h = new Handle(Objects.requireNonNull(callback, "callback"));
        if (!post(h)) {
            throw new IllegalStateException("The event loop is closed: callSoonThreadsafe cannot run anything on it any more.");
        }
        return h;
    }

    /**
     * Runs {@code body} as a new task of this loop, from any thread, and returns a future of
     * its result (asyncio's {@code run_coroutine_threadsafe}). Cancelling the future cancels
     * the task. Thread-safe.
     *
     * <pre>{@code
     * CompletableFuture<String> f = loop.submit(() -> fetch(url));   // from a plain thread
     * String page = f.get(5, TimeUnit.SECONDS);
     * }</pre>
     *
     * <p>The loop must be kept running meanwhile: {@link LoopThread} does that. Every future it
     * returns ends, also when the loop closes:
     *
     * <ul>
     * <li>handed in from another thread once the loop has begun to close (its main task ended, or
     *     {@link LoopThread#close()} was called): fails at once with a
     *     {@link java.util.concurrent.RejectedExecutionException} saying the loop is closing;</li>
     * <li>handed in after the loop has closed: fails at once with an {@link IllegalStateException};</li>
     * <li>handed in before closing began: its task is made as usual, and if it is still running (or has not
     *     started) when the loop finishes its tasks, it is cancelled and the future fails with its
     *     {@link CancelledException}, also if the task ignores its cancellation and the loop gives up on it;
     *     one still in the loop's inbox when the loop has closed fails with a {@link CancelledException}
     *     too.</li>
     * </ul>
     *
     * <p>So a thread that keeps submitting cannot keep a closing loop alive: closing takes as
     * long as what was already running takes to finish.
     *
     * @param <T> the type of the body's result
     * @param body the coroutine to run as a new task; not {@code null}
     * @return a future completed with the task's result or failure
     */
    public <T> java.util.concurrent.CompletableFuture<T> submit(AsyncCallable<T> body) {
        return ThreadBridge.submit(this, Objects.requireNonNull(body, "body"), "submitted");
    }

    /**
     * A new pending {@link Promise} bound to this loop (asyncio's {@code loop.create_future()}).
     *
     * @param <T> the type of the promise's value
     * @return a new promise, not yet ended
     */
    public <T> Promise<T> createPromise() {
        checkThread("createPromise");
        return new Promise<>(this);
    }

    /**
     * Runs {@code callback} on the loop each pass while {@code channel} is ready for reading
     * (or, for a {@link java.nio.channels.ServerSocketChannel}, accepting), until the returned
     * handle is cancelled or {@link #removeReader} is called: asyncio's {@code add_reader}.
     * Replaces the channel's previous reader callback (while a task waits in
     * {@link #awaitReadable} for the channel, it is an {@link IllegalStateException} instead:
     * the task would never wake). While a reader or writer is set, the loop waits
     * for I/O and does not report a deadlock. A channel that is closed already, or closed
     * while watched, runs the callback once more (so its owner sees the close) and is dropped.
     *
     * <pre>{@code
     * channel.configureBlocking(false);
     * IoHandle h = Async.loop().addReader(channel, () -> {
     *     int n = channel.read(buffer);   // does not block: the channel is readable
     *     ...
     * });
     * }</pre>
     *
     * @param channel a channel in non-blocking mode
     * @param callback a plain callback, run on the loop thread while the channel is readable; must not
     *     suspend
     * @return a handle whose {@code cancel()} stops the watch
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException if a task waits for the channel to become readable
     */
    public IoHandle addReader(SelectableChannel channel, Runnable callback) {
        checkThread("addReader");
        return addIo(channel, callback, false);
    }

    /**
     * Runs {@code callback} on the loop each pass while {@code channel} is ready for writing
     * (or, for a {@link java.nio.channels.SocketChannel} whose connect is pending, has
     * finished connecting), until the handle is cancelled: asyncio's {@code add_writer}. See
     * {@link #addReader}.
     *
     * @param channel a channel in non-blocking mode
     * @param callback a plain callback, run on the loop thread while the channel is writable; must not
     *     suspend
     * @return a handle whose {@code cancel()} stops the watch
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException if a task waits for the channel to become writable
     */
    public IoHandle addWriter(SelectableChannel channel, Runnable callback) {
        checkThread("addWriter");
        return addIo(channel, callback, true);
    }

    /**
     * Suspends the current task until {@code channel} is readable (or, for a server channel,
     * has a connection to accept): the suspending form of {@link #addReader}, with the task
     * itself as the watch, so that readiness resumes it on the pass that finds it.
     * {@link dev.simmer.io.Readiness#awaitReadable} is this.
     *
     * <pre>{@code
     * while (channel.read(buffer) == 0) {
     *     Async.loop().awaitReadable(channel);   // other tasks run meanwhile
     * }
     * }</pre>
     *
     * <p>Readiness is a hint: try the operation after waking and wait again if it does
     * nothing. A channel closed meanwhile wakes the waiter; cancelling the task removes the
     * watch. One task per channel and direction: while one waits, a second task's wait (or an
     * {@link #addReader} for the same channel) is an {@link IllegalStateException}, since
     * replacing the first task's watch would leave it asleep for good.
     *
     * @param channel a channel in non-blocking mode
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException outside a task of this loop, or while another task waits for the
     *     channel to become readable
     * @throws CancelledException if the task is cancelled while it waits
     */
    public void awaitReadable(SelectableChannel channel) {
        awaitIo(channel, false, "awaitReadable");
    }

    /**
     * Suspends the current task until {@code channel} is writable (or, while a connect is
     * pending, has finished connecting): the suspending form of {@link #addWriter}. See
     * {@link #awaitReadable}.
     *
     * @param channel a channel in non-blocking mode
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IllegalStateException outside a task of this loop, or while another task waits for the
     *     channel to become writable
     * @throws CancelledException if the task is cancelled while it waits
     */
    public void awaitWritable(SelectableChannel channel) {
        awaitIo(channel, true, "awaitWritable");
    }

    /**
     * Stops watching {@code channel} for reading; false if no reader was set.
     *
     * @param channel the channel watched
     * @return {@code true} if a reader was set and is now removed
     */
    public boolean removeReader(SelectableChannel channel) {
        checkThread("removeReader");
        return removeIo(channel, false);
    }

    /**
     * Stops watching {@code channel} for writing; false if no writer was set.
     *
     * @param channel the channel watched
     * @return {@code true} if a writer was set and is now removed
     */
    public boolean removeWriter(SelectableChannel channel) {
        checkThread("removeWriter");
        return removeIo(channel, true);
    }

    /**
     * Drops {@code channel} from the loop's selector and closes it. Its reader and writer,
     * if set, run once more (they find the channel closed). Prefer this to
     * {@code channel.close()} for a channel the loop has watched: the JDK releases the file
     * descriptor of a registered channel only once the selector lets go of it, which this
     * makes happen on the next pass.
     *
     * @param channel the channel to close; closing it again does nothing
     * @throws IOException if closing the channel fails
     */
    public void closeChannel(SelectableChannel channel) throws IOException {
        checkThread("closeChannel");
        IoSelector io = scheduler.io();
        if (io != null) {
            io.forget(channel, scheduler.fromIo());
        }
        channel.close();
    }

    /**
     * Sets who receives errors that no caller can receive (see {@link ErrorReport});
     * {@code null} restores the default, which logs a warning with the stack through
     * {@link System.Logger} "dev.simmer". The handler runs on the loop thread, except for
     * debug mode's report of a step that is blocked right now: the loop cannot run anything
     * then, so that one comes from the watchdog thread (a handler that collects reports
     * must be thread-safe in debug mode, and must not call loop-only methods for it).
     *
     * @param handler called with each report, or {@code null} for the default
     */
    public void setExceptionHandler(Consumer<ErrorReport> handler) {
        checkThread("setExceptionHandler");
        this.exceptionHandler = handler;
    }

    /**
     * Hands {@code report} to the exception handler. A handler that throws is logged, not propagated.
     *
     * @param report what went wrong, with the exception and the task concerned, if any
     */
    public void callExceptionHandler(ErrorReport report) {
        checkThread("callExceptionHandler");
        report(report);
    }

    /**
     * The default handling of an {@link ErrorReport}: a warning with the stack through {@link System.Logger}.
     *
     * @param report the report to log
     */
    public static void defaultExceptionHandler(ErrorReport report) {
        LOG.log(System.Logger.Level.WARNING, report.message(), report.exception());
    }

    /**
     * Which engine runs this loop's tasks. Thread-safe.
     *
     * @return the engine of this loop: the continuation fast path or virtual threads
     */
    public EngineKind engine() {
        return engine.kind();
    }

    /**
     * Whether the loop is running (it runs from the start of {@link Async#run} until it closes). Thread-safe.
     *
     * @return {@code true} until the loop has closed
     */
    public boolean isRunning() {
        return state != LoopState.CLOSED;
    }

    /**
     * Whether the loop has closed. Thread-safe.
     *
     * @return {@code true} once the loop has closed; it then runs nothing more
     */
    public boolean isClosed() {
        return state == LoopState.CLOSED;
    }

    /**
     * Every live task, oldest first.
     *
     * @return a snapshot of the tasks that have not ended, in creation order
     */
    public List<Task<?>> tasks() {
        checkThread("tasks");
        List<Task<?>> all = new ArrayList<>(liveCount);
        for (Task<?> t = liveHead; t != null; t = t.nextLive) {
            all.add(t);
        }
        return all;
    }

    /**
     * A text dump of every live task: name, what it waits on, and where it is suspended; in
     * debug mode also where it was created.
     *
     * <pre>{@code
     * System.out.println(Async.loop().dumpTasks());
     * }</pre>
     *
     * @return one block per live task, each line ending with a newline; empty if no task is alive
     */
    public String dumpTasks() {
        checkThread("dumpTasks");
        StringBuilder out = new StringBuilder();
        for (Task<?> t : tasks()) {
            out.append("  '").append(t.name()).append("': ").append(t.describeWait()).append('\n');
            for (StackTraceElement frame : t.suspendedStack()) {
                out.append("      at ").append(frame).append('\n');
            }
            if (creationSites != null) {
                creationSites.appendTo(out, t);
            }
        }
        return out.toString();
    }

    /**
     * The loop's counters so far: tasks created and finished, steps, passes, the longest step
     * (debug mode), and the most entries ready in one pass.
     *
     * <pre>{@code
     * LoopStats stats = Async.loop().stats();
     * }</pre>
     *
     * @return a snapshot of the counters
     */
    public LoopStats stats() {
        checkThread("stats");
        return new LoopStats(taskIds, taskIds - liveCount, steps, scheduler.passes(), Duration.ofNanos(debug ? watchdog.longestStep() : 0),
                scheduler.readyHighWater());
    }

    @Override
    public String toString() {
        return "EventLoop[" + engine.kind() + ", " + state.name().toLowerCase(java.util.Locale.ROOT) + ", "
                + liveCount + " tasks]";
    }

    // ===================================================================== the pass

    /*
     * One pass of the loop (internal/Scheduler draws it):
     *  1. Wait if nothing is ready or handed in: until the earliest timer (a virtual clock
     *     jumps there instead when nothing is in flight), I/O, or the inbox receiving
     *     something. A loop with work polls the selector without waiting.
     *  2. Move what other threads handed in (the inbox) to the ready queue.
     *  3. Move due timers to the ready queue, in (deadline, sequence) order.
     *  4. Run exactly the entries that were ready when this step began; whatever they
     *     schedule runs on the next pass. Schedule fuzzing (Runner.shuffleSeed) shuffles
     *     them first, so tests can show they do not depend on one order.
     */
    void runOnce() {
        unretrieved.passBegins(); // failures unretrieved for a whole pass are no longer held strongly
        if (!scheduler.hasWork()) {
            unretrieved.loopIdles();
            scheduler.waitForWork();
        } else {
            scheduler.pollIoIfWatched(); // a busy loop still polls I/O every pass
        }
        scheduler.startPass();
        for (Object entry; (entry = scheduler.nextOfPass()) != null; ) { // a direct hand-off may have run the pass on (see stepEnded)
            run(entry);
        }
        if (fatal != null) { // raised while running ahead, inside the last step of this pass
            VirtualMachineError e = fatal;
            fatal = null;
            throw e;
        }
    }

    /*
     * Direct hand-off (threads engine). Each task body runs on a virtual thread of its own.
     * When a step ends, its thread does not wake the loop's thread to run the rest of the pass:
     * it runs it itself (stepEnded), entry by entry, up to the next task step, and hands the
     * baton straight to that task's thread. At the end of a pass it begins the next one the way
     * runOnce would when it need not wait: the selector polled, the inbox and due timers moved
     * in, the entries shuffled under schedule fuzzing. Whenever the loop's thread would do
     * something else between passes (wait for work, report a deadlock, see the main task's
     * end, close), control goes back to it: it waits in the step it began (Task.step). Every
     * entry runs in the order the loop's thread would have run it; only the thread differs.
     * Under the hand-off a waiting task runs no other task's step ahead (runAhead); a child
     * it awaits at once runs on its thread after its step ends (ThreadEngine's guests).
     */
    /** On {@code ended}'s thread, its step over: ends the step, runs the pass on; the next fiber, or null for the loop's thread. */
    Engine.Fiber stepEnded(Task<?> ended, boolean finished) {
        try {
            exitStep(ended);
            ended.stepEndedOnBody(finished);
            if (runningAhead) {
                return null; // the waiting task runs the rest (not under the hand-off, which runs no task ahead)
            }
            passThread = Thread.currentThread(); // acts as the loop's thread for callbacks (inLoopThread)
            while (true) {
                Object entry = scheduler.nextOfPass();
                if (entry == null) {
                    if (state != LoopState.RUNNING || mainTask.isDone() || !scheduler.hasWork()) {
                        return null; // between passes the loop's thread has more to do than begin the next
                    }
                    unretrieved.passBegins();
                    scheduler.pollIoIfWatched();
                    scheduler.startPass();
                    continue;
                }
                if (entry instanceof Task<?> task) {
                    if (task.beginStep()) {
                        return task.fiber();
                    }
                } else {
                    run(entry);
                }
            }
        } catch (RuntimeException | Error e) {
            handOffFailed = e; // escapes the pass, as it would have on the loop's thread
            return null;
        } finally {
            passThread = null;
        }
    }

    /** On the loop's thread, once control is back from a chain of hand-offs: rethrows what escaped the pass there. */
    void handBackDone() {
        Throwable e = handOffFailed;
        if (e != null) {
            handOffFailed = null;
            scheduler.abandonPass();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e;
        }
    }

    /*
     * Running ahead. A task that is about to suspend (its wake-up registered) asks whether the
     * loop's next pass would begin with exactly one entry. That happens when the task is the
     * last entry of this pass and it scheduled one thing, typically the child it just created
     * and now awaits. The next pass would first move in the inbox and due timers, so that is
     * done now (early, which only a race between threads could tell apart); if one entry is
     * still all there is, it is run now, on the waiting task's stack. If afterwards the waiting
     * task alone is ready, the next pass would run it first and alone: it carries on at once,
     * with no continuation freeze and thaw. Every entry runs in the order the loop would have
     * run it, so nothing observable changes; only the suspensions that would have been
     * immediately undone are skipped.
     *
     * The entry may be a callback, a timer, a task's first step, or a suspended task's
     * resumption. The last pays only when that task wakes the waiting one before it suspends
     * again (two tasks taking turns through queues: one switch per turn instead of two); when
     * it does not (a chain of lock waiters, each waking the next), the waiting task suspends
     * anyway and the nested resumption was extra work (a contended lock 480 against 330 ns). So
     * the loop learns: after a resumption run ahead that did not let the waiting task carry
     * on, it resumes the next 1, 2, 4, ... up to 1,024 suspended tasks in their pass instead,
     * and a resumption that pays starts over at 1. Either way the entries run in the loop's order.
     *
     * Never nested (the stack stays shallow), never into the main task (its end stops the loop
     * between passes), off in debug mode (which times steps), while a timeline records (its
     * steps would overlap), and while the loop watches I/O (the next pass would poll the
     * selector first, and a selectNow costs more than it saves).
     */
    /** Called by {@code waiting}, phase WAITING and its wake-up registered; true if it may carry on now. */
    boolean runAhead(Task<?> waiting) {
        // Inlined into every suspension: kept to the cheap checks, the rest out of line; each
        // frame on a task's stack costs at every switch, and a smaller suspension lets the JIT
        // inline it into its caller.
        if (scheduler.inPass() || scheduler.readyCount() != 1 || runningAhead || !runAheadAllowed
                || state != LoopState.RUNNING || scheduler.watchesIo()) { // the next pass would poll the selector first
            return false;
        }
        Object next = scheduler.firstReady(); // moving the inbox and timers in only appends: it stays first
        if (next != waiting && !mayRunAhead(next)) {
            return false;
        }
        return runAheadNow(waiting, next);
    }

    /** Whether {@code next}, the one entry ready, may run ahead on a waiting task's stack. */
    private boolean mayRunAhead(Object next) {
        if (next == mainTask || (bridges != null && !bridges.mayRunAhead(next))) {
            return false;
        }
        if (next instanceof Task<?> t) {
            // Not on the threads engine: the other task's step would take as many thread
            // switches run ahead as handed off, and a child the waiting task awaits runs on this
            // very thread after the hand-off (a guest, see ThreadEngine), where run ahead it would
            // start a thread and could not host children of its own.
            if (handsOff) {
                return false;
            }
            if (t.phase != Task.NEW && resumeAheadSkips > 0) { // a suspended task: see the overview
                resumeAheadSkips--;
                return false;
            }
        }
        return true;
    }

    /** runAhead, once {@code next} (or the waiting task itself) is the one entry ready and may run now. */
    private boolean runAheadNow(Task<?> waiting, Object next) {
        scheduler.moveInInboxAndDueTimers();
        if (scheduler.readyCount() != 1) {
            return false;
        }
        if (next != waiting) {
            boolean resumes = next instanceof Task<?> t && t.phase != Task.NEW;
            scheduler.takeFirstReady();
            runningAhead = true;
            current = null; // as between two steps
            try {
                run(next);
            } catch (VirtualMachineError e) {
                fatal = e; // not the waiting task's to catch: runOnce throws it once that task has suspended
                return false;
            } finally {
                runningAhead = false;
                current = waiting;
                if (bridges != null) {
                    bridges.ranAhead();
                }
            }
            scheduler.moveInInboxAndDueTimers(); // what the pass after would do first
            boolean spared = scheduler.readyCount() == 1 && scheduler.firstReady() == waiting;
            if (resumes) {
                learnFromResumingAhead(spared);
            }
            if (!spared) {
                return false;
            }
        }
        scheduler.takeFirstReady();
        runAheads++;
        return true;
    }

    /** A suspended task was resumed ahead: {@code spared} says whether it paid (see the running-ahead overview). */
    private void learnFromResumingAhead(boolean spared) {
        if (spared) {
            resumeAheadBackoff = 1;
        } else {
            resumedAheadInVain++;
            resumeAheadSkips = resumeAheadBackoff;
            resumeAheadBackoff = Math.min(resumeAheadBackoff * 2, MAX_RESUME_AHEAD_BACKOFF);
        }
    }

    private void run(Object entry) {
        try {
            if (entry instanceof Task<?> task) {
                task.step();
                return;
            }
            if (entry instanceof Timer t) { // a due timer: do what it was set for
                entry = t.callback();
                if (entry instanceof Task<?> task) {
                    task.wake(); // a sleep ended: the task's step runs on the next pass, as in asyncio
                    return;
                }
            }
            if (bridges != null && entry != null) {
                bridges.enterCallback(); // callbacks run in the loop's own context
            }
            if (entry instanceof Handle handle) {
                handle.runIfLive();
            } else if (entry != null) { // null: a timer cancelled after it came due
                ((Runnable) entry).run();
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            report(new ErrorReport("Exception in callback " + entry, e, null));
        }
    }

    // ===================================================================== running Async.run

    /** Runs {@code main} as a task until it ends, then finishes every other task and closes. Loop thread only. */
    <T> T runMain(AsyncCallable<T> main) throws Exception {
        CURRENT.set(this);
        Object[] outerBridged = bridges != null ? bridges.saveThread() : null; // the caller's MDC and such, put back at the end
        MonitorWatchdog.register(this); // a task blocked on a monitor that a suspended task holds is reported
        Task<T> task = null;
        try {
            task = createTask(main, "main");
            mainTask = task;
            DeadlockException deadlock = null;
            try {
                runUntilDone(task);
            } catch (DeadlockException e) {
                deadlock = e;
            } catch (Throwable e) {
                diedOf = e; // before CLOSING: whoever finds the loop closing or closed can learn why
                state = LoopState.CLOSING;
                try {
                    finishLeftovers();
                } catch (Throwable cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            state = LoopState.CLOSING;
            try {
                finishLeftovers();
            } catch (Throwable e) {
                diedOf = e; // an Error in a leftover's cleanup: those waiting on the loop learn of it too
                throw e;
            }
            if (deadlock != null) {
                task.markRetrieved();
                throw deadlock;
            }
            return task.retrieve();
        } finally {
            try {
                close();
            } finally {
                if (bridges != null) {
                    bridges.restoreThread(outerBridged);
                }
            }
            if (scheduler.interrupted()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runUntilDone(Task<?> mainTask) {
        boolean interruptDelivered = false;
        while (!mainTask.isDone()) {
            if (scheduler.interrupted() && !interruptDelivered) {
                interruptDelivered = true;
                mainTask.cancel("the thread running Async.run was interrupted");
            }
            if (scheduler.nothingCanHappen()) {
                throw new DeadlockException("Deadlock: the main task is waiting and nothing can ever wake it "
                        + "(no task is ready, no timer is set, no thread-side work is in flight). Tasks:\n" + dumpTasks()
                        + "If another thread is meant to wake a task, hand that work to the loop with "
                        + "Async.await(CompletionStage) or Async.toThread(...), so the loop knows to wait for it.");
            }
            runOnce();
        }
    }

    /**
     * asyncio.run's shutdown: cancel every task still alive and run the loop until they have
     * all ended (their finally blocks may suspend). Tasks created meanwhile are cancelled too.
     * A task that can never end (it swallows its cancellation and waits on nothing that can
     * come) is reported and abandoned rather than hanging the program. Once every task has
     * ended, callbacks still ready get a few more passes (MAX_CLOSING_CALLBACK_PASSES).
     */
    private void finishLeftovers() {
        int stuckRounds = 0;
        int callbackPasses = 0;
        while (liveCount > 0 || (scheduler.readyCount() > 0 && callbackPasses < MAX_CLOSING_CALLBACK_PASSES)) {
            if (liveCount == 0) {
                // Every task has ended, but callbacks wait (a done callback completing a
                // submitted coroutine's future, say): run them, a bounded number of passes.
                callbackPasses++;
                runOnce();
                continue;
            }
            boolean stuck = scheduler.nothingCanHappen();
            if (stuck && ++stuckRounds > 3) {
                for (Task<?> t : tasks()) {
                    report(new ErrorReport("Task '" + t.name() + "' ignored its cancellation and can never end ("
                            + t.describeWait() + "); the loop closes without it", null, t));
                }
                return;
            }
            for (Task<?> t = liveHead; t != null; t = t.nextLive) {
                if (stuck || t.cancelling() == 0) { // new tasks, and everyone again when nothing else can happen
                    t.cancel();
                }
            }
            runOnce();
        }
    }

    /**
     * How many passes of callbacks alone a closing loop still runs once every task has ended:
     * a few, as asyncio's shutdown steps give them (enough for a done callback to complete a
     * submitted coroutine's future), not a self-rescheduling callback's whole life.
     */
    private static final int MAX_CLOSING_CALLBACK_PASSES = 3;

    private void close() {
        state = LoopState.CLOSED;
        try {
            // Handed in too late to run (still in the inbox, or moved to the ready queue by the
            // last pass): a submitted coroutine's future learns so. post() takes back what it
            // adds from here on, so nothing slips between.
            scheduler.drain(EventLoop::abandonIfSubmission);
            for (ThreadBridge.Submission<?> s : new ArrayList<>(submissions)) {
                s.closeOut(); // every future submit handed out ends, whatever became of its task
            }
            unretrieved.reportAll();
            shutDownExecutor();
            scheduler.closeIo();
        } finally {
            if (watchdog != null) {
                watchdog.close(); // waits for it: a report it is making is not lost
            }
            MonitorWatchdog.unregister(this);
            CURRENT.remove();
        }
    }

    private static void abandonIfSubmission(Object entry) {
        if (entry instanceof Handle h && !h.cancelled && h.callback instanceof ThreadBridge.Submission<?> s) {
            s.abandon();
        }
    }

    // ===================================================================== for the kernel

    /** Makes a task and schedules its first step. The caller has checked the thread. */
    <T> Task<T> createTask(AsyncCallable<T> body, String name) {
        return newTask(Objects.requireNonNull(body, "body"), name);
    }

    /** For a body with no result: the task runs it as it is, with no adapter object in between. */
    Task<Void> createTask(AsyncRunnable body, String name) {
        Objects.requireNonNull(body, "body");
        // a body that is both kinds runs as the AsyncRunnable it was passed as
        return newTask(body instanceof AsyncCallable<?> ? body.asCallable() : body, name);
    }

    private <T> Task<T> newTask(Object body, String name) {
        Task<T> task = new Task<>(this, body, name, ++taskIds);
        // a copy of the creator's values (an immutable map, so shared); its Context is made when first needed
        Task<?> creator = current;
        task.inherit(bridges != null ? currentContext().values() // the thread's latest MDC and such first
                : creator != null ? creator.runningValues() : rootContext.values);
        Task<?> tail = liveTail;
        task.prevLive = tail;
        if (tail == null) {
            liveHead = task;
        } else {
            tail.nextLive = task;
        }
        liveTail = task;
        liveCount++;
        if (debug) {
            creationSites.record(task);
        }
        if (observer != null) {
            observer.created(task, clock.nanoTime());
        }
        task.wake();
        return task;
    }

    void taskEnded(Task<?> task) {
        Task<?> prev = task.prevLive;
        Task<?> next = task.nextLive;
        if (prev == null) {
            liveHead = next;
        } else {
            prev.nextLive = next;
        }
        if (next == null) {
            liveTail = prev;
        } else {
            next.prevLive = prev;
        }
        task.prevLive = null;
        task.nextLive = null;
        liveCount--;
        if (observer != null) {
            observer.finished(task, clock.nanoTime());
        }
    }

    /** How many of {@code task}'s pending cancellation requests the loop keeps beyond the 3 the task counts itself. */
    int moreCancelRequests(Task<?> task) {
        var table = moreCancelRequests;
        if (table == null) {
            return 0;
        }
        synchronized (table) { // once the loop has closed, other threads may read it (Task.cancelling), and a read expunges
            return table.getOrDefault(task, 0);
        }
    }

    /** Changes by {@code change} (+1 or -1) how many of {@code task}'s requests the loop keeps beyond the 3. */
    void changeMoreCancelRequests(Task<?> task, int change) {
        if (moreCancelRequests == null) {
            moreCancelRequests = new java.util.WeakHashMap<>();
        }
        var table = moreCancelRequests;
        synchronized (table) {
            int now = table.getOrDefault(task, 0) + change;
            if (now > 0) {
                table.put(task, now);
            } else {
                table.remove(task);
            }
        }
    }

    /**
     * {@link #checkThread} for a read that any thread may make once the loop has closed: passes
     * on the loop's thread, or when the loop has closed (also while the check ran).
     */
    void checkThreadUnlessClosed(String call) {
        if (state == LoopState.CLOSED) {
            return;
        }
        try {
            checkThread(call);
        } catch (IllegalStateException e) {
            if (state != LoopState.CLOSED) {
                throw e;
            }
        }
    }

    /** The context ContextVars use: the one the running task runs in, or the loop's own in a plain callback. */
    ContextVar.Context currentContext() {
        Task<?> t = current;
        ContextVar.Context c = t != null ? t.runningContext() : rootContext;
        if (bridges != null) { // the bridged state as the thread holds it now (an MDC.put since the step began)
            c.values = bridges.sync(t, c.values);
        }
        return c;
    }

    /** Makes {@code context} the one the running task (or callback) runs in; returns the one it replaces. */
    ContextVar.Context swapContext(ContextVar.Context context) {
        Task<?> t = current;
        ContextVar.Context before = t != null ? t.runningContext() : rootContext;
        if (bridges != null) { // Context.run: the context left keeps what the thread holds; the thread takes the entered one's
            before.values = bridges.sync(t, before.values);
            bridges.switched(before.values, context.values, t);
        }
        if (t != null) {
            t.runIn(context);
        } else {
            rootContext = context;
        }
        return before;
    }

    /** The loop's own context as it is stored (BridgedState, which captures into it). */
    java.util.Map<ContextVar<?>, Object> rootContextRaw() {
        return rootContext.values;
    }

    void rootContextCaptured(java.util.Map<ContextVar<?>, Object> values) {
        rootContext.values = values;
    }

    /** toThread's work, with the calling task's bridged state installed on the worker; itself when nothing is bridged. */
    <T> java.util.concurrent.Callable<T> withBridgedState(java.util.concurrent.Callable<T> work) {
        return bridges == null ? work : bridges.carry(currentContext().values, work);
    }

    /** Puts an entry (Task, Handle or Runnable) on the ready queue. */
    void schedule(Object entry) {
        scheduler.schedule(entry);
    }

    void enterStep(Task<?> task) {
        current = task;
        steps++;
        if (debug) {
            watchdog.stepBegan(task, clock.nanoTime());
        }
        if (observer != null) {
            observer.stepBegan(task, clock.nanoTime());
        }
    }

    void exitStep(Task<?> task) {
        current = null;
        if (observer != null) {
            observer.stepEnded(task, clock.nanoTime());
        }
        if (debug) {
            watchdog.stepEnded(task, clock.nanoTime());
        }
    }

    /** On the threads engine a task body runs on its own thread: bind it to this loop. */
    void bindCurrentThread() {
        if (Thread.currentThread() != thread) {
            CURRENT.set(this);
        }
    }

    /** The task running now; throws a clear error outside a task of this loop. */
    Task<?> currentTaskFor(String call) {
        checkThread(call);
        return requireTask(call);
    }

    /** The task running now, for a caller that has checked the thread; a clear error in a plain callback. */
    Task<?> requireTask(String call) {
        Task<?> t = current;
        if (t == null) {
            throw new IllegalStateException(call + " suspends, so it must be called from inside a task, "
                    + "not from a plain callback: wrap the code in Async.createTask(...).");
        }
        return t;
    }

    Task<?> currentTask() {
        return current;
    }

    // For MonitorWatchdog, which reads these from its own thread without synchronization: a
    // stale value only delays its report (see its overview).

    long stepCount() {
        return steps;
    }

    Thread thread() {
        return thread;
    }

    Task<?> liveHeadForDiagnostics() {
        return liveHead;
    }

    /**
     * Whether the calling thread is this loop's own thread while the loop runs: true in every
     * task and callback on the fast path, and in every callback on the threads engine (which
     * may run a callback on the thread of the task whose step just ended: that thread then acts
     * as the loop's); false on any other thread (on the threads engine a task's body runs on a
     * thread of its own, so this is false in a task there and {@link Async#loop()} is the way to
     * find the loop). A cheap check for code that holds a loop and must know
     * whether it may use it directly (Netty's {@code inEventLoop()}). Thread-safe.
     *
     * <pre>{@code
     * if (!loop.inLoopThread()) {
     *     loop.callSoonThreadsafe(this::flush);
     * }
     * }</pre>
     *
     * @return {@code true} on this loop's thread before it has closed
     */
    public boolean inLoopThread() {
        Thread t = Thread.currentThread(); // passThread: only its own thread ever finds itself there
        return (t == thread || (t == passThread && current == null)) && state != LoopState.CLOSED;
    }

    /** What escaped a pass and ended the loop (a StackOverflowError in a callback, say), or null. Any thread. */
    Throwable diedOf() {
        return diedOf;
    }

    /** The exception handler set, or null for the default. Any thread. */
    Consumer<ErrorReport> exceptionHandler() {
        return exceptionHandler;
    }

    /** Thread-side work begins: the loop must wait for its result to come through the inbox. */
    void beginExternal() {
        scheduler.externalBegins();
    }

    /** The result of thread-side work arrived (called on the loop thread). */
    void endExternal() {
        scheduler.externalEnds();
    }

    /** A submitted coroutine's task was made: its future must end by the time the loop has closed. */
    void submissionStarted(ThreadBridge.Submission<?> s) {
        submissions.add(s);
    }

    void submissionEnded(ThreadBridge.Submission<?> s) {
        submissions.remove(s);
    }

    /** Closing has begun (LoopThread.close): work from other threads is refused from now on. Any thread. */
    void refuseNewWork() {
        refusing = true;
    }

    /**
     * Whether work handed in from the calling thread is refused because the loop is closing:
     * once closing has begun, and until it has closed (then post() refuses everything), only
     * the loop's own tasks and callbacks may still hand it work. Any thread.
     */
    boolean refusesWorkFromHere() {
        LoopState now = state;
        return now != LoopState.CLOSED && (refusing || now == LoopState.CLOSING) && CURRENT.get() != this;
    }

    /** Hands an entry to the loop from any thread; false if the loop is closed. */
    boolean post(Handle h) {
        if (state == LoopState.CLOSED) {
            return false;
        }
        scheduler.handIn(h);
        if (state == LoopState.CLOSED && scheduler.takeBack(h)) {
            return false; // closed meanwhile, before its last look at the inbox took h: not run, say so
        }
        scheduler.wakeIfIdle();
        return true;
    }

    private IoHandle addIo(SelectableChannel channel, Runnable callback, boolean write) {
        Objects.requireNonNull(callback, "callback");
        IoHandle h = new IoHandle(callback, this, channel, write);
        watchIo(channel, write, h);
        return h;
    }

    private void awaitIo(SelectableChannel channel, boolean write, String call) {
        Objects.requireNonNull(channel, "channel");
        currentTaskFor(call).waitForIo(channel, write);
    }

    /** Makes {@code entry} (an IoHandle, or a Task in Task.waitForIo) the channel's reader or writer. */
    void watchIo(SelectableChannel channel, boolean write, Object entry) {
        if (channel.isBlocking() && channel.isOpen()) {
            throw new IllegalArgumentException("The channel is in blocking mode; the loop can only watch non-blocking "
                    + "channels: call channel.configureBlocking(false) first.");
        }
        IoSelector io = scheduler.ioForWatching();
        Object previous = io.set(channel, write, entry, scheduler.fromIo());
        if (previous instanceof Task<?> waiting && waiting != entry && !waiting.woken()) {
            // Replacing it would leave that task asleep for good: put it back, and refuse.
            io.set(channel, write, waiting, scheduler.fromIo());
            throw new IllegalStateException("Task '" + waiting.name() + "' already waits for " + channel + " to become "
                    + (write ? "writable" : "readable") + "; one task at a time may wait for a channel in each "
                    + "direction: let one task do that side's I/O (hand work to it through a Queue), or wait for it"
                    + " with a sync.Lock.");
        }
        if (previous instanceof Handle old) {
            old.cancelled = true;
        }
    }

    /** Task.waitForIo, once the wait is over: removes the task's watch if it is still there. */
    void unwatchIo(SelectableChannel channel, boolean write, Task<?> task) {
        scheduler.io().clear(channel, write, task);
    }

    /** A watch the selector found ready (or whose channel closed): a waiting task resumes, a callback runs, next. */
    private void readyFromIo(Object entry) {
        if (entry instanceof Task<?> task) {
            task.wake(); // once, even if a cancellation woke it too
        } else {
            scheduler.schedule(entry);
        }
    }

    private boolean removeIo(SelectableChannel channel, boolean write) {
        IoSelector io = scheduler.io();
        Object entry = io == null ? null : io.get(channel, write);
        if (entry instanceof Handle h && io.clear(channel, write, entry)) {
            h.cancelled = true;
            return true;
        }
        return false;
    }

    /** IoHandle.cancel: removes the handle if it is still the channel's reader or writer. */
    void removeIo(IoHandle h) {
        IoSelector io = scheduler.io();
        if (io != null) {
            io.clear(h.channel(), h.watchesWrite(), h);
        }
    }

    ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("simmer-to-thread-", 0).factory());
        }
        return executor;
    }

    private void shutDownExecutor() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                report(new ErrorReport("Threads started by Async.toThread still run 30 s after the loop closed;"
                        + " they ignore interruption. The loop closes without waiting further.", null, null));
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    void rememberUnretrieved(Completion<?> c) {
        unretrieved.failed(c);
    }

    void forgetUnretrieved(Completion<?> c) {
        unretrieved.retrieved(c);
    }

    /** Debug mode: " (task created at ...)" for a report on {@code task}; else "". */
    String creationSuffix(Task<?> task) {
        return creationSites != null ? creationSites.suffix(task) : "";
    }

    /**
     * Hands {@code r} to the exception handler, or the default; a handler that throws is
     * logged. On the loop's thread.
     */
    void report(ErrorReport r) {
        Consumer<ErrorReport> h = exceptionHandler;
        try {
            if (h == null) {
                defaultExceptionHandler(r);
            } else {
                h.accept(r);
            }
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            LOG.log(System.Logger.Level.ERROR, "The loop's exception handler threw while handling: " + r, e);
        }
    }

    // ===================================================================== thread confinement

    /** The loop running on this thread, or null. */
    static EventLoop current() {
        return CURRENT.get();
    }

    /** The loop running on this thread; a clear error naming {@code call} if there is none. */
    static EventLoop runningLoop(String call) {
        EventLoop loop = CURRENT.get();
        if (loop == null) {
            throw new IllegalStateException(call + " needs a running event loop, and there is none on thread '"
                    + Thread.currentThread().getName() + "'. Start one with Async.run(() -> ...) and call it from "
                    + "inside; from another thread, hand work to a running loop with loop.submit(() -> ...) (or "
                    + "LoopThread.submit), or loop.callSoonThreadsafe(...) for a plain callback.");
        }
        return loop;
    }

    /** Throws a clear error unless called on this loop's thread (a task or callback of this loop). */
    void checkThread(String call) {
        if (Thread.currentThread() == thread && state != LoopState.CLOSED) {
            return; // the loop's own thread (every task on the fast path): no ThreadLocal lookup needed
        }
        EventLoop here = CURRENT.get();
        if (here != this) {
            if (state == LoopState.CLOSED) {
                throw new IllegalStateException(call + ": the event loop is closed.");
            }
            if (here != null) {
                throw new IllegalStateException(call + " was called on an object of another event loop. Each loop "
                        + "owns its tasks and promises: hand the work to the owning loop with its callSoonThreadsafe, "
                        + "or share data through Async.await(CompletableFuture).");
            }
            throw new IllegalStateException(call + " must be called from the event loop's thread (a task or "
                    + "callback of the loop), not from thread '" + Thread.currentThread().getName()
                    + "'. From another thread hand the call to the loop: loop.submit(() -> ...) (or LoopThread.submit),"
                    + " or loop.callSoonThreadsafe(...) for a plain callback.");
        }
    }

    private static long addSaturated(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }
}
