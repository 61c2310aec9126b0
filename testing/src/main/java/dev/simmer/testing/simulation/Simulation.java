package dev.simmer.testing.simulation;

import dev.simmer.Async;
import dev.simmer.AsyncRunnable;
import dev.simmer.EventLoop;
import dev.simmer.Promise;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.Timeline;
import dev.simmer.internal.Network;
import dev.simmer.internal.Networks;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Deterministic simulation of a whole networked program: several named hosts, each running
 * an unmodified main body written against {@code dev.simmer.io} ({@code Streams},
 * {@code Server}, {@code DatagramEndpoint}), in one event loop on virtual time, over an
 * in-memory network with seeded latency, loss, duplication, partitions, resets and crashes.
 * Everything random comes from the one seed, so a seed replays the same run, and
 * {@link SimulationResult#digest()} proves it.
 *
 * <pre>{@code
 * SimulationResult r = Simulation.create(42)
 *         .host("server", () -> {
 *             Server s = Streams.startServer((in, out) -> {
 *                 out.write(in.readLineUtf8().toUpperCase() + "\n");
 *             }, "0.0.0.0", 7000);
 *             s.serveForever();
 *         })
 *         .host("client", () -> {
 *             try (Connection c = Streams.openConnection("server", 7000)) {   // host names resolve
 *                 c.writer().write("hello\n");
 *                 System.out.println(c.reader().readLineUtf8());               // HELLO
 *             }
 *             Simulation.control().stop();                                    // done: end the run
 *         })
 *         .latency(Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(20)))
 *         .duration(Duration.ofMinutes(1))
 *         .run();
 * }</pre>
 *
 * <p>Each host has an address ({@code 10.0.0.1} for the first, and on) and resolves the
 * others by name; {@code localhost} and {@code 127.0.0.1} are the host itself. A host's main
 * body and every task it creates belong to it (the tasks inherit it, as a context variable);
 * a crash cancels them all. The run ends after {@link #duration}, when a task calls
 * {@link SimulationControl#stop()}, or at the first failure: a host's main body (or the chaos
 * task) throwing, which {@link #run()} reports as a {@link SimulationFailure} naming the seed.
 * {@link #check(int, SeedTest)} runs a scenario under many seeds and stops at the first that
 * fails, with the one line that replays it.
 *
 * <p>TLS ({@code Streams.openTlsConnection}, {@code startTlsServer}, {@code startTls}) runs over
 * the simulated network, its handshake's crypto on the loop; build each run's
 * {@code SSLContext} with {@link SimulationControl#secureRandom()}.
 * What is not simulated is refused, not silently let through: {@code Async.toThread},
 * {@code Async.runInExecutor}, subprocesses, Unix-domain sockets, a {@code ShardedServer}
 * and addresses outside the simulation throw a clear error. Not seen by the simulation, so
 * keep them out of simulated code: the real clock ({@code System.currentTimeMillis},
 * {@code Instant.now}: use {@code Async.loop().time()}), threads the code starts itself,
 * {@code Math.random} and other unseeded generators, and iteration over identity-hashed sets.
 *
 * <p>Configure on one thread, then call {@link #run()} from a thread that runs no loop; each
 * call is a new, independent run.
 */
public final class Simulation {
    /**
     * The system property that makes {@link #check} run one seed only, to replay a failure:
     * {@code -Dsimmer.simulation.seed=1234}.
     */
    public static final String SEED_PROPERTY = "simmer.simulation.seed";

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");
    private static final int TRACE_TAIL = 30;
    private static final ThreadLocal<SimulationResult> LAST = new ThreadLocal<>();

    /** A chaos task's body: faults, through the control it is given. */
    @FunctionalInterface
    public interface Chaos {
        /**
         * Runs as a task of the simulation, belonging to no host; may suspend.
         *
         * @param control the run's faults and its chaos generator
         * @throws Exception a failure, which fails the run
         */
        void run(SimulationControl control) throws Exception;
    }

    /** One run of a scenario under a given seed, for {@link #check}: throws if the scenario fails. */
    @FunctionalInterface
    public interface SeedTest {
        /**
         * Builds and runs the scenario with {@code seed}, and checks its outcome.
         *
         * @param seed the seed to give {@link Simulation#create(long)}
         * @throws Exception a failure (an {@link AssertionError} counts too)
         */
        void run(long seed) throws Exception;
    }

    private record HostSpec(String name, AsyncRunnable main) {
    }

    private final long seed;
    private final List<HostSpec> hosts = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Map<List<String>, Latency> links = new HashMap<>();
    private Latency latency = Latency.uniform(Duration.ofMillis(1), Duration.ofMillis(5));
    private Latency loopback = Latency.fixed(Duration.ofNanos(10_000));
    private double loss;
    private double duplication;
    private int window = 64 * 1024;
    private Chaos chaos;
    private Duration duration = Duration.ofMinutes(1);
    private boolean recordTimeline = true;

    private Simulation(long seed) {
        this.seed = seed;
    }

    /**
     * A new simulation whose randomness all comes from {@code seed}: latencies, losses, the
     * order of tasks ready together, the chaos generator.
     *
     * @param seed the seed; the same seed and scenario give the same run
     * @return a simulation with no hosts yet, links of 1 to 5 ms, no loss, a duration of one minute
     */
    public static Simulation create(long seed) {
        return new Simulation(seed);
    }

    /**
     * The seed of this simulation.
     *
     * @return the seed given to {@link #create(long)}
     */
    public long seed() {
        return seed;
    }

    /**
     * Adds a host named {@code name} that runs {@code main} when the simulation starts (and
     * again at each restart after a crash).
     *
     * @param name the host's name, as other hosts resolve it: a letter, then letters, digits,
     *     {@code -} or {@code _}; unique (ignoring case); not {@code localhost}
     * @param main the host's program; may suspend; its failure fails the run
     * @return this simulation
     * @throws IllegalArgumentException if the name is malformed or taken
     */
    public Simulation host(String name, AsyncRunnable main) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(main, "main");
        String key = name.toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches() || key.equals("localhost") || key.equals("sim")) {
            throw new IllegalArgumentException("a host name is a letter followed by letters, digits, '-' or '_', and "
                    + "not 'localhost' or 'sim'; was '" + name + "'");
        }
        if (!names.add(key)) {
            throw new IllegalArgumentException("there is a host named '" + name + "' already");
        }
        hosts.add(new HostSpec(name, main));
        return this;
    }

    /**
     * The latency of every link that {@link #link} does not set; 1 to 5 ms, uniform, by default.
     *
     * @param latency the one-way latency distribution
     * @return this simulation
     */
    public Simulation latency(Latency latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        return this;
    }

    /**
     * The latency between hosts {@code a} and {@code b}, both ways.
     *
     * @param a one host's name
     * @param b the other's (the same as {@code a}: the host's loopback)
     * @param latency the one-way latency distribution
     * @return this simulation
     * @throws IllegalArgumentException if a host of that name has not been added
     */
    public Simulation link(String a, String b, Latency latency) {
        Objects.requireNonNull(latency, "latency");
        for (String n : List.of(a, b)) {
            if (!names.contains(n.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("link(" + a + ", " + b + "): no host named '" + n + "' (add hosts "
                        + "before their links)");
            }
        }
        links.put(List.of(a.toLowerCase(Locale.ROOT), b.toLowerCase(Locale.ROOT)), latency);
        links.put(List.of(b.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT)), latency);
        return this;
    }

    /**
     * The probability that a datagram is lost; 0 by default. TCP is never lossy: its segments
     * are delayed, not lost.
     *
     * @param probability from 0 to 1
     * @return this simulation
     * @throws IllegalArgumentException outside [0, 1]
     */
    public Simulation datagramLoss(double probability) {
        this.loss = probability(probability);
        return this;
    }

    /**
     * The probability that a datagram (not lost) arrives twice, each copy with a latency of its
     * own; 0 by default.
     *
     * @param probability from 0 to 1
     * @return this simulation
     * @throws IllegalArgumentException outside [0, 1]
     */
    public Simulation datagramDuplication(double probability) {
        this.duplication = probability(probability);
        return this;
    }

    /**
     * How many bytes a TCP connection carries one way before the reader reads them (the send
     * and receive buffers together); a writer past it waits in {@code StreamWriter.drain()}.
     * 64 KiB by default.
     *
     * @param bytes at least 1
     * @return this simulation
     * @throws IllegalArgumentException if less than 1
     */
    public Simulation window(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("window must be at least 1 byte, was " + bytes);
        }
        this.window = bytes;
        return this;
    }

    /**
     * A chaos task: runs from the start, in no host, with the run's {@link SimulationControl};
     * it injects faults. Its failure fails the run; its end ends nothing.
     *
     * @param chaos the task's body
     * @return this simulation
     */
    public Simulation chaos(Chaos chaos) {
        this.chaos = Objects.requireNonNull(chaos, "chaos");
        return this;
    }

    /**
     * How long the run lasts in simulated time (unless stopped earlier); one minute by default.
     *
     * @param duration positive
     * @return this simulation
     * @throws IllegalArgumentException if not positive
     */
    public Simulation duration(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
        this.duration = duration;
        return this;
    }

    /**
     * Whether the run records a {@link Timeline} of every task (on by default); the digest
     * covers it. Off, a run costs about a third as much (the timeline records every step of
     * every task) and its digest covers the network trace only; what happens is the same
     * either way, so sweep many seeds without it and replay a failing one with it.
     *
     * @param on {@code false} to record the network trace only
     * @return this simulation
     */
    public Simulation recordTimeline(boolean on) {
        this.recordTimeline = on;
        return this;
    }

    /**
     * Runs the simulation: every host's main body starts, the chaos task too, and the loop
     * runs on virtual time until the duration has passed, a task stops it, or something fails;
     * then every task left is cancelled.
     *
     * @return what the run recorded
     * @throws SimulationFailure if a host's main body or the chaos task threw (the message names
     *     the seed and ends with the trace's last lines)
     * @throws IllegalStateException if there is no host, or if called from inside a running loop
     */
    public SimulationResult run() {
        if (hosts.isEmpty()) {
            throw new IllegalStateException("a simulation needs at least one host: add them with host(name, main)");
        }
        // One generator per purpose, split off the seed in a fixed order.
        SplittableRandom root = new SplittableRandom(seed);
        long shuffleSeed = root.nextLong();
        SplittableRandom latencyRandom = root.split();
        SplittableRandom datagramRandom = root.split();
        SplittableRandom chaosRandom = root.split();
        SplittableRandom secureRandoms = root.split(); // last: the streams split before it stay as they were

        List<SimHost> simHosts = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            HostSpec spec = hosts.get(i);
            int n = i + 1;
            InetAddress address = SimNetwork.literal(10, 0, n >> 8, n & 0xff);
            simHosts.add(new SimHost(i, spec.name(), address, spec.main()));
        }
        Latency[][] matrix = new Latency[simHosts.size()][simHosts.size()];
        for (SimHost a : simHosts) {
            for (SimHost b : simHosts) {
                Latency set = links.get(List.of(a.name.toLowerCase(Locale.ROOT), b.name.toLowerCase(Locale.ROOT)));
                matrix[a.index][b.index] = set != null ? set : a == b ? loopback : latency;
            }
        }

        Trace trace = new Trace();
        Timeline timeline = recordTimeline ? Timeline.create() : null;
        Outcome outcome = new Outcome();
        SimNetwork[] world = new SimNetwork[1];
        long[] end = new long[1];
        Runner runner = Runner.create().virtualTime(true).debug(false).shuffleSeed(shuffleSeed).timeline(timeline)
                .exceptionHandler(report -> {
                    if (world[0] != null) {
                        world[0].report(report);
                    }
                });
        Throwable crashed = null;
        try {
            runner.run(() -> {
                EventLoop loop = Async.loop();
                outcome.stop = new Promise<>();
                SimNetwork net = new SimNetwork(loop, trace, simHosts, matrix, window, loss, duplication,
                        latencyRandom, datagramRandom, outcome);
                world[0] = net;
                outcome.net = net;
                Networks.install(loop, net);
                net.control = new SimulationControl(net, chaosRandom, secureRandoms, outcome);
                for (SimHost h : simHosts) {
                    net.start(h);
                }
                if (chaos != null) {
                    Task<Void> chaosTask = Async.createTask(() -> {
                        chaos.run(net.control);
                        return null;
                    }, "chaos");
                    chaosTask.onDone(t -> {
                        Throwable e = t.isCancelled() ? null : t.exception();
                        if (e != null) {
                            net.trace(null, "chaos failed: " + e);
                            outcome.failed("the chaos task", e);
                        }
                    });
                }
                Async.timeoutOr(duration, null, () -> outcome.stop.await());
                end[0] = loop.time();
                net.trace(null, "end");
                return null;
            });
        } catch (Exception | AssertionError e) {
            crashed = e; // the simulation's own main failed: a bug in Simmer or in a host's misuse of the loop
        }
        SimulationResult result = new SimulationResult(seed, trace.lines(), timeline, trace.digest(timeline),
                Duration.ofNanos(end[0]));
        LAST.set(result);
        if (outcome.failure != null || crashed != null) {
            Throwable cause = outcome.failure != null ? outcome.failure : crashed;
            String who = outcome.failure != null ? outcome.who + " failed at " + outcome.when + " s"
                    : "the simulation itself failed";
            throw new SimulationFailure("Simulation with seed " + seed + ": " + who + ": " + cause + "\n"
                    + "Replay: the same scenario with Simulation.create(" + seed + ") (under Simulation.check: -D"
                    + SEED_PROPERTY + "=" + seed + ")\nLast lines of the trace:\n" + result.traceTail(TRACE_TAIL),
                    cause, result);
        }
        return result;
    }

    // ------------------------------------------------------------------ from inside a run

    /**
     * The name of the host the calling task belongs to.
     *
     * <pre>{@code
     * .host("db1", () -> log(Simulation.hostName() + " starting"))
     * }</pre>
     *
     * @return the host's name
     * @throws IllegalStateException if the task belongs to no host (the chaos task, a callback) or runs no simulation
     */
    public static String hostName() {
        SimNetwork.HostRun r = SimNetwork.HOST.get(null);
        if (r == null) {
            throw new IllegalStateException("Simulation.hostName(): the calling task belongs to no simulated host");
        }
        return r.host().name;
    }

    /**
     * The control of the simulation the calling task runs in: faults, notes, {@code stop()}.
     *
     * @return the running simulation's control
     * @throws IllegalStateException outside a running simulation
     */
    public static SimulationControl control() {
        Network n = Networks.of(Async.loop());
        if (!(n instanceof SimNetwork net)) {
            throw new IllegalStateException("Simulation.control() is for tasks of a running Simulation; this loop "
                    + "runs on the real network");
        }
        return net.control;
    }

    // ------------------------------------------------------------------ many seeds

    /**
     * {@link #check(long, int, SeedTest)} from seed 1.
     *
     * <pre>{@code
     * @Test
     * void survivesPartitions() {
     *     Simulation.check(1_000, seed -> {
     *         SimulationResult r = kvScenario(seed).run();          // throws SimulationFailure if a host fails
     *         assertThat(lostWrites(r)).isEmpty();
     *     });
     * }
     * }</pre>
     *
     * @param seeds how many seeds: 1 to {@code seeds}
     * @param test builds, runs and checks the scenario for one seed
     * @throws AssertionError at the first seed that fails
     */
    public static void check(int seeds, SeedTest test) {
        check(1, seeds, test);
    }

    /**
     * Runs {@code test} for the seeds {@code firstSeed}, {@code firstSeed + 1}, ... and stops at
     * the first that fails with an {@link AssertionError} naming the seed, the one line that
     * replays it alone ({@code -Dsimmer.simulation.seed=N}, with the test to run), and the end
     * of that run's trace; the cause is what the test threw. With {@link #SEED_PROPERTY} set,
     * runs that seed only.
     *
     * @param firstSeed the first seed
     * @param seeds how many seeds, at least 1
     * @param test builds, runs and checks the scenario for one seed
     * @throws AssertionError at the first seed that fails
     * @throws IllegalArgumentException if {@code seeds} is less than 1
     */
    public static void check(long firstSeed, int seeds, SeedTest test) {
        Objects.requireNonNull(test, "test");
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be at least 1, was " + seeds);
        }
        String forced = System.getProperty(SEED_PROPERTY);
        long from = forced != null && !forced.isBlank() ? Long.parseLong(forced.trim()) : firstSeed;
        int count = forced != null && !forced.isBlank() ? 1 : seeds;
        String caller = caller();
        for (int i = 0; i < count; i++) {
            long seed = from + i;
            LAST.remove();
            try {
                test.run(seed);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                SimulationResult last = LAST.get();
                String tail = last == null || last.seed() != seed ? ""
                        : "\nLast lines of its trace:\n" + last.traceTail(TRACE_TAIL);
                throw new AssertionError("Simulation failed with seed " + seed + (count > 1 ? " (" + i
                        + " seeds passed before it)" : "") + ": " + firstLine(e) + "\nReplay this seed alone: -D"
                        + SEED_PROPERTY + "=" + seed + (caller == null
                        ? "   (a JVM option: java -D" + SEED_PROPERTY + "=" + seed + " ... before the main class)"
                        : "   e.g. ./mvnw test -Dtest=" + caller + " -D" + SEED_PROPERTY + "=" + seed) + tail, e);
            } finally {
                LAST.remove();
            }
        }
    }

    private static String firstLine(Throwable e) {
        String s = e instanceof SimulationFailure f ? f.getMessage() : e.toString();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** {@code ClassName#method} of whoever called check, for the replay line. */
    private static String caller() {
        boolean underJUnit = StackWalker.getInstance().walk(frames -> frames
                .anyMatch(f -> f.getClassName().startsWith("org.junit.")));
        if (!underJUnit) {
            return null; // a main or another runner: no Maven test command to suggest
        }
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Simulation.class.getName()))
                .findFirst()
                .map(f -> {
                    String cls = f.getClassName();
                    String method = f.getMethodName();
                    if (method.startsWith("lambda$") && method.lastIndexOf('$') > 7) {
                        method = method.substring(7, method.lastIndexOf('$')); // the method the lambda is in
                    }
                    return cls.substring(cls.lastIndexOf('.') + 1) + "#" + method;
                })
                .orElse(null));
    }

    private static double probability(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("a probability is between 0 and 1, was " + p);
        }
        return p;
    }

    /** How a run is ending: stopped early, or failed (the first failure wins). Loop thread only. */
    static final class Outcome {
        Promise<Void> stop;
        SimNetwork net;
        Throwable failure;
        String who;
        String when;

        void failed(String who, Throwable e) {
            if (failure != null) {
                return;
            }
            failure = e;
            this.who = who;
            StringBuilder b = new StringBuilder();
            Trace.appendTime(b, net.loop.time());
            this.when = b.toString();
            stop.complete(null);
        }
    }
}
