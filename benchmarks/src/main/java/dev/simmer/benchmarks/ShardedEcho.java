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
 * Loopback TCP echo with the server on loops of its own: {@code serverLoops} loops (threads)
 * serve, and the clients, {@code connections} of them, run on one more. The workload is
 * {@link Echo}'s (one message in flight per connection, {@value Echo#MESSAGES} round trips per
 * invocation, the average time per message in ns); what changes is that the server may use
 * more than one core. Unlike {@link Echo} it uses several threads, so it is not part of the
 * report's one-thread ratios.
 *
 * <ul>
 *   <li>{@code simmerContinuation}: {@link SimmerEcho} with a
 *       {@link dev.simmer.io.ShardedServer} over a {@link dev.simmer.LoopGroup} of
 *       {@code serverLoops} loops (SO_REUSEPORT where the system has it: the kernel spreads the
 *       connections), the clients on a {@code LoopThread};</li>
 *   <li>{@code netty}: {@link NettyEcho} with the server on a NIO event-loop group of
 *       {@code serverLoops} threads (its child channels handed to them in turn), the clients on
 *       a group of one.</li>
 *   <li>{@code virtualThreads}: {@link VirtualThreadEcho}, a virtual thread per connection on
 *       each side, on the JDK's default scheduler (a carrier per core, whatever
 *       {@code serverLoops} says: the figure is the same workload's, for comparison).</li>
 * </ul>
 *
 * <p>On a machine with two cores, two server loops and the clients' loop share them: the
 * figure says what a second server loop costs or gains when the cores are already busy, not
 * what it gains on an idle many-core machine.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ShardedEcho -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class ShardedEcho {
    /** Server loops (threads). */
    @Param({"1", "2"})
    public int serverLoops;

    /** Client connections, all active at once. */
    @Param({"100"})
    public int connections;

    /** Bytes per message. */
    @Param({"64", "16384"})
    public int size;

    int rounds() {
        return Echo.MESSAGES / connections;
    }

    /** Simmer, fast path: a ShardedServer over {@code serverLoops} loops. */
    @Benchmark
    @OperationsPerInvocation(Echo.MESSAGES)
    @Fork(value = Jvm.FORKS, jvmArgsAppend = {Jvm.EXPORT, Jvm.ENGINE_CONTINUATION})
    public long simmerContinuation(SimmerRun run) throws Exception {
        Jvm.requireEngine(EngineKind.CONTINUATION);
        return run.echo.exchange(rounds());
    }

    /** Netty, NIO transport, a server group of {@code serverLoops} threads. */
    @Benchmark
    @OperationsPerInvocation(Echo.MESSAGES)
    @Fork(Jvm.FORKS)
    public long netty(NettyRun run) throws Exception {
        return run.echo.exchange(rounds());
    }

    /** Virtual threads on the default scheduler: blocking sockets, a thread per connection on each side. */
    @Benchmark
    @OperationsPerInvocation(Echo.MESSAGES)
    @Fork(Jvm.FORKS)
    public long virtualThreads(VirtualThreadRun run) throws Exception {
        return run.echo.exchange(rounds());
    }

    /** The virtual-thread server and clients of one trial. */
    @State(Scope.Benchmark)
    public static class VirtualThreadRun {
        VirtualThreadEcho echo;

        @Setup(Level.Trial)
        public void start(ShardedEcho bench) throws Exception {
            echo = new VirtualThreadEcho(bench.connections, bench.size);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            echo.close();
        }
    }

    /** The Simmer server and clients of one trial. */
    @State(Scope.Benchmark)
    public static class SimmerRun {
        SimmerEcho echo;

        @Setup(Level.Trial)
        public void start(ShardedEcho bench) throws Exception {
            echo = new SimmerEcho(bench.connections, bench.size, bench.serverLoops);
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
        public void start(ShardedEcho bench) throws Exception {
            echo = new NettyEcho(bench.connections, bench.size, bench.serverLoops);
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            echo.close();
        }
    }
}
