package dev.simmer.testing.simulation;

import dev.simmer.CancelledException;
import dev.simmer.Promise;
import dev.simmer.TimerHandle;
import dev.simmer.internal.Network;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One end of a simulated TCP connection: what it received and not yet read, and what it sent
 * and the peer has not yet received. Loop thread only.
 */
final class TcpEnd implements Network.Stream {
    /*
     * Overview. Each end sends segments (SYN, SYN_ACK, DATA, FIN, RST) into its outbox, in
     * order; each gets an arrival time drawn from the link's latency but never before the
     * segment ahead of it (TCP delivers in order), and a timer at that time pumps the outbox:
     * due segments at its head go to the peer, unless the link is cut, in which case they wait
     * for the heal and are given new arrival times then (TCP's retransmission, in effect).
     *
     * Flow control: `unacked` counts the bytes this end sent that the peer's application has
     * not read yet. A write takes at most `window - unacked`; a read at the peer lowers it and
     * wakes the writer (the window update itself costs no simulated time). So a writer facing a
     * slow reader fills the window, then its StreamWriter buffers and drain() waits.
     *
     * The handshake: connect() sends SYN and waits; at the target, a listener makes the other
     * end and answers SYN_ACK, or, with nothing listening, RST ("connection refused"). Closing
     * sends FIN, or RST if unread data is left (as Linux does); data arriving at a closed end is
     * answered with RST, so a peer that writes on learns of the close as a reset.
     *
     * TLS: data sent while TLS says its handshake is under way is marked, and its size is
     * traced but kept out of the digest (an ECDSA signature's length varies between runs).
     */
    enum Kind { SYN, SYN_ACK, DATA, FIN, RST }

    static final class Segment {
        final Kind kind;
        final byte[] data;
        final boolean tlsHandshake; // DATA sent during a TLS handshake: its size may vary between runs
        long arrival;

        Segment(Kind kind, byte[] data) {
            this(kind, data, false);
        }

        Segment(Kind kind, byte[] data, boolean tlsHandshake) {
            this.kind = kind;
            this.data = data;
            this.tlsHandshake = tlsHandshake;
        }
    }

    /** How long a connect waits for an answer before it gives up (Linux's default SYN retries: 127 s). */
    static final Duration SYN_TIMEOUT = Duration.ofSeconds(127);

    final SimNetwork net;
    final SimHost host;
    final int incarnation;
    final InetSocketAddress local;
    final InetSocketAddress remote;
    final boolean ownsPort; // a connecting end has its own port; an accepted one shares the listener's
    final String label; // "client:32768>server:80", for the trace
    SimHost peerHost;
    TcpEnd peer; // null until the SYN has arrived

    // receiving side
    private final ArrayDeque<byte[]> received = new ArrayDeque<>();
    private int headPos;
    private long unread;
    private boolean eof;
    private IOException failure;
    private final Wakeup readable = new Wakeup();
    private Promise<Void> established;
    private boolean tlsSeen; // a TLS handshake segment arrived: unread counts may hold its varying size

    // sending side
    private final ArrayDeque<Segment> outbox = new ArrayDeque<>();
    private long lastArrival;
    private long unacked;
    private boolean connected;
    private boolean finSent;
    private boolean rstSent;
    private boolean closed;
    private boolean tlsHandshaking;
    private Runnable watcher;
    private boolean watcherScheduled;
    private final Wakeup writable = new Wakeup();
    private final Runnable pump = this::pump;
    private final Runnable runWatcher = this::runWatcher;

    TcpEnd(SimNetwork net, SimHost host, int incarnation, InetSocketAddress local, InetSocketAddress remote,
           SimHost peerHost, boolean ownsPort) {
        this.net = net;
        this.host = host;
        this.incarnation = incarnation;
        this.local = local;
        this.remote = remote;
        this.peerHost = peerHost;
        this.ownsPort = ownsPort;
        this.label = host.name + ":" + local.getPort() + ">" + peerHost.name + ":" + remote.getPort();
    }

    // ------------------------------------------------------------------ connecting

    /** Sends SYN and waits for the answer; the connection, or the failure. */
    TcpEnd connect() throws Exception {
        established = new Promise<>();
        net.trace(host, "connect " + label);
        send(new Segment(Kind.SYN, null));
        TimerHandle giveUp = net.loop.callLater(SYN_TIMEOUT, () -> {
            if (!connected && failure == null) {
                failure = new ConnectException("Connection timed out: " + peerHost.name + " at " + remote
                        + " did not answer within " + SYN_TIMEOUT.toSeconds() + " s");
                net.trace(host, "connect " + label + " timed out");
                abandon();
            }
        });
        try {
            established.await();
        } catch (CancelledException e) {
            net.trace(host, "connect " + label + " cancelled");
            abandon();
            throw e;
        } finally {
            giveUp.cancel();
        }
        if (failure != null) {
            abandon();
            throw failure;
        }
        return this;
    }

    /** A connect that will not complete: nothing more is sent but a reset if the other end exists. */
    private void abandon() {
        if (closed) {
            return;
        }
        closed = true;
        outbox.clear();
        if (peer != null && failure == null) {
            sendRst();
        }
        release();
        Promise<Void> p = established;
        if (p != null && !p.isDone()) {
            p.complete(null);
        }
    }

    /** This end, made at the listener's host when the SYN arrived: it answers. */
    void accepted() {
        connected = true;
        host.connections.add(this);
        send(new Segment(Kind.SYN_ACK, null));
    }

    /** This end, made at a host where nothing listens: it answers with a reset and is gone. */
    void refuse() {
        closed = true;
        sendRst();
    }

    // ------------------------------------------------------------------ Network.Stream

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (unread > 0) {
            int n = 0;
            while (dst.hasRemaining() && !received.isEmpty()) {
                byte[] head = received.peek();
                int k = Math.min(dst.remaining(), head.length - headPos);
                dst.put(head, headPos, k);
                headPos += k;
                n += k;
                if (headPos == head.length) {
                    received.poll();
                    headPos = 0;
                }
            }
            unread -= n;
            if (peer != null) {
                peer.windowOpened(n);
            }
            return n;
        }
        if (failure != null) {
            throw failure;
        }
        return eof ? -1 : 0;
    }

    @Override
    public void awaitReadable() throws Exception {
        if (closed || unread > 0 || failure != null || eof) {
            return;
        }
        readable.await();
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (failure != null) {
            throw failure;
        }
        if (finSent) {
            throw new SocketException("Broken pipe: the output of " + label + " was shut down");
        }
        long room = net.window - unacked;
        long total = 0;
        for (ByteBuffer b : srcs) {
            total += b.remaining();
        }
        int n = (int) Math.min(room, total);
        if (n <= 0) {
            return 0;
        }
        byte[] data = new byte[n];
        int at = 0;
        for (ByteBuffer b : srcs) {
            int k = Math.min(b.remaining(), n - at);
            b.get(data, at, k);
            at += k;
            if (at == n) {
                break;
            }
        }
        unacked += n;
        send(new Segment(Kind.DATA, data, tlsHandshaking));
        return n;
    }

    @Override
    public void awaitWritable() throws Exception {
        if (closed || failure != null || unacked < net.window) {
            return;
        }
        writable.await();
    }

    @Override
    public void watch(Runnable whenWritable) {
        watcher = whenWritable;
        if (unacked < net.window || failure != null) {
            scheduleWatcher();
        }
    }

    @Override
    public void unwatch() {
        watcher = null;
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (failure != null) {
            throw failure;
        }
        if (!finSent) {
            finSent = true;
            net.trace(host, "shutdown output " + label);
            send(new Segment(Kind.FIN, null));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watcher = null;
        if (failure == null && connected) {
            if (unread > 0) {
                net.trace(host, "close " + label + " with " + unread + " bytes unread: reset",
                        tlsSeen ? "close " + label + " with bytes unread: reset" : null);
                sendRst(); // as Linux: unread data makes a close abortive
            } else {
                net.trace(host, "close " + label);
                if (!finSent) {
                    finSent = true;
                    send(new Segment(Kind.FIN, null));
                }
            }
        }
        received.clear();
        unread = 0;
        release();
        wakeAll();
    }

    @Override
    public boolean closedLocally() {
        return closed;
    }

    @Override
    public void tlsHandshaking(boolean inProgress) {
        tlsHandshaking = inProgress;
    }

    @Override
    public InetSocketAddress local() {
        return local;
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public String toString() {
        return label;
    }

    // ------------------------------------------------------------------ faults

    /**
     * The host crashed, or the listener closed before accepting it: the end is gone, the peer
     * gets a reset (as the kernel of a killed process sends).
     */
    void destroy(String why) {
        if (closed) {
            return;
        }
        boolean live = failure == null && peer != null;
        closed = true;
        watcher = null;
        failure = new SocketException("Connection reset: " + why);
        outbox.clear();
        if (live) {
            sendRst();
        }
        received.clear();
        unread = 0;
        release();
        wakeAll();
    }

    /** A reset from outside (SimulationControl.resetConnections): this end fails at once. */
    void resetHere() {
        if (closed || failure != null) {
            return;
        }
        fail(new SocketException("Connection reset"));
        net.trace(host, "reset " + label);
    }

    boolean live() {
        return !closed && failure == null;
    }

    boolean hasBacklog() {
        return !outbox.isEmpty();
    }

    // ------------------------------------------------------------------ the wire

    private void send(Segment s) {
        long now = net.loop.time();
        long at = Math.max(now + net.latency(host, peerHost), lastArrival);
        s.arrival = at;
        lastArrival = at;
        if (outbox.isEmpty()) {
            net.backlogged.add(this);
        }
        outbox.add(s);
        net.loop.callAt(at, pump);
    }

    private void sendRst() {
        rstSent = true;
        outbox.clear();
        send(new Segment(Kind.RST, null));
    }

    /** Delivers the due segments at the head of the outbox, unless the link is cut. */
    private void pump() {
        long now = net.loop.time();
        while (!outbox.isEmpty()) {
            Segment s = outbox.peek();
            if (s.arrival > now || net.isCut(host, peerHost)) {
                return; // a later timer, or the heal, delivers it
            }
            outbox.poll();
            if (outbox.isEmpty()) {
                net.backlogged.remove(this);
            }
            arrive(s);
        }
    }

    /** The link healed: what waits goes out again, with fresh arrival times, still in order. */
    void retime() {
        long now = net.loop.time();
        long prev = now;
        for (Segment s : outbox) {
            s.arrival = Math.max(now + net.latency(host, peerHost), prev);
            prev = s.arrival;
            net.loop.callAt(s.arrival, pump);
        }
        lastArrival = prev;
    }

    private void arrive(Segment s) {
        switch (s.kind) {
            case SYN -> net.synArrived(this);
            case SYN_ACK -> peer.onSynAck();
            case DATA -> peer.onData(s.data, s.tlsHandshake);
            case FIN -> peer.onFin();
            case RST -> {
                if (peer != null) {
                    peer.onRst();
                }
            }
        }
    }

    private void onSynAck() {
        if (closed) {
            if (!rstSent) {
                sendRst(); // the connect was abandoned meanwhile
            }
            return;
        }
        connected = true;
        host.connections.add(this);
        net.trace(host, "connected " + label);
        established.complete(null);
    }

    private void onData(byte[] data, boolean tlsHandshake) {
        if (closed) {
            if (failure == null && !rstSent) {
                net.trace(host, "data for closed " + label + ": reset");
                sendRst();
            }
            return;
        }
        if (failure != null) {
            return;
        }
        if (tlsHandshake) {
            tlsSeen = true;
            net.trace(host, "received " + data.length + " bytes of TLS handshake " + label,
                    "received TLS handshake " + label); // the size stays out of the digest
        } else {
            net.trace(host, "received " + data.length + " bytes " + label);
        }
        received.add(data);
        unread += data.length;
        readable.signal();
    }

    private void onFin() {
        if (closed || failure != null) {
            return;
        }
        net.trace(host, "end of stream " + label);
        eof = true;
        readable.signal();
    }

    private void onRst() {
        if (failure != null || (closed && connected)) {
            return;
        }
        if (!connected) {
            if (closed) {
                return;
            }
            failure = new ConnectException("Connection refused: nothing listens on " + remote + " (host "
                    + peerHost.name + ")");
            net.trace(host, "connection refused " + label);
            established.complete(null);
            return;
        }
        net.trace(host, "reset by peer " + label);
        fail(new SocketException("Connection reset by peer"));
    }

    private void fail(IOException e) {
        failure = e;
        received.clear();
        unread = 0;
        outbox.clear();
        net.backlogged.remove(this);
        wakeAll();
    }

    private void windowOpened(int n) {
        unacked -= n;
        if (watcher != null) {
            scheduleWatcher();
        }
        writable.signal();
    }

    private void scheduleWatcher() {
        if (!watcherScheduled) {
            watcherScheduled = true;
            net.loop.callSoon(runWatcher);
        }
    }

    private void runWatcher() {
        watcherScheduled = false;
        Runnable w = watcher;
        if (w != null) {
            w.run();
        }
    }

    private void wakeAll() {
        readable.signal();
        writable.signal();
        if (watcher != null) {
            scheduleWatcher();
        }
    }

    private void release() {
        host.connections.remove(this);
        if (ownsPort) {
            host.tcpPortsInUse.remove(local.getPort());
        }
        if (outbox.isEmpty()) {
            net.backlogged.remove(this);
        }
    }
}
