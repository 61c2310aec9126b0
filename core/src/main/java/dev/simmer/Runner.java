package dev.simmer;

import dev.simmer.internal.Clock;
import dev.simmer.internal.Engine;
import dev.simmer.internal.Engines;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link Async#run} with options: virtual time (or a {@link TestClock}), debug mode, an
 * exception handler, schedule fuzzing, a {@link Timeline} recording, JFR events.
 *
 * <pre>{@code
 * String result = Runner.create()
 *         .virtualTime(true)           // sleeps take no real time
 *         .debug(true)                 // report steps that block the loop
 *         .run(() -> {
 *             Async.sleep(Duration.ofHours(1));
 *             return "an hour later";
 *         });
 * }</pre>
 *
 * <p>A runner is a small value: configure it, then call {@link #run} as often as needed; each
 * call makes a new loop. Not thread-safe while being configured; {@code run} may be called
 * from any thread that is not already running a loop.
 */
public final class Runner {
    /** The system property that turns debug mode on for every loop: {@code -Dsimmer.debug=true}. */
    public static final String DEBUG_PROPERTY = "simmer.debug";

    /**
     * The system property that turns schedule fuzzing on for every loop, with a seed:
     * {@code -Dsimmer.shuffle.seed=42}. See {@link #shuffleSeed(long)}.
     */
    public static final String SHUFFLE_SEED_PROPERTY = "simmer.shuffle.seed";

    private boolean virtualTime;
    private Clock clock;
    private boolean debug = Boolean.getBoolean(DEBUG_PROPERTY);
    private Duration slowStep = Duration.ofMillis(100);
    private Consumer<ErrorReport> exceptionHandler;
    private boolean runAhead = true;
    private Long shuffleSeed = Long.getLong(SHUFFLE_SEED_PROPERTY);
    private Timeline timeline;
    private boolean jfrEvents;

    private Runner() {
    }

    /**
     * A runner with the defaults: the system clock, debug mode from {@code -Dsimmer.debug}.
     *
     * @return a new runner; configure it with the other methods, then call {@link #run(AsyncCallable)}
     */
    public static Runner create() {
        return new Runner();
    }

    /**
     * Virtual time: the clock starts at zero and, whenever the loop would wait for a timer
     * and no thread-side work is in flight, jumps straight to it. Sleeps cost no real time
     * and results do not depend on the machine's speed.
     *
     * @param on {@code true} for a virtual clock starting at zero, {@code false} (the default) for the system
     *     clock
     * @return this runner
     */
    public Runner virtualTime(boolean on) {
        this.virtualTime = on;
        return this;
    }

    /**
     * Debug mode: a task step that runs longer than the {@linkplain #slowStepThreshold
     * threshold} without suspending is reported to the exception handler with the task's
     * name and stack (it is blocking the loop). A step whose thread is blocked (a JDK lock,
     * latch or sleep, or a {@code synchronized} monitor that a suspended task holds) is
     * reported while it is still blocked, from a watchdog thread, with a hint on the cause:
     * a step that never ends is reported too. Each task's creation site is recorded, so
     * that an unretrieved failure and {@link EventLoop#dumpTasks()} say where the task was
     * created; {@link LoopStats#longestStep()} is measured.
     *
     * @param on {@code true} to turn debug mode on; the default comes from {@code -Dsimmer.debug}
     * @return this runner
     */
    public Runner debug(boolean on) {
        this.debug = on;
        return this;
    }

    /**
     * How long a step may run before debug mode reports it; 100 ms by default.
     *
     * @param threshold the longest step, in real time, that debug mode lets pass unreported; zero reports
     *     every step
     * @return this runner
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    public Runner slowStepThreshold(Duration threshold) {
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("slowStepThreshold must not be negative, was " + threshold);
        }
        this.slowStep = threshold;
        return this;
    }

    /**
     * Who receives errors no caller can receive; see {@link EventLoop#setExceptionHandler}.
     *
     * @param handler called with each report, on the loop thread but for the monitor watchdog's
     *     reports (a loop stuck on a {@code synchronized} block cannot run anything: those come from the
     *     watchdog's own thread), so it must be thread-safe; {@code null} (the default) logs them through
     *     {@link System.Logger} "dev.simmer"
     * @return this runner
     */
    public Runner exceptionHandler(Consumer<ErrorReport> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    /**
     * Virtual time on {@code clock}, which the code it runs can move by hand
     * ({@link TestClock#advanceBy}, {@link TestClock#runCurrent},
     * {@link TestClock#advanceUntilIdle}); implies {@link #virtualTime virtual time}.
     *
     * <pre>{@code
     * TestClock clock = TestClock.create();
     * Runner.create().testClock(clock).run(() -> {
     *     Async.createTask(() -> Async.sleep(Duration.ofSeconds(5)));
     *     clock.advanceBy(Duration.ofSeconds(5));
     * });
     * }</pre>
     *
     * @param clock a clock not used by another running loop; not {@code null}
     * @return this runner
     */
    public Runner testClock(TestClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock").asClock();
        return this;
    }

    /**
     * Schedule fuzzing: on each pass, the loop runs the entries that are ready together (task
     * steps and callbacks) in an order drawn from a random generator seeded with
     * {@code seed}, instead of first come, first served (Trio does this in its tests). Code
     * that is correct under every order passes under every seed; code that is not fails
     * under some, and the same seed replays the same order. For tests: asyncio's FIFO order
     * of {@code callSoon} callbacks no longer holds.
     *
     * <pre>{@code
     * for (long seed = 1; seed <= 20; seed++) {
     *     int total = Runner.create().virtualTime(true).shuffleSeed(seed).run(() -> countWithTwoWorkers());
     *     assertEquals(100, total, "seed " + seed);
     * }
     * }</pre>
     *
     * <p>Off by default, or on with the seed of {@code -Dsimmer.shuffle.seed}.
     *
     * @param seed the random generator's seed; the same seed gives the same order for the same program
     * @return this runner
     */
    public Runner shuffleSeed(long seed) {
        this.shuffleSeed = seed;
        return this;
    }

    /**
     * Turns schedule fuzzing off (even if {@code -Dsimmer.shuffle.seed} is set): first come, first served.
     *
     * @return this runner
     */
    public Runner noShuffle() {
        this.shuffleSeed = null;
        return this;
    }

    /**
     * Records every task's lifecycle (created, steps, waits, end) into {@code timeline}, for
     * a Chrome trace or a text Gantt chart; {@code null} turns recording off (the default).
     *
     * <pre>{@code
     * Timeline timeline = Timeline.create();
     * Runner.create().virtualTime(true).timeline(timeline).run(() -> kitchen());
     * System.out.println(timeline.toGantt());
     * }</pre>
     *
     * @param timeline where to record, or {@code null} to record nothing
     * @return this runner
     */
    public Runner timeline(Timeline timeline) {
        this.timeline = timeline;
        return this;
    }

    /**
     * JFR events for task steps: while a flight recording with the event
     * {@code dev.simmer.TaskStep} enabled runs, each step of a task is recorded with the
     * task's name, its duration and what the task waits on next (Java Mission Control shows
     * them under "Simmer"). Off by default; when off, nothing is created per step.
     *
     * <pre>{@code
     * // java -XX:StartFlightRecording=filename=app.jfr ...
     * Runner.create().jfrEvents(true).run(() -> app());
     * // jfr print --events dev.simmer.TaskStep app.jfr
     * }</pre>
     *
     * @param on {@code true} to emit {@code dev.simmer.TaskStep} events while a recording asks for them
     * @return this runner
     */
    public Runner jfrEvents(boolean on) {
        this.jfrEvents = on;
        return this;
    }

    /** A clock of the caller's (tests in this package). */
    Runner clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Whether the loop may run ahead (see EventLoop.runAhead); tests turn it off to compare schedules. */
    Runner runAhead(boolean on) {
        this.runAhead = on;
        return this;
    }

    /**
     * Like {@link Async#run(AsyncCallable)}, with this runner's options.
     *
     * @param <T> the type of {@code main}'s result
     * @param main the program's top coroutine; it runs as the loop's first task, named {@code main}
     * @return what {@code main} returned
     * @throws IllegalStateException if called from inside a running loop
     * @throws DeadlockException if {@code main} waits for something that can never happen
     * @throws Exception whatever {@code main} threw, unchanged
     */
    public <T> T run(AsyncCallable<T> main) throws Exception {
        Objects.requireNonNull(main, "main");
        EventLoop running = EventLoop.current();
        if (running != null) {
            throw new IllegalStateException("Async.run cannot be called from inside a running event loop: it would"
                    + " block the loop. Call the body directly (it runs in the current task), or start it"
                    + " concurrently with Async.createTask(...) and await the task.");
        }
        Clock c = clock != null ? clock : virtualTime ? Clock.virtual() : Clock.system();
        Engine engine = Engines.selected();
        boolean debugOn = debug;
        Duration threshold = slowStep;
        Consumer<ErrorReport> handler = exceptionHandler;
        Long seed = shuffleSeed;
        TaskObserver observer = TaskObserver.both(timeline == null ? null : timeline.recorder(),
                jfrEvents ? new JfrTaskSteps() : null);
        // debug mode times each step on its own, and a timeline or JFR would see steps overlap
        boolean mayRunAhead = runAhead && !debugOn && observer == null;
        return engine.hostLoop(() -> new EventLoop(engine, c, debugOn, threshold, handler, seed, observer, mayRunAhead)
                .runMain(main));
    }

    /**
     * Like {@link Async#run(AsyncRunnable)}, with this runner's options.
     *
     * @param main the program's top coroutine
     * @throws IllegalStateException if called from inside a running loop
     * @throws Exception whatever {@code main} threw, unchanged
     */
    public void run(AsyncRunnable main) throws Exception {
        Objects.requireNonNull(main, "main");
        run(main.asCallable());
    }
}
