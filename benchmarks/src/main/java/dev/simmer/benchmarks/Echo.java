package dev.simmer.benchmarks;

import dev.simmer.EngineKind;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Loopback TCP echo: an echo server and {@code connections} clients in one process, each
 * client sending a {@code size}-byte message and reading the whole echo back before it sends
 * the next (one message in flight per connection). One operation is one message's round
 * trip; {@value #MESSAGES} messages per invocation, split evenly over the connections, which
 * all run at once. The score is the average time per message, in ns: with one connection it
 * is the round-trip latency; with 100 it is the inverse of the throughput across them (the
 * report shows messages and bytes per second).
 *
 * <p>The same program for every runtime, on one thread: the server and every client share
 * one event loop (Simmer's, Netty's) or one carrier (virtual threads), so each round trip
 * costs the runtime its full path twice, once as the client and once as the server, and no
 * runtime gets a second core that another does not. The echo is of the byte stream (read
 * what has arrived, write it back), not of framed messages; the client checks it got
 * {@code size} bytes back. Connections are opened once per trial ({@code @Setup}), so the
 * score is the steady state, not connection set-up; TCP_NODELAY is on everywhere.
 *
 * <ul>
 *   <li>{@code simmerContinuation}, {@code simmerThreads}: {@link SimmerEcho}, Simmer streams
 *       ({@code Streams.startServer}, {@code openConnection}, {@code read}, {@code write},
 *       {@code drain}, {@code readExactly}, each side reading into one reused {@code byte[]},
 *       as the virtual threads' program does) on one {@code LoopThread}; an invocation submits
 *       one task that runs a task per client and awaits them.</li>
 *   <li>{@code netty}: {@link NettyEcho}, Netty's NIO transport with one event-loop thread
 *       serving the server channel, its children and the clients; pooled buffers, the
 *       handlers as a Netty user writes them.</li>
 *   <li>{@code virtualThreads}: {@link VirtualThreadEcho}, blocking {@code java.net.Socket}
 *       and {@code ServerSocket}, a virtual thread per connection on each side, on one carrier
 *       ({@code -Djdk.virtualThreadScheduler.parallelism=1}; the JDK's I/O poller still has a
 *       platform thread of its own). {@code virtualThreadsAllCores}: the same with the default
 *       scheduler (one carrier per core): an extra line, not part of the single-thread
 *       comparison.</li>
 * </ul>
 *
 * <p>In each, the JMH thread hands the invocation to the runtime and waits for it, idle, so
 * the runtime's thread has a core to itself while the other core takes the JIT, GC, the
 * kernel's loopback work, and whatever else the machine runs.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar Echo -f 1 -wi 4 -i 4 -w 1s -r 1s
 * java -jar benchmarks/target/benchmarks.jar 'Echo.(simmerContinuation|netty)' -p connections=1 -p size=64
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class Echo {
    /** Messages (round trips) per invocation, across all connections. */
    static final int MESSAGES = 2_000;

    /** Client connections, all active at once. */
    @Param({"1", "100"})
    public int connections;

    /** Bytes per message. */
    @Param({"64", "16384"})
    public int size;

    /** Round trips per connection in one invocation. */
    int rounds() {
        return MESSAGES / connections;
    }

    /** Simmer, fast path. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public long simmerContinuation(SimmerRun run) throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return run.echo.exchange(rounds());
    }

    /** Simmer, portable path. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ENGINE_THREADS})
    public long simmerThreads(SimmerRun run) throws Exception {
        Jvm.requireEngine(EngineKind.THREADS);
        return run.echo.exchange(rounds());
    }

    /** Netty, NIO transport, one event-loop thread. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    @Fork(Jvm.FORKS)
    public long netty(NettyRun run) throws Exception {
        return run.echo.exchange(rounds());
    }

    /** Virtual threads with blocking sockets, one carrier. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.ONE_CARRIER})
    public long virtualThreads(VirtualThreadRun run) throws Exception {
        return run.echo.exchange(rounds());
    }

    /** Virtual threads with blocking sockets, the default scheduler (a carrier per core). */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    @Fork(Jvm.FORKS)
    public long virtualThreadsAllCores(VirtualThreadRun run) throws Exception {
        return run.echo.exchange(rounds());
    }

    /** The Simmer server and clients of one trial. */
    @State(Scope.Benchmark)
    public static class SimmerRun {
        SimmerEcho echo;

        @Setup(Level.Trial)
        public void start(Echo bench) throws Exception {
            echo = new SimmerEcho(bench.connections, bench.size);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            echo.close();
        }
    }

    /** The Netty server and clients of one trial. */
    @State(Scope.Benchmark)
    public static class NettyRun {
        NettyEcho echo;

        @Setup(Level.Trial)
        public void start(Echo bench) throws Exception {
            echo = new NettyEcho(bench.connections, bench.size);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            echo.close();
        }
    }

    /** The virtual-thread server and clients of one trial. */
    @State(Scope.Benchmark)
    public static class VirtualThreadRun {
        VirtualThreadEcho echo;

        @Setup(Level.Trial)
        public void start(Echo bench) throws Exception {
            echo = new VirtualThreadEcho(bench.connections, bench.size);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            echo.close();
        }
    }

    /** The message every client sends: {@code size} bytes of a fixed pattern. */
    static byte[] message(int size) {
        byte[] m = new byte[size];
        for (int i = 0; i < size; i++) {
            m[i] = (byte) (i * 31 + 7);
        }
        return m;
    }

    /** Fails the run if a round trip brought back other than the bytes sent (checked once per message, by its last byte). */
    static void check(int got, byte expected) {
        if ((byte) got != expected) {
            throw new IllegalStateException("the echo came back altered: last byte " + (byte) got + ", sent " + expected);
        }
    }
}
