package dev.simmer.testing.simulation;

import dev.simmer.AsyncRunnable;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeMap;

/** One simulated host: its name, address, main body, and what it has open. Loop thread only. */
final class SimHost {
    /** The first port handed out for port 0 and outgoing connections, as Linux's ip_local_port_range. */
    static final int FIRST_EPHEMERAL = 32_768;
    static final int LAST_EPHEMERAL = 60_999;

    final int index;
    final String name;
    final InetAddress address;
    final AsyncRunnable main;
    /** Which life of the host runs: a crash ends one, a restart begins the next. */
    int incarnation;
    boolean up;
    private int nextPort = FIRST_EPHEMERAL;

    final TreeMap<Integer, TcpListener> listeners = new TreeMap<>();
    final TreeMap<Integer, UdpSocket> datagramSockets = new TreeMap<>();
    final Set<TcpEnd> connections = new LinkedHashSet<>(); // insertion order: a crash resets them in a fixed order
    final Set<Integer> tcpPortsInUse = new java.util.HashSet<>(); // listeners and connections' local ports

    SimHost(int index, String name, InetAddress address, AsyncRunnable main) {
        this.index = index;
        this.name = name;
        this.address = address;
        this.main = main;
    }

    /** A free ephemeral port of {@code inUse}, handed out in turn (wrapping around). */
    int ephemeralPort(Set<Integer> inUse) throws java.net.BindException {
        int span = LAST_EPHEMERAL - FIRST_EPHEMERAL + 1;
        for (int i = 0; i < span; i++) {
            int p = nextPort;
            nextPort = p == LAST_EPHEMERAL ? FIRST_EPHEMERAL : p + 1;
            if (!inUse.contains(p)) {
                return p;
            }
        }
        throw new java.net.BindException("Address already in use: every ephemeral port of host " + name + " is taken");
    }

    /** A free UDP port. */
    int ephemeralUdpPort() throws java.net.BindException {
        return ephemeralPort(datagramSockets.keySet());
    }

    @Override
    public String toString() {
        return name;
    }
}
