package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.Runner;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Child processes with streams for their pipes (Unix tools: sh, cat, sort). */
@EnabledOnOs({OS.LINUX, OS.MAC})
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SubprocessTest {

    @Test
    void writeStdinReadStdoutLineByLineAndTheExitCode() throws Exception {
        List<String> got = Async.run(() -> {
            try (Subprocess p = Subprocess.start("sort")) {
                p.stdin().write("pear\napple\nfig\n");
                p.stdin().close();
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = p.stdout().readLineUtf8()) != null) {
                    lines.add(line);
                }
                lines.add("exit " + p.waitFor());
                return lines;
            }
        });
        assertThat(got).containsExactly("apple", "fig", "pear", "exit 0");
    }

    @Test
    void stderrAndANonZeroExit() throws Exception {
        List<String> got = Runner.create().virtualTime(true).run(() -> {
            try (Subprocess p = Subprocess.start("sh", "-c", "echo out; echo err >&2; exit 3")) {
                return List.of(p.stdout().readLineUtf8(), p.stderr().readLineUtf8(), "exit " + p.waitFor(),
                        String.valueOf(p.stdout().readLineUtf8()));
            }
        });
        assertThat(got).containsExactly("out", "err", "exit 3", "null");
    }

    @Test
    void cancellingTheWaitKillsTheProcess() throws Exception {
        long[] pid = new long[1];
        Async.run(() -> {
            try (Subprocess p = Subprocess.start("sleep", "60")) {
                pid[0] = p.pid();
                Task<Integer> waiting = Async.createTask(p::waitFor);
                Async.sleep(Duration.ofMillis(50));
                waiting.cancel();
                assertThatThrownBy(waiting::await).isInstanceOf(CancelledException.class);
                assertThat(p.waitFor()).as("exit code of a killed process").isNotZero();
                assertThat(p.isAlive()).isFalse();
            }
        });
        assertThat(ProcessHandle.of(pid[0]).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void aCancelledReadLosesNoOutput() throws Exception {
        // Real time: a pipe read waiting on its pump thread is work in flight, and a virtual
        // clock does not jump past work in flight, so the sleep below would never end.
        String got = Async.run(() -> {
            try (Subprocess p = Subprocess.start("cat")) {
                Task<byte[]> reading = Async.createTask(() -> p.stdout().readExactly(6));
                p.stdin().write("abc");
                while (p.stdout().buffered() < 3) {
                    Async.sleep(Duration.ofMillis(1)); // the pipe is pumped by a thread: real time passes
                }
                reading.cancel();
                assertThatThrownBy(reading::await).isInstanceOf(CancelledException.class);
                p.stdin().write("def");
                p.stdin().close();
                return new String(p.stdout().readExactly(6));
            }
        });
        assertThat(got).isEqualTo("abcdef");
    }

    @Test
    void aLargeOutputStreamsThroughInBoundedMemory() throws Exception {
        long total = Runner.create().virtualTime(true).run(() -> {
            try (Subprocess p = Subprocess.start("sh", "-c", "head -c 5000000 /dev/zero")) {
                long n = 0;
                byte[] b;
                while ((b = p.stdout().read(65536)).length > 0) {
                    n += b.length;
                    assertThat(p.stdout().buffered()).isLessThanOrEqualTo(StreamOptions.DEFAULT_LIMIT + 16 * 1024);
                }
                assertThat(p.waitFor()).isZero();
                return n;
            }
        });
        assertThat(total).isEqualTo(5_000_000L);
    }
    @Test
    void closingStdinWaitsForTheLastWriteAndReportsAProcessThatStoppedReading() throws Exception {
        Throwable thrown = Async.run(() -> {
            try (Subprocess p = Subprocess.start("true")) { // exits at once, reading nothing
                assertThat(p.waitFor()).isZero();
                p.stdin().write(new byte[1000]); // one batch: the pipe takes it all, close() must wait for it
                p.stdin().close();
                return catchThrowable(() -> p.stdin().waitClosed());
            }
        });
        assertThat(thrown).as("the broken pipe of the last write, not lost").isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aStartCancelledAtAnyMomentLeavesNoProcessBehind() throws Exception {
        int[] outcomes = new int[2]; // [0]: cancelled in time, [1]: the start won the race (its process closed)
        Async.run(() -> {
            for (int i = 0; i < 20; i++) {
                Task<Subprocess> starting = Async.createTask(() -> Subprocess.start("sleep", "30"));
                switch (i % 4) {
                    case 0 -> { } // before its first step: start() is never called
                    case 1 -> Async.yieldNow(); // just after it handed the start to a thread
                    case 2 -> {
                        for (int y = 0; y < 3; y++) {
                            Async.yieldNow();
                        }
                    }
                    default -> Async.sleep(Duration.ofMillis(i / 4)); // real time: the fork may be under way, or done
                }
                starting.cancel();
                try (Subprocess won = starting.await()) {
                    assertThat(won.pid()).isPositive(); // the start won the race: close() kills it
                    outcomes[1]++;
                } catch (CancelledException expected) {
                    outcomes[0]++;
                }
            }
            return null;
        });
        assertThat(outcomes[0]).as("starts cancelled").isPositive();
        assertThat(leftoverChildren("sleep")).as("sleep children still alive").isEmpty();
    }

    @Test
    void aCancelledWaitReturnsOnlyOnceTheProcessHasEnded() throws Exception {
        Async.run(() -> {
            for (int i = 0; i < 20; i++) {
                try (Subprocess p = Subprocess.start("sleep", "30")) {
                    Task<Integer> waiting = Async.createTask(p::waitFor);
                    Async.yieldNow(); // it waits for the exit now
                    waiting.cancel();
                    assertThatThrownBy(waiting::await).isInstanceOf(CancelledException.class);
                    assertThat(p.isAlive()).as("alive once the cancelled waitFor returned (round %d)", i).isFalse();
                }
            }
            return null;
        });
    }

    /**
     * The children of this JVM running {@code program}, once those on their way out have
     * ended (a bounded wait on the real clock); any found are killed, so that a failure does
     * not leave them running.
     */
    private static List<ProcessHandle> leftoverChildren(String program) throws Exception {
        List<ProcessHandle> found = ProcessHandle.current().children()
                .filter(h -> h.info().command().map(c -> c.endsWith("/" + program) || c.equals(program)).orElse(false))
                .toList();
        try {
            CompletableFuture.allOf(found.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(5, TimeUnit.SECONDS);
        } catch (TimeoutException stillRunning) {
            // reported below
        }
        List<ProcessHandle> left = found.stream().filter(ProcessHandle::isAlive).toList();
        left.forEach(ProcessHandle::destroyForcibly);
        return left;
    }
}
