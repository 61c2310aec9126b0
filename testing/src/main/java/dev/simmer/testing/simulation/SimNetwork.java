package dev.simmer.testing.simulation;

import dev.simmer.Async;
import dev.simmer.ContextVar;
import dev.simmer.ErrorReport;
import dev.simmer.EventLoop;
import dev.simmer.Promise;
import dev.simmer.Task;
import dev.simmer.internal.Network;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated world of one run: its hosts, the links between them (latency, cuts), and
 * what is open; the {@link Network} the io layer uses. Loop thread only.
 */
final class SimNetwork implements Network {
    /*
     * Overview. Every host's tasks carry a HostRun in their context (HOST, inherited by the
     * tasks they create), which tells an open/bind/connect which host acts, and which life of
     * it: a crash ends the life (its tasks are cancelled, its sockets reset), a restart begins
     * the next, and a task of an ended life is refused. Randomness comes from generators split
     * off the run's seed in a fixed order, one per purpose, drawn in event order, which is
     * itself determined by the seed: so a seed replays the same run.
     */

    /** Which host, and which life of it, a task belongs to. */
    record HostRun(SimHost host, int incarnation) {
    }

    static final ContextVar<HostRun> HOST = new ContextVar<>("simmer.simulation.host", null);
    static final InetAddress LOOPBACK = literal(127, 0, 0, 1);
    private static final InetAddress ANY = literal(0, 0, 0, 0);

    final EventLoop loop;
    final Trace trace;
    final int window;
    private final List<SimHost> hosts;
    private final Map<String, SimHost> byName = new HashMap<>();
    private final Map<InetAddress, SimHost> byAddress = new HashMap<>();
    private final Latency[][] latency;
    private final boolean[][] cut;
    private final SplittableRandom latencyRandom;
    private final SplittableRandom datagramRandom;
    private final double loss;
    private final double duplication;
    private final Simulation.Outcome outcome;
    /** Ends whose outbox is not empty: a heal gives their segments new arrival times. */
    final Set<TcpEnd> backlogged = new LinkedHashSet<>();
    private int cuts;
    SimulationControl control;

    SimNetwork(EventLoop loop, Trace trace, List<SimHost> hosts, Latency[][] latency, int window,
               double loss, double duplication, SplittableRandom latencyRandom, SplittableRandom datagramRandom,
               Simulation.Outcome outcome) {
        this.loop = loop;
        this.trace = trace;
        this.hosts = hosts;
        this.latency = latency;
        this.window = window;
        this.loss = loss;
        this.duplication = duplication;
        this.latencyRandom = latencyRandom;
        this.datagramRandom = datagramRandom;
        this.outcome = outcome;
        this.cut = new boolean[hosts.size()][hosts.size()];
        for (SimHost h : hosts) {
            byName.put(h.name.toLowerCase(Locale.ROOT), h);
            byAddress.put(h.address, h);
        }
    }

    static InetAddress literal(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an address
        }
    }

    // ------------------------------------------------------------------ hosts

    List<SimHost> hosts() {
        return hosts;
    }

    SimHost host(String name) {
        SimHost h = byName.get(name.toLowerCase(Locale.ROOT));
        if (h == null) {
            throw new IllegalArgumentException("no host named '" + name + "' in this simulation; its hosts: " + names());
        }
        return h;
    }

    String names() {
        List<String> n = new ArrayList<>();
        for (SimHost h : hosts) {
            n.add(h.name);
        }
        return String.join(", ", n);
    }

    /** Starts a life of {@code h}: its main body in a task that carries the host. */
    void start(SimHost h) throws Exception {
        h.up = true;
        HostRun run = new HostRun(h, h.incarnation);
        String name = h.incarnation == 0 ? h.name : h.name + "#" + h.incarnation;
        trace(h, h.incarnation == 0 ? "start" : "restart");
        Task<Void> t = HOST.with(run, () -> Async.createTask(() -> {
            h.main.run();
            return null;
        }, name));
        t.onDone(done -> {
            if (done.isCancelled()) {
                return;
            }
            Throwable e = done.exception();
            if (run.incarnation() != h.incarnation) {
                return; // the host crashed: what its old life threw on the way out is no failure
            }
            if (e == null) {
                trace(h, "main finished");
            } else {
                trace(h, "main failed: " + e);
                outcome.failed("host '" + h.name + "'", e);
            }
        });
    }

    void crash(SimHost h) {
        if (!h.up) {
            throw new IllegalStateException("host '" + h.name + "' is down already (crashed and not restarted)");
        }
        trace(h, "crash");
        h.up = false;
        h.incarnation++; // its tasks' HostRun no longer matches: whatever they still try is refused
        for (Task<?> t : loop.tasks()) {
            HostRun r = t.context().get(HOST, null);
            if (r != null && r.host() == h) {
                t.cancel("host " + h.name + " crashed");
            }
        }
        for (TcpListener l : new ArrayList<>(h.listeners.values())) {
            l.close();
        }
        for (TcpEnd e : new ArrayList<>(h.connections)) {
            e.destroy("host " + h.name + " crashed");
        }
        for (UdpSocket s : new ArrayList<>(h.datagramSockets.values())) {
            s.close();
        }
    }

    void restart(SimHost h) throws Exception {
        if (h.up) {
            throw new IllegalStateException("host '" + h.name + "' is up; crash it before restarting it");
        }
        start(h);
    }

    /** The calling task's host and life; refuses a task of no host, or of a crashed life. */
    private HostRun current(String call) throws SocketException {
        HostRun r = HOST.get(null);
        if (r == null) {
            throw new IllegalStateException(call + " was called from a task that belongs to no simulated host (the "
                    + "chaos task, the simulation's own code, or a task created from a plain callback, which runs in "
                    + "the loop's root context); it did nothing. Open sockets from a host's main body or the tasks it "
                    + "creates.");
        }
        if (!r.host().up || r.incarnation() != r.host().incarnation) {
            throw new SocketException(call + ": host " + r.host().name + " crashed, and this task belongs to its "
                    + "ended life");
        }
        return r;
    }

    /** The host {@code address} names, seen from {@code from} (loopback and the wildcard: {@code from} itself). */
    private SimHost hostAt(InetAddress address, SimHost from) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
            return from;
        }
        return byAddress.get(address);
    }

    // ------------------------------------------------------------------ links

    boolean isCut(SimHost a, SimHost b) {
        return cuts > 0 && cut[a.index][b.index];
    }

    /** One draw of the link's latency, in nanoseconds. */
    long latency(SimHost from, SimHost to) {
        return latency[from.index][to.index].sample(latencyRandom);
    }

    void partition(List<SimHost> a, List<SimHost> b) {
        for (SimHost x : a) {
            for (SimHost y : b) {
                if (x != y && !cut[x.index][y.index]) {
                    cut[x.index][y.index] = true;
                    cut[y.index][x.index] = true;
                    cuts++;
                }
            }
        }
        trace(null, "partition " + nameList(a) + " | " + nameList(b));
    }

    void heal(List<SimHost> a, List<SimHost> b) {
        for (SimHost x : a) {
            for (SimHost y : b) {
                if (x != y && cut[x.index][y.index]) {
                    cut[x.index][y.index] = false;
                    cut[y.index][x.index] = false;
                    cuts--;
                }
            }
        }
        trace(null, "heal " + nameList(a) + " | " + nameList(b));
        for (TcpEnd e : new ArrayList<>(backlogged)) {
            if (!isCut(e.host, e.peerHost)) {
                e.retime();
            }
        }
    }

    void resetConnections(SimHost a, SimHost b) {
        trace(null, "reset connections " + a.name + " <-> " + b.name);
        for (TcpEnd e : new ArrayList<>(a.connections)) {
            if (e.peerHost == b && e.peer != null) {
                TcpEnd p = e.peer;
                e.resetHere();
                p.resetHere();
            }
        }
    }

    private static String nameList(List<SimHost> hs) {
        StringBuilder b = new StringBuilder("{");
        for (SimHost h : hs) {
            b.append(b.length() > 1 ? ", " : "").append(h.name);
        }
        return b.append('}').toString();
    }

    // ------------------------------------------------------------------ Network

    @Override
    public List<InetAddress> resolve(String host) throws IOException {
        if (host.equalsIgnoreCase("localhost")) {
            return List.of(LOOPBACK);
        }
        SimHost h = byName.get(host.toLowerCase(Locale.ROOT));
        if (h == null) {
            throw new UnknownHostException(host + ": no host of this simulation has that name (its hosts: "
                    + names() + "); a simulated host reaches only the others");
        }
        return List.of(h.address);
    }

    @Override
    public Network.Stream connect(InetSocketAddress remote) throws Exception {
        SimHost src = current("Streams.openConnection").host();
        SimHost dst = hostAt(remote.getAddress(), src);
        if (dst == null) {
            throw new ConnectException("No route to host " + remote + ": not an address of this simulation (its "
                    + "hosts: " + names() + "); a simulated host cannot reach the real network");
        }
        boolean loopback = remote.getAddress().isLoopbackAddress() || remote.getAddress().isAnyLocalAddress();
        int port = src.ephemeralPort(src.tcpPortsInUse);
        src.tcpPortsInUse.add(port);
        InetSocketAddress local = new InetSocketAddress(loopback ? LOOPBACK : src.address, port);
        InetSocketAddress target = new InetSocketAddress(loopback ? LOOPBACK : remote.getAddress(), remote.getPort());
        TcpEnd client = new TcpEnd(this, src, src.incarnation, local, target, dst, true);
        return client.connect();
    }

    /** A SYN reached its target host: a listener there makes the other end, or the host refuses. */
    void synArrived(TcpEnd client) {
        SimHost dst = client.peerHost;
        TcpListener l = dst.up ? dst.listeners.get(client.remote.getPort()) : null;
        if (l != null && !l.accepts(client.remote.getAddress())) {
            l = null;
        }
        TcpEnd server = new TcpEnd(this, dst, dst.incarnation, client.remote, client.local, client.host, false);
        server.peer = client;
        client.peer = server;
        if (l == null) {
            server.refuse();
            return;
        }
        server.accepted();
        l.enqueue(server);
    }

    @Override
    public Network.Listener listen(InetSocketAddress local, int backlog) throws IOException {
        SimHost h = current("Streams.startServer").host();
        checkOwn(h, local.getAddress());
        int port = local.getPort();
        if (port == 0) {
            port = h.ephemeralPort(h.tcpPortsInUse);
        } else if (h.tcpPortsInUse.contains(port)) {
            throw new BindException("Address already in use: port " + port + " of host " + h.name);
        }
        h.tcpPortsInUse.add(port);
        TcpListener l = new TcpListener(this, h, new InetSocketAddress(local.getAddress(), port));
        h.listeners.put(port, l);
        trace(h, "listen on " + port);
        return l;
    }

    @Override
    public Network.Datagrams openDatagrams(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        SimHost h = current("DatagramEndpoint").host();
        InetAddress bind = local != null ? local.getAddress() : ANY;
        checkOwn(h, bind);
        int port = local == null || local.getPort() == 0 ? h.ephemeralUdpPort() : local.getPort();
        if (h.datagramSockets.containsKey(port)) {
            throw new BindException("Address already in use: UDP port " + port + " of host " + h.name);
        }
        UdpSocket s = new UdpSocket(this, h, new InetSocketAddress(bind, port), remote);
        h.datagramSockets.put(port, s);
        return s;
    }

    private void checkOwn(SimHost h, InetAddress address) throws BindException {
        if (!address.isAnyLocalAddress() && !address.isLoopbackAddress() && !address.equals(h.address)) {
            throw new BindException("Cannot assign requested address: " + address.getHostAddress()
                    + " is not an address of host " + h.name + " (" + h.address.getHostAddress() + ")");
        }
    }

    @Override
    public RuntimeException refuse(String what) {
        return new UnsupportedOperationException(what + " cannot run inside a simulation: it would leave the "
                + "simulated world (another thread, the real network or a real process) and make the run depend on "
                + "more than its seed. Simulate that part of the program, or keep it out of the simulated hosts.");
    }

    // ------------------------------------------------------------------ datagrams

    void sendDatagram(UdpSocket from, InetSocketAddress target, byte[] payload) {
        SimHost src = from.host;
        SimHost dst = hostAt(target.getAddress(), src);
        String what = payload.length + " bytes " + src.name + ":" + from.local().getPort() + ">"
                + (dst == null ? target.toString() : dst.name) + ":" + target.getPort();
        if (dst == null) {
            trace(src, "datagram " + what + " dropped: no such host");
            return;
        }
        if (isCut(src, dst)) {
            trace(src, "datagram " + what + " dropped: partition");
            return;
        }
        int copies = 1;
        if (loss > 0 && datagramRandom.nextDouble() < loss) {
            copies = 0;
        } else if (duplication > 0 && datagramRandom.nextDouble() < duplication) {
            copies = 2;
        }
        trace(src, "datagram " + what + (copies == 0 ? " lost" : copies == 2 ? " duplicated" : " sent"));
        InetSocketAddress sender = from.sourceFor(target.getAddress());
        UdpSocket.Packet packet = new UdpSocket.Packet(payload, sender);
        for (int i = 0; i < copies; i++) {
            long at = loop.time() + latency(src, dst);
            loop.callAt(at, () -> deliverDatagram(src, dst, target, packet, what));
        }
    }

    private void deliverDatagram(SimHost src, SimHost dst, InetSocketAddress target, UdpSocket.Packet packet,
                                 String what) {
        String dropped = null;
        UdpSocket s = null;
        if (isCut(src, dst)) {
            dropped = "partition";
        } else if (!dst.up) {
            dropped = "host down";
        } else {
            s = dst.datagramSockets.get(target.getPort());
            if (s == null || !s.accepts(packet.sender(), target.getAddress())) {
                dropped = "no socket";
            } else if (!s.enqueue(packet)) {
                dropped = "receive queue full";
            }
        }
        trace(dst, "datagram " + what + (dropped == null ? " received" : " dropped: " + dropped));
    }

    // ------------------------------------------------------------------ trace and reports

    void trace(SimHost actor, String what) {
        trace.add(loop.time(), actor == null ? "sim" : actor.name, what, null);
    }

    /** A trace line whose digest covers {@code digested} instead of {@code what} (null: {@code what}). */
    void trace(SimHost actor, String what, String digested) {
        trace.add(loop.time(), actor == null ? "sim" : actor.name, what, digested);
    }

    /** A report to the loop's exception handler: into the trace (deterministic), not a failure by itself. */
    void report(ErrorReport r) {
        Throwable e = r.exception();
        trace(null, "error report: " + r.message() + (e == null ? "" : ": " + e));
    }

    /** A promise that completes when the run should end early. */
    Promise<Void> stopped() {
        return outcome.stop;
    }
}
