package dev.simmer.testing.simulation;

import dev.simmer.Timeline;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The network's side of a simulation's trace: one line per event (a connection opened, a
 * segment delivered, a datagram lost, a partition, a crash), stamped with virtual time. The
 * digest covers these lines and the loop's {@link Timeline}, if one was recorded. A line may
 * have a digested form of its own, without what cannot replay (the size of a TLS handshake
 * segment). Loop thread only.
 */
final class Trace {
    private final List<String> lines = new ArrayList<>();
    private final Map<Integer, String> digested = new HashMap<>(); // line index: its digested form, if another
    private final StringBuilder line = new StringBuilder(96);

    /**
     * Appends {@code what}, done by {@code actor} (a host's name, or "sim"), at {@code nanos};
     * the digest covers {@code digestedWhat} instead, unless it is null.
     */
    void add(long nanos, String actor, String what, String digestedWhat) {
        StringBuilder b = line;
        b.setLength(0);
        appendTime(b, nanos);
        b.append(' ').append(actor).append(": ");
        int head = b.length();
        b.append(what);
        lines.add(b.toString());
        if (digestedWhat != null) {
            b.setLength(head);
            digested.put(lines.size() - 1, b.append(digestedWhat).toString());
        }
    }

    List<String> lines() {
        return lines;
    }

    /** {@code 12.000345} (seconds, microsecond precision). */
    static void appendTime(StringBuilder b, long nanos) {
        long micros = nanos / 1_000;
        long seconds = micros / 1_000_000;
        long frac = micros % 1_000_000;
        b.append(seconds).append('.');
        String f = Long.toString(frac);
        for (int i = f.length(); i < 6; i++) {
            b.append('0');
        }
        b.append(f);
    }

    /** SHA-256 over the lines and the timeline's events, as hex. */
    String digest(Timeline timeline) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = digested.getOrDefault(i, lines.get(i));
            md.update(l.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        if (timeline != null) {
            StringBuilder b = new StringBuilder(96);
            for (Timeline.Event e : timeline.events()) {
                b.setLength(0);
                b.append(e.timeNanos()).append(' ').append(e.taskIndex()).append(' ').append(e.task()).append(' ')
                        .append(e.kind()).append(' ').append(e.detail()).append('\n');
                md.update(b.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
