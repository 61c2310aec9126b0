package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.EngineKind;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs the examples: with no argument the kitchen demo, with a name that example,
 * with {@code --list} the list of them.
 *
 * <pre>
 * ./mvnw -q -pl examples -am compile exec:java                              # the kitchen demo
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.args="say-hello"      # one example
 * ./mvnw -q -pl examples -am compile exec:java -Dexec.args="--list"         # all of them
 * </pre>
 *
 * <p>No JVM flag is needed: Simmer then runs task bodies on its portable engine (virtual
 * threads). {@code exec:java} runs the program inside Maven's own JVM, so the flag that
 * enables the fast path (continuations) goes in {@code MAVEN_OPTS}:
 * {@code MAVEN_OPTS="--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"}. Both engines
 * print the same.
 */
public final class Examples {
    private Examples() {
    }

    /**
     * One example of the launcher.
     *
     * @param name        what to pass to the launcher, kebab-case
     * @param seed        which seed program it mirrors ("000 make_coffee"), or which chapter of
     *                    the guide it serves ("guide: timeouts")
     * @param description one line on what it shows
     * @param factory     makes the example, printing to the stream given
     */
    public record Entry(String name, String seed, String description, Function<PrintStream, Example> factory) {
    }

    /** Every example: the seeds' programs in their order, then those of the guide (docs/guide.md). */
    public static final List<Entry> ALL = List.of(
            new Entry("kitchen", "000 The Big Picture", "one cook, three dishes: 23 minutes one by one, 10 together", Kitchen::new),
            new Entry("make-coffee", "000 make_coffee", "a coroutine pauses at an await", MakeCoffee::new),
            new Entry("say-hello", "000 say_hello", "Hello!, a one-second sleep, World!", SayHello::new),
            new Entry("call-without-await", "000 fetch_data", "a coroutine that is not called does not run", CallWithoutAwait::new),
            new Entry("lets-go-async", "000 main", "Async.run is asyncio.run", LetsGoAsync::new),
            new Entry("create-task", "000 download + create_task", "start a task, do other work, await it", CreateTask::new),
            new Entry("gather-downloads", "000 download + gather", "three 2 s downloads gathered: 2 s in all", GatherDownloads::new),
            new Entry("sequential-vs-gather", "000 The Magic Revealed", "three downloads: 6 s awaited one by one, 2 s gathered", SequentialVsGather::new),
            new Entry("async-with-database", "000 AsyncDatabase", "an async context manager as try-with-resources", AsyncWithDatabase::new),
            new Entry("async-context-manager", "000 open_connection", "an @asynccontextmanager as AsyncResource.of(setup, teardown)", AsyncContextManager::new),
            new Entry("timed-gather", "000 Putting It All Together", "a timer context manager around a gather of three fetches", TimedGather::new),
            new Entry("coroutine-object", "001 fetch_data", "a coroutine object is a body not yet run", CoroutineObject::new),
            new Entry("greet-after-delay", "001 say_hello(name, delay)", "three tasks greet in the order their delays end", GreetAfterDelay::new),
            new Entry("fetch-urls", "001 Fetching Multiple URLs", "three (simulated) HTTP requests, sequential then gathered", FetchUrls::new),
            new Entry("fetch-urls-http", "001 Fetching Multiple URLs", "the same over the network (needs it): java.net.http and Async.await", FetchUrlsHttp::new),
            new Entry("gather-results", "001 task_a + task_b", "gather returns results in order, in the time of the slowest", GatherResults::new),
            new Entry("cancel-background", "001 background_task", "cancel a background task after 10 s", CancelBackground::new),
            new Entry("async-with-resource", "001 AsyncResource", "async context manager whose open and close suspend: 1.50 s", AsyncWithResource::new),
            new Entry("sequential-vs-concurrent", "002 fetch_user", "three fetches: 3 s one by one, 1 s gathered", SequentialVsConcurrent::new),
            new Entry("greet-coroutine", "002 exercise greet", "calling a coroutine function returns a body, not its result", GreetCoroutine::new),
            new Entry("unawaited-result", "002 exercise add(3, 4)", "what an un-awaited call gives", UnawaitedResult::new),
            new Entry("countdown-iterator", "002 exercise Countdown", "an AsyncIterator whose next() suspends, then the same as an async generator", CountdownIterator::new),
            new Entry("context-manager-exercise", "002 exercise context manager", "Entering context, Doing work, Exiting context", ContextManagerExercise::new),
            new Entry("simulate-gather", "002 exercise simulate_gather", "gather simulated with plain functions, then for real", SimulateGather::new),
            new Entry("refactored-async", "002 exercise fetch_user/process_all", "synchronous code refactored into coroutines", RefactoredAsync::new),
            new Entry("my-coroutine", "003 my_coroutine", "a coroutine pauses and resumes", MyCoroutine::new),
            new Entry("main-function", "003 main", "the loop runs main, which pauses for 2 s", MainFunction::new),
            new Entry("await-coroutine", "003 fetch_data", "main awaits another coroutine", AwaitCoroutine::new),
            new Entry("two-tasks", "003 task1 + task2", "two tasks gathered: the shorter finishes first", TwoTasks::new),
            new Entry("event-loop", "000 The Event Loop", "callSoon, callLater and a Promise: what the loop does under the tasks", EventLoopCallbacks::new),
            new Entry("serve-as-ready", "guide: gather", "gatherSettled, asCompleted and wait(FIRST_COMPLETED)", ServeAsReady::new),
            new Entry("timeouts", "guide: timeouts", "Async.timeout, timeoutOrNull and waitFor: finally blocks run when cut short", Timeouts::new),
            new Entry("cancellation", "guide: cancellation", "cancel a task (its finally may wait), and shield one from a timeout", Cancellation::new),
            new Entry("teardowns", "guide: async resources", "an exit that sees how the block ended, and a shielded teardown", Teardowns::new),
            new Entry("task-groups", "guide: task groups", "a group serves every dish, or calls the rest off when one fails", TaskGroups::new),
            new Entry("burners", "guide: sync primitives", "a Semaphore of two burners and a Lock on the tasting spoon", Burners::new),
            new Entry("order-queue", "guide: sync primitives", "a Queue of orders to two cooks, who wait for an Event", OrderQueue::new),
            new Entry("kitchen-pass", "guide: sync primitives", "a Barrier serves a table together; a Condition waits for two plates", KitchenPass::new),
            new Entry("busy-kitchen", "guide: sync primitives", "three cooks take orders from a Queue and share two burners (a Semaphore)", BusyKitchen::new),
            new Entry("context-vars", "guide: context variables", "a ContextVar per task, copied into the tasks it creates", ContextVars::new),
            new Entry("request-logging", "guide: context propagation", "a service logs with SLF4J and Logback, a request id in the MDC of each of many concurrent tasks", RequestLogging::new),
            new Entry("to-thread", "guide: threads", "blocking and CPU work off the loop: toThread and await(CompletableFuture)", ToThread::new),
            new Entry("fetch-urls-local", "001 Fetching Multiple URLs", "the same against a local HTTP server it starts: Simmer streams and java.net.http", FetchUrlsLocal::new),
            new Entry("echo-server", "asyncio streams docs", "a TCP echo server and client on loopback", EchoServer::new),
            new Entry("chat-server", "issue 5", "a chat server for many clients, with an idle timeout and a line limit", ChatServer::new));

    /** The example run when no name is given. */
    public static final String DEFAULT = "kitchen";

    /** Runs the example named by {@code args[0]} (the kitchen demo without one), or lists them with {@code --list}. */
    public static void main(String[] args) throws Exception {
        int status = launch(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The example called {@code name}, if there is one. */
    public static Optional<Entry> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** {@link #main} with its streams; returns the exit status (0; 1 if the example failed; 2 for a bad argument). */
    static int launch(String[] args, PrintStream out, PrintStream err) throws Exception {
        String name = args.length == 0 ? DEFAULT : args[0];
        switch (name) {
            case "--list", "-l" -> {
                list(out);
                return 0;
            }
            case "--help", "-h" -> {
                usage(out);
                return 0;
            }
            default -> {
                Optional<Entry> entry = find(name);
                if (entry.isEmpty()) {
                    err.println("No example is called '" + name + "'.");
                    usage(err);
                    return 2;
                }
                int status = runExample(entry.get(), out, err);
                if (status == 0 && args.length == 0) {
                    out.println();
                    out.println("(More examples: -Dexec.args=--list)");
                }
                return status;
            }
        }
    }

    /**
     * Runs one example in {@code Async.run}. If it fails (fetch-urls-http without a network,
     * say), the failure and its causes go to {@code err} on one line, and the status is 1.
     */
    static int runExample(Entry entry, PrintStream out, PrintStream err) {
        Example example = entry.factory().apply(out);
        try {
            Async.run(example::run);
            return 0;
        } catch (Exception e) {
            StringBuilder what = new StringBuilder(e.toString());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                what.append(", caused by ").append(cause);
            }
            err.println("Example '" + entry.name() + "' failed: " + what);
            return 1;
        }
    }

    private static void usage(PrintStream out) {
        out.println("Usage: Examples [NAME | --list]");
        out.println("  no argument  runs the kitchen demo");
        out.println("  NAME         runs that example, e.g. say-hello");
        out.println("  --list       lists the examples");
        out.println("With Maven: ./mvnw -q -pl examples -am compile exec:java -Dexec.args=\"NAME\"");
    }

    /** "seed 000 make_coffee" for a seed's program, "guide: timeouts" for one of the guide's. */
    static String origin(Entry e) {
        return Character.isDigit(e.seed().charAt(0)) ? "seed " + e.seed() : e.seed();
    }

    private static void list(PrintStream out) {
        int width = ALL.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Entry e : ALL) {
            out.println(String.format(Locale.ROOT, "%-" + width + "s  %s (%s)", e.name(), e.description(), origin(e)));
        }
        out.println();
        out.println("Engine in this JVM: " + Async.engine() + (Async.engine() == EngineKind.THREADS
                ? " (portable). For the fast path: MAVEN_OPTS=\"--add-exports java.base/jdk.internal.vm=ALL-UNNAMED\""
                : " (fast path)."));
    }
}
