package dev.simmer.testing.simulation;

import dev.simmer.Async;
import dev.simmer.internal.Rethrow;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Faults on demand, for a {@link Simulation}'s chaos task (or any task of the run, through
 * {@link Simulation#control()}): partitions and heals, crashes and restarts, connection resets,
 * and the run's own random generator to decide when and where.
 *
 * <pre>{@code
 * Simulation.create(seed)
 *         .host("a", ...).host("b", ...).host("c", ...)
 *         .chaos(control -> {
 *             SplittableRandom random = control.random();   // from the seed: the same faults each replay
 *             while (true) {
 *                 Async.sleep(Duration.ofSeconds(random.nextInt(1, 10)));
 *                 control.partition(List.of("a"));           // a alone on one side, b and c on the other
 *                 Async.sleep(Duration.ofSeconds(5));
 *                 control.heal();
 *                 control.crash("b");
 *                 Async.sleep(Duration.ofSeconds(2));
 *                 control.restart("b");                      // b's main body runs again, from scratch
 *             }
 *         })
 *         .run();
 * }</pre>
 *
 * <p>Must be called from a task or callback of the simulation's loop; a call from elsewhere is
 * refused with an {@link IllegalStateException}. Unknown host names are an
 * {@link IllegalArgumentException}.
 */
public final class SimulationControl {
    private final SimNetwork net;
    private final SplittableRandom random;
    private final SplittableRandom secureRandoms;
    private final Simulation.Outcome outcome;

    SimulationControl(SimNetwork net, SplittableRandom random, SplittableRandom secureRandoms,
                      Simulation.Outcome outcome) {
        this.net = net;
        this.random = random;
        this.secureRandoms = secureRandoms;
        this.outcome = outcome;
    }

    /**
     * Cuts every link between {@code side} and the other hosts. TCP segments wait (they are
     * delivered after the heal, in order, as retransmission would), connects wait for an
     * answer (up to 127 s, then fail), datagrams are lost.
     *
     * @param side the hosts on one side; the rest are on the other
     */
    public void partition(Collection<String> side) {
        check("partition");
        List<SimHost> a = hosts(side);
        List<SimHost> b = new ArrayList<>(net.hosts());
        b.removeAll(a);
        net.partition(a, b);
    }

    /**
     * Cuts every link between a host of {@code a} and a host of {@code b}; links inside each
     * set, and to other hosts, stay.
     *
     * @param a hosts on one side
     * @param b hosts on the other
     */
    public void partition(Collection<String> a, Collection<String> b) {
        check("partition");
        net.partition(hosts(a), hosts(b));
    }

    /** Restores every link: what waited is delivered, after fresh latencies. */
    public void heal() {
        check("heal");
        net.heal(net.hosts(), net.hosts());
    }

    /**
     * Restores the links between a host of {@code a} and a host of {@code b}.
     *
     * @param a hosts on one side
     * @param b hosts on the other
     */
    public void heal(Collection<String> a, Collection<String> b) {
        check("heal");
        net.heal(hosts(a), hosts(b));
    }

    /**
     * Crashes {@code host}, as a killed process: every task of it is cancelled, its listeners
     * close, its connections are reset (the peers read "connection reset"), its datagram
     * sockets close. Until {@link #restart}, connections to it are refused and datagrams to it
     * lost. Whatever a task of it still tries on the network is refused.
     *
     * @param host the host's name
     * @throws IllegalStateException if it is down already
     */
    public void crash(String host) {
        check("crash");
        net.crash(net.host(host));
    }

    /**
     * Starts a crashed {@code host} again: its main body runs from the beginning, as a new
     * task (named {@code host#2} for its second life, and so on). In-memory state of the old
     * life is whatever the body keeps outside itself; what it rebuilds from scratch is lost.
     *
     * @param host the host's name
     * @throws IllegalStateException if it is up
     */
    public void restart(String host) {
        check("restart");
        try {
            net.restart(net.host(host));
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        }
    }

    /**
     * Whether {@code host} is up (not crashed, or restarted since).
     *
     * @param host the host's name
     * @return {@code true} if it runs
     */
    public boolean isUp(String host) {
        check("isUp");
        return net.host(host).up;
    }

    /**
     * Resets every open connection between {@code a} and {@code b}, at once on both sides (a
     * middlebox's reset): reads and writes on them fail with "connection reset".
     *
     * @param a one host's name
     * @param b the other's
     */
    public void resetConnections(String a, String b) {
        check("resetConnections");
        SimHost x = net.host(a);
        SimHost y = net.host(b);
        net.resetConnections(x, y);
        if (x != y) {
            net.resetConnections(y, x);
        }
    }

    /**
     * The chaos generator, derived from the run's seed: draw from it to choose faults, and
     * the same seed replays the same ones.
     *
     * @return the run's generator for faults (not thread-safe: use it from the loop)
     */
    public SplittableRandom random() {
        return random;
    }

    /**
     * A new {@link SecureRandom} whose output comes from the run's seed: build the simulated
     * program's {@link javax.net.ssl.SSLContext} with it, so that TLS's own randomness (client
     * randoms, key shares, session ids, ticket keys) replays with the seed; the program's own
     * secrets (tokens, nonces) may come from it too. Each call gives a generator of its own,
     * split off the seed in call order, which the seed determines. Predictable by design: for
     * simulations only, never for real secrets.
     *
     * <pre>{@code
     * .host("server", () -> {
     *     SSLContext tls = SSLContext.getInstance("TLS");
     *     tls.init(keyManagers, null, Simulation.control().secureRandom());  // a fresh context each run
     *     Streams.startTlsServer(handler, "0.0.0.0", 443, tls, StreamOptions.defaults()).serveForever();
     * })
     * }</pre>
     *
     * <p>The trace and its digest record byte counts, not bytes: see the simulation guide
     * (TLS) for what makes a TLS run replay the same digest.
     *
     * @return a generator seeded from the run's seed (thread-safe)
     */
    public SecureRandom secureRandom() {
        check("secureRandom");
        return new SeededSecureRandom(secureRandoms.nextLong());
    }

    /**
     * The hosts' names, in the order they were declared.
     *
     * @return the names
     */
    public List<String> hosts() {
        List<String> names = new ArrayList<>();
        for (SimHost h : net.hosts()) {
            names.add(h.name);
        }
        return names;
    }

    /**
     * The simulated time since the run began.
     *
     * @return the time elapsed
     */
    public Duration now() {
        return Duration.ofNanos(net.loop.time());
    }

    /**
     * Adds {@code text} to the trace: a marker for whoever reads it ("write k1=v3 acknowledged").
     *
     * @param text the line's text
     */
    public void note(String text) {
        check("note");
        net.trace(currentHostOrNull(), text);
    }

    /** Ends the run now, as a success: the result is what was recorded so far. */
    public void stop() {
        check("stop");
        net.trace(null, "stop");
        outcome.stop.complete(null);
    }

    private SimHost currentHostOrNull() {
        SimNetwork.HostRun r = SimNetwork.HOST.get(null);
        return r == null ? null : r.host();
    }

    private List<SimHost> hosts(Collection<String> names) {
        List<SimHost> list = new ArrayList<>();
        for (String n : names) {
            list.add(net.host(n));
        }
        return list;
    }

    private void check(String call) {
        if (Async.loop() != net.loop) {
            throw new IllegalStateException("SimulationControl." + call + " must be called from a task or callback "
                    + "of its simulation; it did nothing.");
        }
    }
}
