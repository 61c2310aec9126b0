package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.AsyncTimeoutException;
import dev.simmer.CancelledException;
import dev.simmer.ErrorReport;
import dev.simmer.LoopThread;
import dev.simmer.Promise;
import dev.simmer.Runner;
import dev.simmer.Task;
import dev.simmer.sync.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link Streams}, {@link StreamReader}, {@link StreamWriter} and {@link Server} over loopback. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamsTest {

    private static final String LOOPBACK = "127.0.0.1";

    private static <T> T virtual(AsyncCallable<T> main) throws Exception {
        return Runner.create().virtualTime(true).run(main);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Answers each line with the line itself until the end of the stream. */
    private static final ConnectionHandler ECHO = (reader, writer) -> {
        byte[] line;
        while ((line = reader.readLine()).length > 0) {
            writer.write(line);
            writer.drain();
        }
    };

    // ================================================================== connecting

    @Test
    void aLineMakesTheRoundTripOverTcp() throws Exception {
        String answer = virtual(() -> {
            try (Server server = Streams.startServer(ECHO, LOOPBACK, 0);
                 Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                c.writer().write("hello\n");
                return c.reader().readLineUtf8();
            }
        });
        assertThat(answer).isEqualTo("hello");
    }

    @Test
    void aLineMakesTheRoundTripOnTheRealClock() throws Exception {
        String answer = Async.run(() -> {
            try (Server server = Streams.startServer(ECHO, LOOPBACK, 0);
                 Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                c.writer().write("real\n");
                return c.reader().readLineUtf8();
            }
        });
        assertThat(answer).isEqualTo("real");
    }

    @Test
    void aHostNameIsResolvedOffTheLoop() throws Exception {
        String answer = virtual(() -> {
            try (Server server = Streams.startServer(ECHO, LOOPBACK, 0);
                 Connection c = Streams.openConnection("localhost", server.port())) {
                c.writer().write("by name\n");
                return c.reader().readLineUtf8();
            }
        });
        assertThat(answer).isEqualTo("by name");
    }

    @Test
    void ipv6LoopbackWorks() throws Exception {
        assumeTrue(ipv6Available(), "no IPv6 loopback on this machine");
        String answer = virtual(() -> {
            try (Server server = Streams.startServer(ECHO, "::1", 0);
                 Connection c = Streams.openConnection("::1", server.port())) {
                c.writer().write("six\n");
                return c.reader().readLineUtf8() + " via " + ((InetSocketAddress) c.writer().peer()).getAddress();
            }
        });
        assertThat(answer).startsWith("six via /0:0:0:0:0:0:0:1");
    }

    private static boolean ipv6Available() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void unixDomainSocketsWork(@TempDir Path dir) throws Exception {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("echo.sock"));
        String answer = virtual(() -> {
            try (Server server = Streams.startServer(ECHO, address, StreamOptions.defaults());
                 Connection c = Streams.openConnection(address)) {
                assertThat(server.port()).isEqualTo(-1);
                c.writer().write("over a file\n");
                return c.reader().readLineUtf8();
            }
        });
        assertThat(answer).isEqualTo("over a file");
    }

    @Test
    void aRefusedConnectionIsAConnectException() throws Exception {
        // A port bound but not listening: nobody can listen there while it is held.
        try (SocketChannel holder = SocketChannel.open()) {
            holder.bind(new InetSocketAddress(LOOPBACK, 0));
            int port = ((InetSocketAddress) holder.getLocalAddress()).getPort();
            Throwable thrown = catchThrowable(() -> virtual(() -> Streams.openConnection(LOOPBACK, port)));
            assertThat(thrown).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aConnectThatHangsMeetsTheConnectTimeout() throws Exception {
        // A listener with a backlog of 1 that never accepts: once its queue is full, the
        // kernel drops further SYNs, so a connect hangs until the timeout.
        try (java.nio.channels.ServerSocketChannel full = java.nio.channels.ServerSocketChannel.open()) {
            full.bind(new InetSocketAddress(LOOPBACK, 0), 1);
            List<SocketChannel> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    SocketChannel f = SocketChannel.open();
                    f.configureBlocking(false);
                    f.connect(full.getLocalAddress());
                    fillers.add(f);
                }
                int port = ((InetSocketAddress) full.getLocalAddress()).getPort();
                StreamOptions opts = StreamOptions.defaults().withConnectTimeout(Duration.ofSeconds(3));
                long[] tookMillis = new long[1];
                Throwable thrown = catchThrowable(() -> virtual(() -> {
                    long start = Async.loop().time();
                    try {
                        return Streams.openConnection(LOOPBACK, port, opts);
                    } finally {
                        tookMillis[0] = (Async.loop().time() - start) / 1_000_000;
                    }
                }));
                assertThat(thrown).isInstanceOf(java.net.SocketTimeoutException.class)
                        .hasMessageContaining("connect timeout of 3000 ms");
                assertThat(tookMillis[0]).isEqualTo(3000);
            } finally {
                for (SocketChannel f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void noDelayIsOnByDefaultAndOptionsApply() throws Exception {
        List<Boolean> noDelay = virtual(() -> {
            try (Server server = Streams.startServer(ECHO, LOOPBACK, 0)) {
                List<Boolean> seen = new ArrayList<>();
                for (boolean on : new boolean[] {true, false}) {
                    StreamOptions opts = StreamOptions.defaults().withNoDelay(on).withKeepAlive(true);
                    SocketChannel[] ch = new SocketChannel[1];
                    try (Connection c = Streams.openConnection(LOOPBACK, server.port(), opts)) {
                        seen.add(socketOf(c).getOption(StandardSocketOptions.TCP_NODELAY));
                        seen.add(socketOf(c).getOption(StandardSocketOptions.SO_KEEPALIVE));
                    }
                }
                return seen;
            }
        });
        assertThat(noDelay).containsExactly(true, true, false, true);
    }

    private static SocketChannel socketOf(Connection c) throws Exception {
        java.lang.reflect.Field f = StreamWriter.class.getDeclaredField("sink");
        f.setAccessible(true);
        return ((ChannelTransport) f.get(c.writer())).channel();
    }

    @Test
    void cancellingAConnectClosesTheHalfMadeChannel() throws Exception {
        virtual(() -> {
            try (Server server = Streams.startServer(ECHO, LOOPBACK, 0)) {
                Task<Connection> connecting = Async.createTask(() -> Streams.openConnection(LOOPBACK, server.port()));
                connecting.cancel(); // before its first step: nothing opened
                assertThatThrownBy(connecting::await).isInstanceOf(CancelledException.class);
                Task<Connection> again = Async.createTask(() -> Streams.openConnection(LOOPBACK, server.port()));
                Async.yieldNow(); // it has started connecting
                again.cancel();
                Throwable thrown = catchThrowable(again::await);
                if (thrown == null) {
                    again.result().close(); // the connect won the race; then it is a normal connection
                } else {
                    assertThat(thrown).isInstanceOf(CancelledException.class);
                }
            }
            return null;
        });
    }

    // ================================================================== reading

    /** Runs {@code body} as a client of a server that writes {@code script} and then closes (or stays silent). */
    private static <T> T againstPeer(byte[] script, boolean thenClose, ClientBody<T> body) throws Exception {
        return againstPeer(script, thenClose, body, 64);
    }

    private static <T> T againstPeer(byte[] script, boolean thenClose, ClientBody<T> body, int limit) throws Exception {
        return virtual(() -> {
            Promise<Void> release = new Promise<>();
            ConnectionHandler peer = (reader, writer) -> {
                writer.write(script);
                writer.drain();
                if (!thenClose) {
                    release.await();
                }
            };
            try (Server server = Streams.startServer(peer, LOOPBACK, 0, StreamOptions.defaults());
                 Connection c = Streams.openConnection(LOOPBACK, server.port(),
                         StreamOptions.defaults().withLimit(limit))) {
                try {
                    return body.run(c.reader(), c.writer());
                } finally {
                    release.complete(null);
                }
            }
        });
    }

    @FunctionalInterface
    private interface ClientBody<T> {
        T run(StreamReader reader, StreamWriter writer) throws Exception;
    }

    @Test
    void readExactlyThenReadUntilThenReadTheRest() throws Exception {
        List<String> got = againstPeer(bytes("HEAD1234key=value;tail"), true, (r, w) -> List.of(
                text(r.readExactly(4)), text(r.readExactly(4)), text(r.readUntil(bytes(";"))),
                text(r.read(-1)), String.valueOf(r.atEof())));
        assertThat(got).containsExactly("HEAD", "1234", "key=value;", "tail", "true");
    }

    @Test
    void readReturnsWhatIsThereAndEmptyAtTheEnd() throws Exception {
        List<Integer> sizes = againstPeer(bytes("abcdef"), true, (r, w) -> {
            List<Integer> out = new ArrayList<>();
            byte[] b;
            while ((b = r.read(4)).length > 0) {
                out.add(b.length);
            }
            out.add(r.read(4).length);
            return out;
        });
        assertThat(sizes.subList(sizes.size() - 1, sizes.size())).containsExactly(0);
        assertThat(sizes.subList(0, sizes.size() - 1).stream().mapToInt(Integer::intValue).sum()).isEqualTo(6);
        assertThat(sizes.get(0)).isEqualTo(4);
    }

    @Test
    void readExactlyAtTheEndGivesThePartialData() throws Exception {
        IncompleteReadException e = againstPeer(bytes("only5"), true, (r, w) -> {
            try {
                r.readExactly(10);
                return null;
            } catch (IncompleteReadException ex) {
                return ex;
            }
        });
        assertThat(text(e.partial())).isEqualTo("only5");
        assertThat(e.expected()).isEqualTo(10);
    }

    @Test
    void readLineAtTheEndGivesTheLastPartialLineThenEmpty() throws Exception {
        List<String> lines = againstPeer(bytes("one\ntwo\nthree"), true, (r, w) -> {
            List<String> out = new ArrayList<>();
            byte[] line;
            while ((line = r.readLine()).length > 0) {
                out.add(text(line));
            }
            return out;
        });
        assertThat(lines).containsExactly("one\n", "two\n", "three");
    }

    @Test
    void readUntilPastTheLimitLeavesTheDataAndSaysHowMuch() throws Exception {
        byte[] longChunk = new byte[100];
        Arrays.fill(longChunk, (byte) 'x');
        longChunk[99] = ';';
        List<Object> got = againstPeer(longChunk, true, (r, w) -> {
            LimitOverrunException e = null;
            try {
                r.readUntil(bytes(";"));
            } catch (LimitOverrunException ex) {
                e = ex;
            }
            return List.of(e.consumed(), r.readExactly(100).length);
        });
        assertThat((int) got.get(0)).isGreaterThan(64);
        assertThat(got.get(1)).isEqualTo(100);
    }

    @Test
    void aLineArrivingInPiecesAfterAnEarlierLineIsFoundWhole() throws Exception {
        // The second line comes in two reads, after the first line was taken from the same
        // buffer: the reader moves its data to the front between the two, and must search the
        // new bytes from where it left off, not from a stale index past them.
        List<String> got = virtual(() -> {
            ConnectionHandler pieces = (reader, writer) -> {
                for (String piece : List.of("aaa\nbb", "b\n", "ccc\n")) {
                    writer.write(piece);
                    writer.drain();
                    Async.sleep(Duration.ofSeconds(1)); // the client reads each piece on its own
                }
            };
            try (Server server = Streams.startServer(pieces, LOOPBACK, 0);
                 Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = c.reader().readLineUtf8()) != null) {
                    lines.add(line);
                }
                return lines;
            }
        });
        assertThat(got).containsExactly("aaa", "bbb", "ccc");
    }

    @Test
    void theLimitCountsTheChunkNotItsSeparator() throws Exception {
        // asyncio: a chunk of exactly `limit` bytes before the separator is allowed
        String ten = "0123456789";
        List<Object> got = againstPeer(bytes(ten + "\n" + ten + "X\n" + ten + "||" + ten + "X||"), true, (r, w) -> {
            List<Object> out = new ArrayList<>();
            StreamReader small = r;
            out.add(text(small.readLine()));
            out.add(catchLimit(small::readLine));
            out.add(text(small.readUntil(bytes("||"))));
            out.add(catchLimit(() -> small.readUntil(bytes("||"))));
            return out;
        }, 10);
        assertThat(got).containsExactly(ten + "\n", "limit 11", ten + "||", "limit 11");
    }

    private static String catchLimit(AsyncCallable<byte[]> read) throws Exception {
        try {
            return "read " + text(read.call());
        } catch (LimitOverrunException e) {
            return "limit " + e.consumed();
        }
    }

    @Test
    void aFailedStreamKeepsFailingInsteadOfLookingEnded() throws Exception {
        List<Object> got = virtual(() -> {
            List<Object> out = new ArrayList<>();
            ConnectionHandler victim = (reader, writer) -> {
                try {
                    reader.readExactly(100); // the peer resets after 10
                } catch (IOException first) {
                    out.add(first.getClass().getSimpleName());
                    out.add(reader.atEof());
                    out.add(reader.read(100).length); // the 10 bytes that came before the reset: not lost
                    Throwable again = catchThrowable(() -> reader.read(10));
                    out.add(again == first ? "the same failure again" : String.valueOf(again));
                }
            };
            try (Server server = Streams.startServer(victim, LOOPBACK, 0)) {
                Connection bad = Streams.openConnection(LOOPBACK, server.port());
                bad.writer().write(new byte[10]);
                socketOf(bad).setOption(StandardSocketOptions.SO_LINGER, 0);
                Async.sleep(Duration.ofSeconds(1));
                bad.writer().abort(); // RST instead of FIN
                while (out.size() < 4) {
                    Async.sleep(Duration.ofMillis(10));
                }
            }
            return out;
        });
        assertThat(got).containsExactly("SocketException", false, 10, "the same failure again");
    }

    @Test
    void anOverlongLineIsDiscardedAndTheNextLineReads() throws Exception {
        String line = "y".repeat(200) + "\nshort\n";
        List<String> got = againstPeer(bytes(line), true, (r, w) -> {
            List<String> out = new ArrayList<>();
            while (true) {
                try {
                    String l = r.readLineUtf8();
                    if (l == null) {
                        return out;
                    }
                    out.add(l);
                } catch (LimitOverrunException e) {
                    out.add("too long");
                }
            }
        });
        assertThat(got).contains("short").startsWith("too long").doesNotContain("y".repeat(200));
    }

    @Test
    void aCancelledReadLosesNoData() throws Exception {
        String got = virtual(() -> {
            Promise<Void> more = new Promise<>();
            ConnectionHandler peer = (reader, writer) -> {
                writer.write("01234");
                more.await();
                writer.write("56789");
                reader.read(1); // until the client closes
            };
            try (Server server = Streams.startServer(peer, LOOPBACK, 0);
                 Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                Task<byte[]> first = Async.createTask(() -> c.reader().readExactly(10));
                while (c.reader().buffered() < 5) {
                    Async.sleep(Duration.ofMillis(1));
                }
                first.cancel();
                assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
                more.complete(null);
                return text(c.reader().readExactly(10));
            }
        });
        assertThat(got).isEqualTo("0123456789");
    }

    @Test
    void aCancelledReadToTheEndLosesNoData() throws Exception {
        int[] got = virtual(() -> {
            Promise<Void> more = new Promise<>();
            ConnectionHandler peer = (reader, writer) -> {
                writer.write(new byte[10_000]);
                writer.drain();
                more.await();
                writer.write(new byte[10_000]);
            };
            try (Server server = Streams.startServer(peer, LOOPBACK, 0);
                 Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                byte[] cut = Async.timeoutOrNull(Duration.ofMillis(100), () -> c.reader().read(-1));
                int kept = c.reader().buffered();
                more.complete(null);
                return new int[] {cut == null ? -1 : cut.length, kept, c.reader().read(-1).length};
            }
        });
        assertThat(got).as("cut short; kept buffered; then everything").containsExactly(-1, 10_000, 20_000);
    }

    @Test
    void aReadToTheEndThatMeetsAResetKeepsWhatCameBefore() throws Exception {
        List<Object> got = virtual(() -> {
            List<Object> out = new ArrayList<>();
            Promise<Void> done = new Promise<>();
            ConnectionHandler victim = (reader, writer) -> {
                try {
                    reader.read(-1); // the peer resets after 10 bytes
                } catch (IOException first) {
                    out.add(first.getClass().getSimpleName());
                    out.add(reader.read(100).length); // the 10 bytes that came before the reset: not lost
                } finally {
                    done.complete(null);
                }
            };
            try (Server server = Streams.startServer(victim, LOOPBACK, 0)) {
                Connection bad = Streams.openConnection(LOOPBACK, server.port());
                bad.writer().write(new byte[10]);
                socketOf(bad).setOption(StandardSocketOptions.SO_LINGER, 0);
                Async.sleep(Duration.ofSeconds(1));
                bad.writer().abort(); // RST instead of FIN
                done.await();
            }
            return out;
        });
        assertThat(got).containsExactly("SocketException", 10);
    }

    /** {@code size} bytes of a pattern that does not repeat within 251 bytes, so a misplaced byte shows. */
    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    @Test
    void readIntoTheCallersArrayTakesBufferedBytesFirstThenTheRestAndMinusOneAtTheEnd() throws Exception {
        byte[] sent = pattern(40_000);
        List<Object> got = againstPeer(sent, true, (r, w) -> {
            byte[] into = new byte[sent.length + 20]; // room left over: the last read finds the end
            r.readExactly(into, 10, 3);                       // small: through the reader's buffer
            int at = 13;
            int n;
            while ((n = r.read(into, at, into.length - at)) > 0) {   // large: straight from the socket when empty
                at += n;
            }
            return List.of(Arrays.copyOfRange(into, 10, at), n, r.read(into, 0, 0), r.atEof());
        });
        assertThat((byte[]) got.get(0)).isEqualTo(sent);
        assertThat(got.subList(1, 4)).containsExactly(-1, 0, true);
    }

    @Test
    void readExactlyIntoADirectBufferFillsItToTheLimit() throws Exception {
        byte[] sent = pattern(100_000);
        byte[] got = againstPeer(sent, true, (r, w) -> {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(7);
            r.readExactly(head);
            java.nio.ByteBuffer rest = java.nio.ByteBuffer.allocateDirect(sent.length);
            rest.put(head.flip());
            r.readExactly(rest);
            assertThat(rest.position()).isEqualTo(rest.limit());
            assertThat(r.read(rest.clear().limit(1))).isEqualTo(-1);
            byte[] all = new byte[sent.length];
            rest.clear().get(all);
            return all;
        });
        assertThat(got).isEqualTo(sent);
    }

    @Test
    void readExactlyIntoAnArrayAtTheEndGivesThePartialData() throws Exception {
        IncompleteReadException e = againstPeer(bytes("only5"), true, (r, w) -> {
            byte[] into = new byte[12];
            try {
                r.readExactly(into, 2, 10);
                return null;
            } catch (IncompleteReadException ex) {
                assertThat(text(Arrays.copyOfRange(into, 2, 7))).isEqualTo("only5");
                return ex;
            }
        });
        assertThat(text(e.partial())).isEqualTo("only5");
        assertThat(e.expected()).isEqualTo(10);
    }

    @Test
    void readIntoRejectsBadRangesAndReadOnlyBuffersBeforeReading() throws Exception {
        List<Throwable> errors = againstPeer(bytes("abc"), true, (r, w) -> {
            List<Throwable> out = new ArrayList<>();
            out.add(catchThrowable(() -> r.read(new byte[4], 3, 2)));
            out.add(catchThrowable(() -> r.readExactly(new byte[4], -1, 1)));
            out.add(catchThrowable(() -> r.read(java.nio.ByteBuffer.allocate(4).asReadOnlyBuffer())));
            out.add(catchThrowable(() -> r.readExactly(java.nio.ByteBuffer.allocate(4).asReadOnlyBuffer())));
            assertThat(text(r.readExactly(3))).isEqualTo("abc");
            return out;
        });
        assertThat(errors.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(errors.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(errors.get(2)).isInstanceOf(java.nio.ReadOnlyBufferException.class);
        assertThat(errors.get(3)).isInstanceOf(java.nio.ReadOnlyBufferException.class);
    }

    /**
     * A readExactly into the caller's buffer, cancelled half-way, gives back what it had taken:
     * the next read sees every byte, in order. {@code size} below the bypass size reads through
     * the reader's buffer; above it, straight into the caller's.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1_000, 40_000})
    void aCancelledReadIntoTheCallersBufferLosesNoData(int size) throws Exception {
        byte[] sent = pattern(size);
        byte[] got = virtual(() -> {
            Promise<Void> more = new Promise<>();
            ConnectionHandler peer = (reader, writer) -> {
                writer.write(sent, 0, size / 2);
                writer.drain();
                more.await();
                writer.write(sent, size / 2, size - size / 2);
                reader.read(1); // until the client closes
            };
            try (Server server = Streams.startServer(peer, LOOPBACK, 0);
                 Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                java.nio.ByteBuffer dst = java.nio.ByteBuffer.allocate(size + 5).position(5);
                Task<Void> first = Async.createTask(() -> {
                    c.reader().readExactly(dst);
                    return null;
                });
                while (dst.position() < 5 + size / 2) { // the first half arrives and is taken; then it waits
                    Async.sleep(Duration.ofMillis(1));
                }
                first.cancel();
                assertThatThrownBy(first::await).isInstanceOf(CancelledException.class);
                assertThat(dst.position()).isEqualTo(5);
                more.complete(null);
                byte[] all = new byte[size];
                c.reader().readExactly(all, 0, size);
                return all;
            }
        });
        assertThat(got).isEqualTo(sent);
    }

    @Test
    void twoTasksReadingAtOnceIsAClearError() throws Exception {
        Throwable thrown = againstPeer(new byte[0], false, (r, w) -> {
            Task<byte[]> first = Async.createTask(() -> r.read(10));
            Async.yieldNow();
            Throwable t = catchThrowable(() -> r.read(10));
            first.cancel();
            return t;
        });
        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessageContaining("another task");
    }

    // ================================================================== writing

    @Test
    void drainSuspendsAFastWriterToAPeerThatNeverReads() throws Exception {
        long[] buffered = virtual(() -> {
            Promise<Void> release = new Promise<>();
            ConnectionHandler neverReads = (reader, writer) -> release.await();
            StreamOptions opts = StreamOptions.defaults().withWaterMarks(32 * 1024, 8 * 1024).withBufferSizes(8192, 8192);
            try (Server server = Streams.startServer(neverReads, LOOPBACK, 0, opts);
                 Connection c = Streams.openConnection(LOOPBACK, server.port(), opts)) {
                byte[] chunk = new byte[4096];
                long most = 0;
                long written = 0;
                Throwable timedOut = catchThrowable(() -> Async.timeout(Duration.ofSeconds(5), () -> {
                    while (true) {
                        c.writer().write(chunk);
                        c.writer().drain();
                    }
                }));
                assertThat(timedOut).isInstanceOf(AsyncTimeoutException.class);
                most = c.writer().bufferedBytes();
                release.complete(null);
                c.writer().abort();
                return new long[] {most};
            }
        });
        // still waiting (above the low-water mark: the kernel may have taken a little more
        // since), and never more than the high-water mark plus the one write past it
        assertThat(buffered[0]).isGreaterThan(8 * 1024).isLessThanOrEqualTo(32 * 1024 + 4096);
    }

    @Test
    void closeSendsWhatIsBufferedFirst() throws Exception {
        int size = 2 * 1024 * 1024;
        int got = virtual(() -> {
            Promise<Integer> received = new Promise<>();
            ConnectionHandler counter = (reader, writer) -> received.complete(reader.read(-1).length);
            StreamOptions small = StreamOptions.defaults().withBufferSizes(8192, 8192);
            try (Server server = Streams.startServer(counter, LOOPBACK, 0, small)) {
                Connection c = Streams.openConnection(LOOPBACK, server.port(), small);
                c.writer().write(new byte[size]); // far more than the socket takes at once
                assertThat(c.writer().bufferedBytes()).isGreaterThan(0);
                c.writer().close();
                c.writer().waitClosed();
                return received.await();
            }
        });
        assertThat(got).isEqualTo(size);
    }

    @Test
    void aByteBufferIsTakenWholeAndMayBeReusedAtOnceEvenWhenMostOfItMustWait() throws Exception {
        int size = 2 * 1024 * 1024;
        byte[] sent = pattern(size);
        byte[] got = virtual(() -> {
            Promise<byte[]> received = new Promise<>();
            ConnectionHandler collector = (reader, writer) -> received.complete(reader.read(-1));
            StreamOptions small = StreamOptions.defaults().withBufferSizes(8192, 8192);
            try (Server server = Streams.startServer(collector, LOOPBACK, 0, small)) {
                Connection c = Streams.openConnection(LOOPBACK, server.port(), small);
                java.nio.ByteBuffer src = java.nio.ByteBuffer.allocateDirect(size).put(sent).flip();
                c.writer().write(src);               // far more than the socket takes at once
                assertThat(src.hasRemaining()).isFalse();
                assertThat(c.writer().bufferedBytes()).isGreaterThan(0);
                src.clear();
                while (src.hasRemaining()) {
                    src.put((byte) 0xEE);            // overwriting the caller's buffer changes nothing sent
                }
                c.writer().write(java.nio.ByteBuffer.allocate(0)); // nothing to send: nothing happens
                c.writer().close();
                c.writer().waitClosed();
                return received.await();
            }
        });
        assertThat(got).isEqualTo(sent);
    }

    @Test
    void aWriteFailureInsideTryWithResourcesIsCaughtAsItselfAndCloseAddsNothing() throws Exception {
        List<Object> got = virtual(() -> {
            List<Object> out = new ArrayList<>();
            ConnectionHandler resetter = (reader, writer) -> {
                reader.readExactly(1);
                socketOf(new Connection(reader, writer)).setOption(StandardSocketOptions.SO_LINGER, 0);
                writer.abort(); // RST: the client's next writes fail
            };
            try (Server server = Streams.startServer(resetter, LOOPBACK, 0)) {
                IOException thrown = null;
                try (Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                    c.writer().write("x");
                    while (true) {
                        try {
                            c.writer().write(new byte[64 * 1024]);
                            c.writer().drain();
                        } catch (IOException e) {
                            thrown = e;
                            throw e;
                        }
                        Async.sleep(Duration.ofMillis(10));
                    }
                } catch (IOException e) {
                    out.add(e == thrown ? "the write's own failure" : "another: " + e);
                    out.add(e.getSuppressed().length);
                } catch (RuntimeException e) {
                    out.add(e.toString());
                }
            }
            return out;
        });
        assertThat(got).containsExactly("the write's own failure", 0);
    }

    @Test
    void closeThrowsAFailureOfSendingNobodyHasSeen() throws Exception {
        Object got = virtual(() -> {
            Promise<Void> go = new Promise<>();
            ConnectionHandler resetter = (reader, writer) -> {
                reader.readExactly(1);
                go.await();
                socketOf(new Connection(reader, writer)).setOption(StandardSocketOptions.SO_LINGER, 0);
                writer.abort();
            };
            try (Server server = Streams.startServer(resetter, LOOPBACK, 0)) {
                Connection c = Streams.openConnection(LOOPBACK, server.port());
                c.writer().write("x");
                c.writer().write(new byte[16 * 1024 * 1024]); // mostly buffered: the peer does not read
                go.complete(null); // the peer resets: sending the rest fails inside close()
                return catchThrowable(c::close);
            }
        });
        assertThat(got).isInstanceOf(IOException.class);
    }

    @Test
    void streamsRefuseCallsFromAnotherThreadAndChangeNothing() throws Exception {
        try (LoopThread lt = LoopThread.start()) {
            Promise<Void>[] release = new Promise[1];
            Server server = lt.submit(() -> {
                release[0] = new Promise<>();
                return Streams.startServer((reader, writer) -> {
                    writer.write("line one\nline two\n");
                    writer.drain();
                    release[0].await(); // then reads everything, and says how much came
                    byte[] all = reader.read(-1);
                    writer.write(all.length + "\n");
                }, LOOPBACK, 0, StreamOptions.defaults().withBufferSizes(8192, 8192));
            }).get(10, TimeUnit.SECONDS);
            Connection c = lt.submit(() -> {
                Connection conn = Streams.openConnection(LOOPBACK, server.port());
                conn.reader().readLine(); // "line two" comes with it, and stays buffered
                return conn;
            }).get(10, TimeUnit.SECONDS);
            StreamReader reader = c.reader();
            StreamWriter writer = c.writer();
            List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(
                    () -> writer.write("small"), () -> writer.write(new byte[8 << 20]), reader::readLine,
                    () -> reader.read(10), reader::buffered, writer::close, writer::abort, writer::drain,
                    writer::writeEof, writer::bufferedBytes, writer::isClosing, c::close);
            for (var call : calls) {
                assertThat(catchThrowable(call)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("it did nothing").hasMessageContaining(".submit(");
            }
            String answer = lt.submit(() -> {
                String first = reader.readLineUtf8(); // still there: the refused readLine took nothing
                writer.write(new byte[8 << 20]);  // the writer is not wedged
                release[0].complete(null);
                writer.writeEof();
                writer.drain();
                String count = reader.readLineUtf8();
                c.close();
                server.close();
                return first + " / " + count + " / " + writer.isClosing();
            }).get(20, TimeUnit.SECONDS);
            assertThat(answer).isEqualTo("line two / " + (8 << 20) + " / true");
        }
    }

    @Test
    void writeOfAnArrayRangeChecksTheRange() throws Exception {
        Throwable t = againstPeer(new byte[0], true, (r, w) -> catchThrowable(() -> w.write(new byte[4], 2, 3)));
        assertThat(t).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void writeEofIsAHalfClose() throws Exception {
        String got = virtual(() -> {
            ConnectionHandler answerAfterEnd = (reader, writer) -> {
                byte[] all = reader.read(-1);
                writer.write("got " + all.length);
            };
            try (Server server = Streams.startServer(answerAfterEnd, LOOPBACK, 0);
                 Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                c.writer().write("12345");
                c.writer().writeEof();
                assertThatThrownBy(() -> c.writer().write("more")).isInstanceOf(IllegalStateException.class);
                return text(c.reader().read(-1));
            }
        });
        assertThat(got).isEqualTo("got 5");
    }

    @Test
    void aResetMidMessageIsAClearErrorAndTheServerKeepsServing() throws Exception {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        String after = Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            try (Server server = Streams.startServer((reader, writer) -> {
                byte[] header = reader.readExactly(100); // the peer resets after 10
                writer.write(header);
            }, LOOPBACK, 0)) {
                Connection bad = Streams.openConnection(LOOPBACK, server.port());
                bad.writer().write(new byte[10]);
                socketOf(bad).setOption(StandardSocketOptions.SO_LINGER, 0);
                bad.writer().abort(); // RST instead of FIN
                while (reports.isEmpty()) {
                    Async.sleep(Duration.ofMillis(10));
                }
                try (Connection good = Streams.openConnection(LOOPBACK, server.port())) {
                    good.writer().write(new byte[100]);
                    return "echoed " + good.reader().readExactly(100).length;
                }
            }
        });
        assertThat(after).isEqualTo("echoed 100");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message()).contains("connection handler");
        assertThat(reports.get(0).exception()).isInstanceOf(IOException.class);
    }

    // ================================================================== servers

    @Test
    void anEndlessLineCostsBoundedMemoryAndTheServerKeepsServingOthers() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        String other = virtual(() -> {
            ConnectionHandler lines = (reader, writer) -> {
                try {
                    writer.write(reader.readLine());
                } catch (LimitOverrunException e) {
                    log.add("refused after " + e.consumed() + " bytes, buffered " + reader.buffered());
                    writer.write("line too long\n");
                    writer.writeEof();
                    while (reader.read(8192).length > 0) {
                        // discard the rest until the client hangs up (closing now would reset the connection)
                    }
                }
            };
            try (Server server = Streams.startServer(lines, LOOPBACK, 0, StreamOptions.defaults().withLimit(1024))) {
                Connection endless = Streams.openConnection(LOOPBACK, server.port());
                Task<Void> flood = Async.createTask(() -> {
                    byte[] noNewline = new byte[8192];
                    Arrays.fill(noNewline, (byte) 'z');
                    try {
                        while (true) {
                            endless.writer().write(noNewline);
                            endless.writer().drain();
                        }
                    } catch (IOException closedByServer) {
                        return null;
                    }
                });
                String answer = endless.reader().readLineUtf8();
                log.add(answer);
                flood.cancel();
                try (Connection polite = Streams.openConnection(LOOPBACK, server.port())) {
                    polite.writer().write("short\n");
                    String reply = polite.reader().readLineUtf8();
                    flood.cancel();
                    endless.writer().abort();
                    return reply;
                }
            }
        });
        assertThat(other).isEqualTo("short");
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).startsWith("refused after ");
        int consumed = Integer.parseInt(log.get(0).split(" ")[2]);
        assertThat(consumed).isLessThanOrEqualTo(1024 + 16 * 1024);
        assertThat(log.get(1)).isEqualTo("line too long");
    }

    @Test
    void aSilentPeerMeetsTheIdleTimeout() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        long tookMillis = virtual(() -> {
            ConnectionHandler withIdleTimeout = (reader, writer) -> {
                try {
                    Async.timeout(Duration.ofSeconds(30), reader::readLine);
                } catch (AsyncTimeoutException e) {
                    log.add("idle for 30 s: closing");
                }
            };
            try (Server server = Streams.startServer(withIdleTimeout, LOOPBACK, 0);
                 Connection silent = Streams.openConnection(LOOPBACK, server.port())) {
                long start = Async.loop().time();
                byte[] end = silent.reader().read(10); // the server hangs up on us
                assertThat(end).isEmpty();
                return (Async.loop().time() - start) / 1_000_000;
            }
        });
        assertThat(log).containsExactly("idle for 30 s: closing");
        assertThat(tookMillis).isEqualTo(30_000);
    }

    @Test
    void aFailingHandlerIsReportedAndTheServerKeepsServing() throws Exception {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        String second = Runner.create().virtualTime(true).exceptionHandler(reports::add).run(() -> {
            int[] n = {0};
            try (Server server = Streams.startServer((reader, writer) -> {
                if (++n[0] == 1) {
                    throw new IllegalStateException("first client fails");
                }
                writer.write("served\n");
            }, LOOPBACK, 0)) {
                try (Connection first = Streams.openConnection(LOOPBACK, server.port())) {
                    assertThat(first.reader().read(10)).isEmpty(); // closed by the server
                }
                try (Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                    return c.reader().readLineUtf8();
                }
            }
        });
        assertThat(second).isEqualTo("served");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).exception()).hasMessage("first client fails");
    }

    @Test
    void closingTheServerStopsAcceptingCancelsHandlersAndWaitsForThem() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        virtual(() -> {
            Event running = new Event();
            Server server = Streams.startServer((reader, writer) -> {
                events.add("handler runs");
                running.set();
                try {
                    reader.read(1); // the client stays silent
                } finally {
                    Async.sleep(Duration.ofMillis(5)); // cleanup that suspends
                    events.add("handler cleaned up");
                }
            }, LOOPBACK, 0);
            int port = server.port();
            Connection c = Streams.openConnection(LOOPBACK, port);
            running.await();
            server.close();
            events.add("closed: " + server.activeConnections() + " active, serving " + server.isServing());
            assertThat(c.reader().read(1)).isEmpty();
            c.close();
            assertThatThrownBy(() -> Streams.openConnection(LOOPBACK, port)).isInstanceOf(ConnectException.class);
            return null;
        });
        assertThat(events).containsExactly("handler runs", "handler cleaned up", "closed: 0 active, serving false");
    }

    @Test
    void aHandlerCancelledBeforeItsFirstStepStillHasItsConnectionClosed() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        byte[] seen = virtual(() -> {
            Server server = Streams.startServer((reader, writer) -> events.add("handler runs"), LOOPBACK, 0);
            Connection c = Streams.openConnection(LOOPBACK, server.port());
            while (server.activeConnections() == 0) { // accepted: the handler's task exists, not yet run
                Async.yieldNow();
            }
            server.close(); // cancels it before it starts
            byte[] got = Async.timeout(Duration.ofSeconds(5), () -> c.reader().read(1));
            c.close();
            return got;
        });
        assertThat(seen).isEmpty(); // the end of the stream: the server side was closed, not leaked
        assertThat(events).isEmpty();
    }

    @Test
    void cancellingServeForeverClosesTheServer() throws Exception {
        boolean serving = virtual(() -> {
            Server server = Streams.startServer(ECHO, LOOPBACK, 0);
            Task<Void> forever = Async.createTask(server::serveForever);
            Async.sleep(Duration.ofSeconds(1));
            forever.cancel();
            assertThatThrownBy(forever::await).isInstanceOf(CancelledException.class);
            return server.isServing();
        });
        assertThat(serving).isFalse();
    }

    @Test
    void manyClientsAtOnce() throws Exception {
        int clients = 50;
        List<String> replies = virtual(() -> {
            try (Server server = Streams.startServer(ECHO, LOOPBACK, 0)) {
                List<AsyncCallable<String>> bodies = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    int id = i;
                    bodies.add(() -> {
                        try (Connection c = Streams.openConnection(LOOPBACK, server.port())) {
                            c.writer().write("client " + id + "\n");
                            return c.reader().readLineUtf8();
                        }
                    });
                }
                return Async.gather(bodies);
            }
        });
        assertThat(replies).hasSize(clients).contains("client 0", "client 49");
    }
}
