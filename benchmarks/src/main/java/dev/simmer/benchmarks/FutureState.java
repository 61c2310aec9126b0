package dev.simmer.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** JMH state for the CompletableFuture peer: one single-thread executor per trial. */
@State(Scope.Benchmark)
public class FutureState {
    final FuturePeer future = new FuturePeer();

    /** Stops the executor's thread at the end of the trial. */
    @TearDown
    public void close() {
        future.close();
    }
}
