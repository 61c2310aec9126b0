package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.CancelledException;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.sync.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * No descriptor leaks: many connections opened and closed, a quarter of them refused, a
 * quarter cancelled mid-read, a quarter reset by the client mid-message; afterwards the
 * process has as many open file descriptors as before. Scales with
 * {@code -Dsimmer.stress.scale=N} (10,000 connections per unit).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StreamsStressTest {
    private static final int SCALE = Integer.getInteger("simmer.stress.scale", 1);
    private static final String LOOPBACK = "127.0.0.1";

    /** How many file descriptors this process has open, or -1 where /proc/self/fd is missing (not Linux). */
    static int openDescriptors() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /**
     * How many of this process's open file descriptors are sockets, or -1 where /proc/self/fd
     * is missing (not Linux). What a server's close must give back, untouched by the other
     * descriptors a process opens as it goes: a loop's selector, opened on its first wait for
     * I/O and kept for the loop's life, or the JDK's virtual-thread pollers.
     */
    static int openSockets() {
        File[] fds = new File("/proc/self/fd").listFiles();
        if (fds == null) {
            return -1;
        }
        int sockets = 0;
        for (File fd : fds) {
            try {
                if (Files.readSymbolicLink(fd.toPath()).toString().startsWith("socket:")) {
                    sockets++;
                }
            } catch (IOException closedMeanwhile) {
                // closed between the listing and now: not open
            }
        }
        return sockets;
    }

    @Test
    void descriptorsReturnToTheirStartingCount() throws Exception {
        assumeTrue(openDescriptors() > 0, "needs /proc/self/fd (Linux)");
        int total = 10_000 * SCALE;
        // A port bound but not listening refuses connections; held for the whole test, so that the
        // server (bound to port 0 below) cannot be given the same port, as a port closed first could.
        SocketChannel holder = SocketChannel.open();
        holder.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
        int refusedPort = ((InetSocketAddress) holder.getLocalAddress()).getPort();
        try (holder) {
            refusedAndServed(total, refusedPort);
        }
    }

    private void refusedAndServed(int total, int refusedPort) throws Exception {
        AtomicInteger served = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger reset = new AtomicInteger();
        System.gc();
        int before = openDescriptors();
        int[] whileRunning = new int[1];
        Runner.create().virtualTime(true).exceptionHandler(report -> { }).run(() -> {
            ConnectionHandler handler = (reader, writer) -> {
                String line = reader.readLineUtf8();
                if (line != null && line.startsWith("echo")) {
                    writer.write(line + "\n");
                } else {
                    reader.readExactly(1 << 20); // waits for more than ever comes
                }
            };
            try (Server server = Streams.startServer(handler, LOOPBACK, 0)) {
                for (int batch = 0; batch < total; batch += 100) {
                    List<AsyncCallable<Void>> bodies = new ArrayList<>();
                    for (int i = batch; i < Math.min(total, batch + 100); i++) {
                        int kind = i % 4;
                        bodies.add(() -> {
                            switch (kind) {
                                case 0 -> {
                                    try (Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                                        c.writer().write("echo\n");
                                        assertThat(c.reader().readLineUtf8()).isEqualTo("echo");
                                        served.incrementAndGet();
                                    }
                                }
                                case 1 -> {
                                    try {
                                        Streams.openConnection(LOOPBACK, refusedPort).close();
                                    } catch (ConnectException e) {
                                        refused.incrementAndGet();
                                    }
                                }
                                case 2 -> {
                                    if (cancelledMidRead(server.port())) {
                                        cancelled.incrementAndGet();
                                    }
                                }
                                default -> {
                                    Connection c = Streams.openConnection(LOOPBACK, server.port());
                                    c.writer().write("half a mess");
                                    c.writer().abort();
                                    reset.incrementAndGet();
                                }
                            }
                            return null;
                        });
                    }
                    Async.gather(bodies);
                }
            }
            Async.yieldNow(); // one pass: the loop lets go of the last closed channels
            whileRunning[0] = openDescriptors();
        });
        int after = openDescriptors();
        System.out.printf("StreamsStressTest: %d connections (%d served, %d refused, %d cancelled, %d reset),"
                + " descriptors %d before, %d in the loop at the end, %d after%n", total, served.get(), refused.get(),
                cancelled.get(), reset.get(), before, whileRunning[0], after);
        assertThat(served.get() + refused.get() + cancelled.get() + reset.get()).isEqualTo(total);
        assertThat(refused.get()).isEqualTo(total / 4);
        assertThat(cancelled.get()).as("connections cancelled mid-read").isEqualTo(total / 4);
        assertThat(after).isLessThanOrEqualTo(before);
        assertThat(whileRunning[0]).as("descriptors before the loop closed (its selector holds a few)")
                .isLessThanOrEqualTo(before + 3);
    }

    /**
     * A client that sends "wait" and reads an answer that never comes, cancelled while it
     * reads; whether the cancellation reached it there (its socket is closed either way).
     */
    static boolean cancelledMidRead(int port) throws Exception {
        Event reading = new Event();
        Task<Void> reader = Async.createTask(() -> {
            try (Connection c = Streams.openConnection(LOOPBACK, port)) {
                c.writer().write("wait\n");
                reading.set();
                c.reader().readExactly(10); // the server never answers
            }
            return null;
        });
        reading.await();
        Async.yieldNow(); // the reader is suspended in readExactly now
        assertThat(reader.isDone()).isFalse();
        reader.cancel();
        try {
            reader.await();
            return false;
        } catch (CancelledException e) {
            return true;
        }
    }
}
