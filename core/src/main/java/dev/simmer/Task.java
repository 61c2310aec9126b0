package dev.simmer;

import dev.simmer.internal.Engine.Fiber;
import dev.simmer.internal.Parking;
import dev.simmer.internal.Timer;
import dev.simmer.internal.WaitLabels;

import java.util.function.Consumer;

/**
 * A coroutine scheduled on an event loop, with a result, a failure or a cancellation at the
 * end (asyncio's {@code Task}). Made by {@link Async#createTask}; its first step runs on a
 * later pass of the loop, never inside {@code createTask}.
 *
 * <pre>{@code
 * Task<String> download = Async.createTask("download", () -> {
 *     Async.sleep(Duration.ofSeconds(2));
 *     return "file1";
 * });
 * System.out.println("Doing other work...");
 * String name = download.await();
 * }</pre>
 *
 * <p>Cancellation is asyncio's: {@link #cancel()} asks, and the task gets a
 * {@link CancelledException} at its next suspension point (or, if it has not started, never
 * runs its body). Its {@code finally} blocks run and may still suspend. Requests are counted
 * ({@link #cancelling()}, {@link #uncancel()}) so that timeouts and groups can nest.
 *
 * <p>A {@code Task} is also an {@link AsyncCallable} whose {@code call()} awaits it, so a
 * list of tasks can be passed where bodies are expected ({@link Async#gather(java.util.List)}).
 *
 * <p>Must be used from the loop thread (any task or callback of its loop); the read-only
 * {@link #isDone()}, {@link #isCancelled()} and {@link #name()} may be read anywhere.
 *
 * @param <T> the result type
 */
public final class Task<T> extends Completion<T> implements AsyncCallable<T> {
    /*
     * Overview: a task is a fiber (made with the task; the engine makes its own state in it on
     * the first step, which takes the body the task holds until then) plus the state that tells the loop what to do with it.
     *
     *   phase      what it means                          who moves it on
     *   NEW        created, first step scheduled          step(): RUNNING, or DONE if cancelled first
     *   RUNNING    its body runs (inside step())          suspend(): WAITING; body ends: DONE
     *   WAITING    suspended; a wake-up is registered     wake() schedules step(): RUNNING
     *   DONE       ended; the outcome is in Completion    -
     *
     * A wake-up is one of: a timer (sleep), a waiter entry on a Completion (await), an I/O
     * watch, a primitive's own waiter record (park/unpark, see internal.Parking), or nothing
     * but an already scheduled step (yield). SCHEDULED guarantees a task is at
     * most once in the ready queue. cancel() asks what the task awaits to cancel (asyncio),
     * or, when that is not possible, sets MUST_CANCEL, aborts the wait (unless it has
     * already ended: the task is woken) and wakes the task; a woken task with MUST_CANCEL,
     * or whose wait was aborted, throws CancelledException at its suspension point. As in
     * asyncio, uncancel() down to zero clears MUST_CANCEL but cannot undo an aborted wait.
     */
    // The phase is a byte rather than an enum, and the six flags share one byte, so that with
    // Completion's state and `retrieved` they fill the four bytes the object header leaves
    // free: a task is 56 bytes (an enum reference, or a byte per flag, would make it 64). The
    // flags' byte also counts cancellation requests (see cancelling()).
    static final byte NEW = 0, RUNNING = 1, WAITING = 2, DONE = 3;
    private static final String[] PHASE_NAMES = {"new", "running", "waiting", "done"};

    // The flags, bits of `flags`: see the overview above for what each one means.
    private static final int SCHEDULED = 1;        // the next step is on the ready queue
    private static final int CANCEL_PASSES_ON = 2; // an await passes a cancellation on to what it awaits
    private static final int PASSING_CANCEL = 4;   // cancel() is passing a request on (a cycle stops here)
    private static final int IO_WRITE = 8;         // waitForIo waits for writability, not readability
    private static final int MUST_CANCEL = 16;     // a cancellation is to be thrown at the next suspension point
    private static final int WAIT_ABORTED = 32;    // a cancellation cut the current wait short
    // The flags' last two bits count the pending cancellation requests up to 3; beyond, the loop
    // keeps the rest (EventLoop.moreCancelRequests): a field of its own would cost every task 8 bytes.
    private static final int CANCEL_COUNT_SHIFT = 6;
    private static final int CANCEL_COUNT_BITS = 3 << CANCEL_COUNT_SHIFT;
    private static final int CANCEL_COUNT_IN_FLAGS = 3;

    static {
        Parking.install(new ParkingKernel());
    }

    private final int id; // the loop's count of tasks at its making, for the default name (wraps past 2^32)
    private String name;

    byte phase = NEW;
    private byte flags;
    private FiberBody fiber; // null once the body has finished (or was never run: cancelled first)

    // What the task waits on while WAITING (for cancel and for dumps): a Completion (await),
    // the SelectableChannel waitForIo watches, the WaitLabels.Label of a park, the Timer of a
    // sleep (mostly the fiber itself), or null (a yield). While NEW it holds the body (an
    // AsyncCallable, or an AsyncRunnable), which the first step takes: nothing reads it as a
    // wait before the task is WAITING.
    private Object waitingOn;

    // The task's context (asyncio's Task.get_context()), and the one its body runs in now
    // (ContextVar.set writes into it), in one field: the creator's values (a Map, immutable,
    // shared) until a Context is first needed (runningContext()), so that a task that never
    // touches a ContextVar costs no Context object; then the task's Context, which is both; or,
    // while the body runs in another context with Context.run, an Entered with the two.
    private Object context;

    // Intrusive list of the loop's live tasks.
    Task<?> prevLive;
    Task<?> nextLive;

    Task(EventLoop loop, Object body, String name, long id) {
        super(loop);
        this.fiber = new FiberBody(this);
        this.waitingOn = body;
        this.name = name;
        this.id = (int) id;
    }

    /**
     * The task's name: the one given to {@code createTask}, or {@code Task-<n>}.
     *
     * @return the name; never {@code null}
     */
    public String name() {
        String n = name;
        if (n == null) {
            n = "Task-" + Integer.toUnsignedString(id);
            name = n;
        }
        return n;
    }

    /**
     * The task's context (asyncio's {@code Task.get_context()}): a copy of its creator's
     * context made when the task was created, or the context given to
     * {@link Async#createTask(AsyncCallable, ContextVar.Context)}. It is live: the task's
     * {@link ContextVar#set}s go into it, so it shows the values the task sees (except while
     * the task runs a body in another context with {@link ContextVar.Context#run}).
     *
     * <pre>{@code
     * Task<Void> t = Async.createTask(() -> REQUEST_ID.set("r-1"));
     * t.await();
     * t.context().get(REQUEST_ID, null);   // "r-1"
     * }</pre>
     *
     * @return the task's context; never {@code null}
     */
    public ContextVar.Context context() {
        ContextVar.Context running = runningContext();
        return context instanceof Entered e ? e.own : running;
    }

    /** Gives a task just created (its first step has not run) the context it runs in. */
    void useContext(ContextVar.Context c) {
        context = c;
    }

    /** Gives a task just created a copy of its creator's values; its Context is made when first needed. */
    void inherit(java.util.Map<ContextVar<?>, Object> values) {
        context = values;
    }

    /** The context the body runs in now, made from the inherited values on first need. */
    ContextVar.Context runningContext() {
        Object c = context;
        if (c instanceof ContextVar.Context own) {
            return own;
        }
        if (c instanceof Entered e) {
            return e.running;
        }
        ContextVar.Context made = new ContextVar.Context(inheritedValues(c));
        context = made;
        return made;
    }

    /** The values the body sees now, without making a Context for them. */
    java.util.Map<ContextVar<?>, Object> runningValues() {
        Object c = context;
        return c instanceof ContextVar.Context own ? own.values
                : c instanceof Entered e ? e.running.values : inheritedValues(c);
    }

    /** Makes {@code running} the context the body runs in (Context.run entering it, or leaving back to the one before). */
    void runIn(ContextVar.Context running) {
        Object c = context;
        ContextVar.Context own = c instanceof Entered e ? e.own : runningContext();
        if (running == own) {
            context = own;
        } else if (c instanceof Entered e) {
            e.running = running; // a run nested in another
        } else {
            context = new Entered(own, running);
        }
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<ContextVar<?>, Object> inheritedValues(Object context) {
        return (java.util.Map<ContextVar<?>, Object>) context;
    }

    /** The task's own context and the other one its body runs in meanwhile (Context.run). */
    private static final class Entered {
        final ContextVar.Context own;
        ContextVar.Context running;

        Entered(ContextVar.Context own, ContextVar.Context running) {
            this.own = own;
            this.running = running;
        }
    }

    /**
     * Requests cancellation without a message; see {@link #cancel(String)}.
     *
     * @return {@code false} if the task had already ended, {@code true} if the request was made
     */
    public boolean cancel() {
        return cancel(null);
    }

    /**
     * Requests cancellation: the task gets a {@link CancelledException} (carrying
     * {@code message}) at its next suspension point; if it has not started, its body never
     * runs. If the task awaits another task or promise, that is cancelled instead and the
     * task sees the result (as in asyncio). Returns {@code false} if the task has already
     * ended, {@code true} otherwise (the request is counted, see {@link #cancelling()}).
     *
     * @param message the reason, carried by the {@link CancelledException}; may be {@code null}
     * @return {@code false} if the task had already ended, {@code true} if the request was made
     */
    public boolean cancel(String message) {
        loop.checkThread("Task.cancel");
        if (isDone() || has(PASSING_CANCEL)) {
            return false; // passing a request on already: a cycle of awaits (a deadlock) brought our own request back: stop it
        }
        addCancelRequest();
        if (phase == WAITING && waitingOn instanceof Completion<?> awaited && has(CANCEL_PASSES_ON)) {
            set(PASSING_CANCEL);
            try {
                if (awaited.cancelRequested(message)) {
                    return true; // the awaited one ends cancelled (or will), and its end wakes us
                }
            } finally {
                clear(PASSING_CANCEL);
            }
        }
        set(MUST_CANCEL);
        keepCancelMessage(message);
        if (phase == WAITING) {
            if (fiber != null && loop.engine.hostsGuest(fiber)) {
                // The task awaits a child that runs on its thread (threads engine), and the
                // request came back to that child round a cycle of awaits. The task cannot be
                // woken before the child ends: it keeps the request (it is cancelled once woken),
                // and the task that passed the request to it is the one woken instead.
                return false;
            }
            abortWait();
        }
        return true;
    }

    /**
     * How many cancellation requests are pending (asyncio's {@code cancelling()}). Read on the
     * loop's thread, or anywhere once the loop has closed.
     *
     * @return the number of cancellation requests not withdrawn by {@link #uncancel()}; 0 if none
     */
    public int cancelling() {
        loop.checkThreadUnlessClosed("Task.cancelling"); // beyond 3 the count is in the loop's table, the loop's while it runs
        return cancelRequests();
    }

    private int cancelRequests() {
        int inFlags = (flags & CANCEL_COUNT_BITS) >>> CANCEL_COUNT_SHIFT;
        return inFlags < CANCEL_COUNT_IN_FLAGS ? inFlags : inFlags + loop.moreCancelRequests(this);
    }

    /**
     * Withdraws one cancellation request and returns how many remain; at zero, a pending
     * cancellation not yet delivered is dropped. For code that catches a cancellation it
     * caused itself (a timeout) and carries on.
     *
     * @return the number of requests still pending after this one is withdrawn; 0 if there were none
     */
    public int uncancel() {
        loop.checkThread("Task.uncancel");
        int before = cancelRequests();
        if (before == 0) {
            return 0;
        }
        if (before > CANCEL_COUNT_IN_FLAGS) {
            loop.changeMoreCancelRequests(this, -1);
        } else {
            flags -= (byte) (1 << CANCEL_COUNT_SHIFT);
            if (before == 1) {
                clear(MUST_CANCEL);
            }
        }
        return before - 1;
    }

    /** Counts one more cancellation request: in the flags' bits, or beyond 3 at the loop. */
    private void addCancelRequest() {
        if ((flags & CANCEL_COUNT_BITS) != CANCEL_COUNT_BITS) {
            flags += (byte) (1 << CANCEL_COUNT_SHIFT);
        } else {
            loop.changeMoreCancelRequests(this, 1);
        }
    }

    /**
     * Runs {@code callback} on the loop once the task has ended (on the next pass if it
     * already has), asyncio's {@code add_done_callback}. An exception it throws goes to the
     * loop's exception handler. The returned handle takes the callback back (asyncio's
     * {@code remove_done_callback}); ignore it if you never will.
     *
     * <pre>{@code
     * DoneCallback watch = task.onDone(t -> System.out.println(t.name() + " ended"));
     * if (noLongerInterested) {
     *     watch.remove();   // the callback never runs
     * }
     * }</pre>
     *
     * <p>Must be called from the loop thread.
     *
     * @param callback called once, on the loop thread, with this task; it must not suspend
     * @return a handle whose {@link DoneCallback#remove()} unregisters the callback
     */
    public DoneCallback onDone(Consumer<? super Task<T>> callback) {
        loop.checkThread("Task.onDone");
        DoneCallback handle = new DoneCallback(this, java.util.Objects.requireNonNull(callback, "callback"));
        addCallback(handle.entry());
        return handle;
    }

    /** Awaits this task: {@code task.call()} is {@code task.await()}. */
    @Override
    public T call() throws Exception {
        return await();
    }

    @Override
    public String toString() {
        return "Task '" + name() + "' (" + (isDone() ? stateName() : PHASE_NAMES[phase]) + ")";
    }

    // ----- the kernel: called by the loop -----

    /** One step: run the body until it suspends or ends. The loop's ready queue calls this. */
    void step() {
        if (!beginStep()) {
            return;
        }
        if (loop.handsOff) { // the body's thread ends the step, and may run the loop's next ones
            loop.engine.resume(fiber);
            loop.handBackDone();
            return;
        }
        boolean finished;
        try {
            finished = loop.engine.resume(fiber);
        } finally {
            loop.exitStep(this);
        }
        if (finished) {
            dropFiber();
        }
    }

    /**
     * The start of a step, up to resuming the body: false if there is nothing to resume (the
     * task has ended, or was cancelled before its first step and ends now).
     */
    boolean beginStep() {
        clear(SCHEDULED);
        if (phase == DONE) {
            return false;
        }
        if (phase == NEW && has(MUST_CANCEL)) { // cancelled before its first step: the body never runs
            clear(MUST_CANCEL);
            end();
            fiber = null;
            cancel0(cancelMessage());
            return false;
        }
        phase = RUNNING;
        loop.enterStep(this);
        return true;
    }

    /** The fiber whose step {@link #beginStep} began. */
    Fiber fiber() {
        return fiber;
    }

    /** A direct hand-off ended the step on the body's thread: a finished body's fiber is let go. */
    void stepEndedOnBody(boolean finished) {
        if (finished) {
            dropFiber();
        }
    }

    /**
     * The body has ended: the task lets go of its fiber. A cancelled sleep's arming of the fiber
     * may still wait in the timer heap (lazy removal) until its deadline; so that it does not keep
     * the ended task, and its result, reachable that long, the fiber lets go of both the task and
     * the engine's state.
     */
    private void dropFiber() {
        FiberBody f = fiber;
        fiber = null;
        if (f.isCancelled()) {
            f.release();
        }
    }

    /**
     * What the engine runs: this task's body, named after the task (the engine keeps its state
     * in it). It is the task's timer for sleeps too, so its timer callback is the task while
     * the task lives: a cancelled arming keeps it (see internal.TimerHeap#cancel), and lets go
     * of it once the task has ended (dropFiber). A static class with no field of its own (the
     * body waits in the task until the first step), so that it holds the task once and is
     * no bigger than a timer with the engine's state: 32 bytes.
     */
    private static final class FiberBody extends Fiber {
        FiberBody(Task<?> task) {
            super(task);
        }

        private Task<?> task() {
            return (Task<?>) callback();
        }

        @Override
        public void run() {
            task().runBody();
        }

        @Override
        protected Fiber stepEnded(boolean finished) {
            Task<?> task = task();
            return task.loop.handsOff ? task.loop.stepEnded(task, finished) : null;
        }

        /**
         * An untimed await of {@code next}'s task (cancellation passed on to it) is the one wait
         * whose only wake-up is that task's end; see {@link #cancel(String)} for a cancellation
         * that comes back round a cycle.
         */
        @Override
        protected boolean mayHost(Fiber next) {
            Task<?> task = task();
            return task.phase == WAITING && !task.has(SCHEDULED) && task.has(CANCEL_PASSES_ON)
                    && task.waitingOn instanceof Task<?> awaited && awaited.fiber == next;
        }

        @Override
        public String name() {
            return task().name();
        }
    }

    /** The body, inside the fiber. Records the outcome; never throws. */
    private void runBody() {
        loop.bindCurrentThread();
        BridgedState bridged = loop.bridges;
        T result;
        try {
            if (bridged != null) {
                bridged.stepBegins(this);
            }
            try {
                Object body = waitingOn; // see waitingOn: the body, until now
                waitingOn = null;
                result = call(body);
            } finally {
                if (bridged != null) {
                    bridged.stepEnds(this, false);
                }
            }
        } catch (CancelledException e) {
            end();
            cancel0(e);
            return;
        } catch (Throwable e) {
            end();
            fail0(e);
            return;
        }
        end();
        if (has(MUST_CANCEL)) { // cancelled while running, and it never reached a suspension point
            clear(MUST_CANCEL);
            cancel0(cancelMessage());
        } else {
            complete0(result);
        }
    }

    /** Runs the body; a body with no result (a task made from an AsyncRunnable) gives null. */
    @SuppressWarnings("unchecked")
    private static <T> T call(Object body) throws Exception {
        if (body instanceof AsyncCallable<?> callable) {
            return (T) callable.call();
        }
        ((AsyncRunnable) body).run();
        return null;
    }

    private void end() {
        phase = DONE;
        waitingOn = null; // the body, if the task was cancelled before it ran
    }

    @Override
    void onFinished() {
        loop.taskEnded(this);
    }

    private boolean has(int flagBits) {
        return (flags & flagBits) != 0;
    }

    private void set(int flag) {
        flags |= (byte) flag;
    }

    private void clear(int flag) {
        flags &= (byte) ~flag;
    }

    private void set(int flag, boolean on) {
        if (on) {
            set(flag);
        } else {
            clear(flag);
        }
    }

    /** Whether the next step is on the ready queue already (a waiting task was woken). */
    boolean woken() {
        return has(SCHEDULED);
    }

    /** Puts the next step on the ready queue, once. */
    void wake() {
        if (!has(SCHEDULED) && phase != DONE) {
            set(SCHEDULED);
            loop.schedule(this);
        }
    }

    /** Whether this task is the one a cancel of its awaiting task reaches (asyncio: cancels the awaited). */
    @Override
    boolean cancelRequested(String message) {
        return cancel(message);
    }

    // ----- suspension points: called from inside this task's body -----

    /**
     * Suspends until woken; throws CancelledException if cancelled meanwhile. The wake-up
     * (timer, waiter entry, scheduled step) is registered before this is called.
     */
    private void suspend() {
        if (has(MUST_CANCEL)) {
            // Cancelled while running: as in asyncio, the request is delivered at this very
            // wait: passed on to what we await, or the wait is aborted at once.
            if (waitingOn instanceof Completion<?> awaited && has(CANCEL_PASSES_ON)
                    && awaited.cancelRequested(cancelMessage())) {
                clear(MUST_CANCEL);
            } else {
                abortWait();
            }
        }
        phase = WAITING;
        BridgedState bridged = loop.bridges;
        if (bridged != null) {
            bridged.stepEnds(this, true); // the task keeps its MDC and such; the thread is cleared
        }
        try {
            if (loop.runAhead(this)) {
                clear(SCHEDULED); // the loop ran what it would have run next, and then would have resumed us
            } else {
                loop.engine.suspend(fiber);
            }
        } finally {
            if (bridged != null) {
                bridged.stepBegins(this);
            }
        }
        phase = RUNNING;
        if (has(MUST_CANCEL | WAIT_ABORTED)) {
            // WAIT_ABORTED: a cancel cut the wait short; an uncancel() since then cannot make
            // the wait have happened (asyncio: the awaited future stays cancelled)
            clear(MUST_CANCEL | WAIT_ABORTED);
            throw new CancelledException(cancelMessage());
        }
    }

    /** asyncio.sleep(0): let every other ready task run once, then continue. */
    void yieldNow() {
        wake();
        suspend();
    }

    /** Suspends for {@code nanos} of loop time. */
    void sleepNanos(long nanos) {
        long now = loop.clock.nanoTime();
        long deadline = now + nanos < now ? Long.MAX_VALUE : now + nanos;
        waitingOn = loop.timers.rearm(fiber, deadline, this); // when due, the loop wakes this task
        try {
            suspend();
        } finally {
            waitingOn = null;
        }
    }

    /**
     * Suspends until the loop's selector finds {@code channel} ready for reading (or
     * writing); this task itself is the watch, so readiness resumes it with no callback in
     * between. A cancellation wakes it as usual; either way the watch is removed on the way out.
     */
    void waitForIo(java.nio.channels.SelectableChannel channel, boolean write) {
        loop.watchIo(channel, write, this);
        waitingOn = channel;
        set(IO_WRITE, write);
        try {
            suspend();
        } finally {
            waitingOn = null;
            loop.unwatchIo(channel, write, this);
        }
    }

    /**
     * Suspends until {@link #unpark()}: a primitive of dev.simmer.sync keeps this task in a
     * waiter record of its own and wakes it when it is granted (see internal.Parking).
     * {@code label} says what it waits in, for dumps.
     */
    void park(WaitLabels.Label label) {
        waitingOn = label;
        try {
            suspend();
        } finally {
            waitingOn = null;
        }
    }

    /** Whether the task is parked and not woken yet: unpark() would wake it. */
    boolean isParked() {
        return phase == WAITING && !has(SCHEDULED) && waitingOn instanceof WaitLabels.Label;
    }

    /** Wakes a parked task; false if it is no longer parked (a cancellation has woken it). */
    boolean unpark() {
        if (!isParked()) {
            return false;
        }
        wake();
        return true;
    }

    /**
     * Suspends until {@code awaited} ends. If {@code passCancel}, cancelling this task
     * cancels {@code awaited} (asyncio's await); otherwise this task alone gets the
     * CancelledException and {@code awaited} carries on (asyncio's shield).
     */
    void waitFor(Completion<?> awaited, boolean passCancel) {
        waitingOn = awaited;
        set(CANCEL_PASSES_ON, passCancel);
        awaited.addWaiter(this);
        try {
            suspend();
        } finally {
            waitingOn = null;
        }
    }

    /**
     * Cuts the current wait short because of a cancellation, and wakes the task. A wait that
     * has already ended (the task is woken, its step queued) is left alone: as asyncio's
     * {@code _must_cancel}, only MUST_CANCEL then delivers the request, so an
     * {@link #uncancel()} before the step still withdraws it.
     */
    private void abortWait() {
        if (has(SCHEDULED)) {
            return;
        }
        set(WAIT_ABORTED);
        if (waitingOn instanceof Timer sleep) {
            loop.timers.cancel(sleep);
        }
        if (waitingOn instanceof Completion<?> awaited) {
            awaited.removeWaiter(this);
        }
        wake();
    }

    // ----- for dumps and diagnostics -----

    /** One line on what the task is doing, for dumps and the deadlock error. */
    String describeWait() {
        if (phase == NEW) {
            return "not started";
        }
        if (phase != WAITING) {
            return PHASE_NAMES[phase];
        }
        if (waitingOn instanceof Task<?> t) {
            return "awaiting task '" + t.name() + "'";
        }
        if (waitingOn instanceof Promise<?> p) {
            return p.describeWait();
        }
        if (waitingOn instanceof WaitLabels.Label label) {
            return "awaiting " + label.describe(this);
        }
        if (waitingOn instanceof java.nio.channels.SelectableChannel channel) {
            return "waiting for " + channel + " to be " + (has(IO_WRITE) ? "writable" : "readable");
        }
        if (waitingOn instanceof Timer sleep) {
            long deadline = sleep.deadline();
            if (deadline == Long.MAX_VALUE) {
                return "sleeping for good";
            }
            long left = deadline - loop.clock.nanoTime();
            return left <= 0 ? "sleeping, due now" : "sleeping, " + humanDuration(left) + " left";
        }
        if (waitingOn != null) {
            return "awaiting " + waitingOn;
        }
        return "ready to resume";
    }

    /** When the task's sleep ends, in loop time; {@code Long.MIN_VALUE} if it is not sleeping. */
    long sleepDeadline() {
        return phase == WAITING && waitingOn instanceof Timer sleep ? sleep.deadline() : Long.MIN_VALUE;
    }

    /** A positive duration in the largest fitting unit, one decimal at most: "1.5 s", "250 ms", "2 h 5 min". */
    static String humanDuration(long nanos) {
        if (nanos < 1_000L) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000L) {
            return oneDecimal(nanos / 1e3) + " \u00b5s";
        }
        if (nanos < 1_000_000_000L) {
            return oneDecimal(nanos / 1e6) + " ms";
        }
        long seconds = nanos / 1_000_000_000L;
        if (seconds < 60) {
            return oneDecimal(nanos / 1e9) + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h" + (seconds % 3600 / 60 == 0 ? "" : " " + seconds % 3600 / 60 + " min");
        }
        return seconds / 86_400 + " d" + (seconds % 86_400 / 3600 == 0 ? "" : " " + seconds % 86_400 / 3600 + " h");
    }

    private static String oneDecimal(double value) {
        double rounded = Math.round(value * 10) / 10.0;
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded)
                : String.format(java.util.Locale.ROOT, "%.1f", rounded);
    }

    /** The thread that runs this task's steps (see Fiber.thread), or null if not known yet. Diagnostics, any thread. */
    Thread stepThread(Thread loopThread) {
        Fiber f = fiber;
        return f == null ? null : loop.engine.thread(f, loopThread);
    }

    /** Where the task is suspended: from the Simmer call it waits in down to its body (the engine's frames left out). */
    StackTraceElement[] suspendedStack() {
        Fiber f = fiber;
        if (f == null || phase != WAITING) {
            return new StackTraceElement[0];
        }
        StackTraceElement[] frames = loop.engine.stackTrace(f);
        int first = 0;
        while (first < frames.length && isSuspensionMachinery(frames[first].getClassName())) {
            first++;
        }
        int end = frames.length; // and below the body: the engine's frames that started it (and any host's, below a guest)
        for (int i = first; i < frames.length; i++) {
            if (frames[i].getClassName().equals(Task.class.getName()) && frames[i].getMethodName().equals("runBody")) {
                end = i;
                break;
            }
        }
        return first == end ? frames : java.util.Arrays.copyOfRange(frames, first, end);
    }

    private static boolean isSuspensionMachinery(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("dev.simmer.internal.") || className.equals(Task.class.getName());
    }

    /** The kernel's side of internal.Parking, for the primitives of dev.simmer.sync. */
    private static final class ParkingKernel implements Parking.Kernel {
        @Override
        public Task<?> currentTask(EventLoop loop) {
            return loop.currentTask();
        }

        @Override
        public void park(Task<?> task, WaitLabels.Label label) {
            task.park(label);
        }

        @Override
        public boolean unpark(Task<?> task) {
            return task.unpark();
        }

        @Override
        public boolean isParked(Task<?> task) {
            return task.isParked();
        }
    }
}
