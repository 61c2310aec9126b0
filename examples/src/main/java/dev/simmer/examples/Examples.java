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
     * @param origin      which tutorial program it is the twin of, as the tutorial's short title and
     *                    the program's name ("Kitchen Story: make_coffee"), or which chapter of the
     *                    guide it serves ("guide: timeouts")
     * @param description one line on what it shows
     * @param factory     makes the example, printing to the stream given
     */
    public record Entry(String name, String origin, String description, Function<PrintStream, Example> factory) {
    }

    /**
     * The short titles of the asyncio tutorials the twins come from, in the order of {@link #ALL}
     * (the guide lists them with their full titles).
     */
    public static final List<String> TUTORIALS = List.of("Kitchen Story", "Async Intro", "From Scratch", "Key Concepts");

    /**
     * Every example: the kitchen demo, then the tutorials' programs in their order (one twin each),
     * then those of the guide (docs/guide.md).
     */
    public static final List<Entry> ALL = List.of(
            new Entry("kitchen", "Kitchen Story: The Big Picture", "one cook, three dishes: 23 minutes one by one, 10 together", Kitchen::new),
            new Entry("make-coffee", "Kitchen Story: make_coffee", "a coroutine pauses at an await", MakeCoffee::new),
            new Entry("say-hello", "Kitchen Story: say_hello", "Hello!, a one-second sleep, World!", SayHello::new),
            new Entry("call-without-await", "Kitchen Story: fetch_data", "calling a coroutine runs it: no coroutine object to forget", CallWithoutAwait::new),
            new Entry("lets-go-async", "Kitchen Story: main", "Async.run is asyncio.run", LetsGoAsync::new),
            new Entry("run-until-complete", "Kitchen Story: The Event Loop", "the old way, an explicit loop (LoopThread), then Async.run", RunUntilComplete::new),
            new Entry("create-task", "Kitchen Story: download + create_task", "start a task, do other work, await it", CreateTask::new),
            new Entry("gather-downloads", "Kitchen Story: download + gather", "three 2 s downloads gathered: 2 s in all", GatherDownloads::new),
            new Entry("sequential-vs-gather", "Kitchen Story: The Magic Revealed", "three downloads: 6 s awaited one by one, 2 s gathered", SequentialVsGather::new),
            new Entry("async-with-database", "Kitchen Story: AsyncDatabase", "an async context manager as try-with-resources", AsyncWithDatabase::new),
            new Entry("async-context-manager", "Kitchen Story: open_connection", "an @asynccontextmanager as AsyncResource.of(setup, teardown)", AsyncContextManager::new),
            new Entry("timed-gather", "Kitchen Story: Putting It All Together", "a timer context manager around a gather of three fetches", TimedGather::new),
            new Entry("coroutine-object", "Async Intro: fetch_data", "Python shows a coroutine object; in Java the call runs", CoroutineObject::new),
            new Entry("greet-after-delay", "Async Intro: say_hello(name, delay)", "three tasks greet in the order their delays end", GreetAfterDelay::new),
            new Entry("fetch-urls", "Async Intro: Fetching Multiple URLs", "three (simulated) HTTP requests, sequential then gathered", FetchUrls::new),
            new Entry("gather-results", "Async Intro: task_a + task_b", "gather returns results in order, in the time of the slowest", GatherResults::new),
            new Entry("cancel-background", "Async Intro: background_task", "cancel a background task after 10 s", CancelBackground::new),
            new Entry("async-with-resource", "Async Intro: AsyncResource", "async context manager whose open and close suspend: 1.50 s", AsyncWithResource::new),
            new Entry("sequential-vs-concurrent", "From Scratch: fetch_user", "three fetches: 3 s one by one, 1 s gathered", SequentialVsConcurrent::new),
            new Entry("greet-coroutine", "From Scratch: exercise 1, greet", "the type of what greet('World') gives: in Java, its result", GreetCoroutine::new),
            new Entry("unawaited-result", "From Scratch: exercise 2, add(3, 4)", "what an un-awaited call gives: in Java, the sum", UnawaitedResult::new),
            new Entry("countdown-iterator", "From Scratch: exercise 3, Countdown", "an AsyncIterator, then the same as an async generator", CountdownIterator::new),
            new Entry("context-manager-exercise", "From Scratch: exercise 4, context manager", "Entering context, Doing work, Exiting context", ContextManagerExercise::new),
            new Entry("simulate-gather", "From Scratch: exercise 5, simulate_gather", "gather simulated with plain functions", SimulateGather::new),
            new Entry("refactored-async", "From Scratch: exercise 6, fetch_user/process_all", "synchronous code refactored into coroutines", RefactoredAsync::new),
            new Entry("my-coroutine", "Key Concepts: my_coroutine", "a coroutine pauses and resumes", MyCoroutine::new),
            new Entry("main-function", "Key Concepts: main", "the loop runs main, which pauses for 2 s", MainFunction::new),
            new Entry("await-coroutine", "Key Concepts: fetch_data", "main awaits another coroutine", AwaitCoroutine::new),
            new Entry("two-tasks", "Key Concepts: task1 + task2", "two tasks gathered: the shorter finishes first", TwoTasks::new),
            new Entry("event-loop", "guide: the event loop", "callSoon, callLater and a Promise: what the loop does under the tasks", EventLoopCallbacks::new),
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
            new Entry("echo-server", "guide: I/O", "a TCP echo server and client on loopback, as in asyncio's streams docs", EchoServer::new),
            new Entry("chat-server", "guide: I/O", "a chat server for many clients, with an idle timeout and a line limit", ChatServer::new),
            new Entry("sharded-chat", "guide: several loops", "the chat server on two loops: a ShardedServer, members on different loops talk through Channels", ShardedChat::new),
            new Entry("fetch-urls-http", "guide: I/O", "fetch-urls over the network (needs it): java.net.http and Async.await", FetchUrlsHttp::new),
            new Entry("fetch-urls-local", "guide: I/O", "fetch-urls against a local HTTP server it starts: Simmer streams and java.net.http", FetchUrlsLocal::new),
            new Entry("request-logging", "guide: context propagation", "a service logs with SLF4J and Logback, a request id in the MDC of each of many concurrent tasks", RequestLogging::new),
            new Entry("to-thread", "guide: threads", "blocking and CPU work off the loop: toThread and await(CompletableFuture)", ToThread::new));

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
     * Runs one example's {@link Example#runProgram() program}. If it fails (fetch-urls-http without a network,
     * say), the failure and its causes go to {@code err} on one line, and the status is 1.
     */
    static int runExample(Entry entry, PrintStream out, PrintStream err) {
        Example example = entry.factory().apply(out);
        try {
            example.runProgram();
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

    private static void list(PrintStream out) {
        int width = ALL.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (Entry e : ALL) {
            out.println(String.format(Locale.ROOT, "%-" + width + "s  %s (%s)", e.name(), e.description(), e.origin()));
        }
        out.println();
        out.println(String.join(", ", TUTORIALS) + ": the asyncio tutorials these programs translate (docs/guide.md).");
        out.println("Engine in this JVM: " + Async.engine() + (Async.engine() == EngineKind.THREADS
                ? " (portable). For the fast path: MAVEN_OPTS=\"--add-exports java.base/jdk.internal.vm=ALL-UNNAMED\""
                : " (fast path)."));
    }
}
