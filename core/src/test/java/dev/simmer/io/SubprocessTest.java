package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.Runner;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
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
    void callsFromAnotherThreadAreRefusedAndChangeNothing() throws Exception {
        try (dev.simmer.LoopThread lt = dev.simmer.LoopThread.start()) {
            Subprocess p = lt.submit(() -> Subprocess.start("cat")).get(10, TimeUnit.SECONDS);
            for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert
                    .ThrowingCallable>of(p::close, p::kill, p::waitFor, () -> p.stdin().write("x\n"),
                    () -> p.stdin().close(), () -> p.stdout().readLine())) {
                assertThat(catchThrowable(call)).isInstanceOf(IllegalStateException.class).hasMessageContaining("submit(");
            }
            assertThat(p.isAlive()).isTrue();
            String echoed = lt.submit(() -> {
                try (p) {
                    p.stdin().write("still there\n");
                    return p.stdout().readLineUtf8();
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(echoed).isEqualTo("still there");
            assertThat(p.isAlive()).isFalse();
        }
    }

    @Test
    void startOutsideATaskIsRefusedBeforeAnyProcessStarts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path mark = dir.resolve("started");
        Throwable refused = catchThrowable(() -> Subprocess.start("touch", mark.toString()));
        assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("Subprocess.start(...)")
                .hasMessageContaining("it did nothing");
        Async.run(() -> {
            try (Subprocess p = Subprocess.start("true")) {
                p.waitFor(); // a process run after the refusal has ended: one started by it would have too
            }
        });
        assertThat(mark).as("no process was started").doesNotExist();
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

    @Test
    void cancellingATaskReadingStdoutKillsTheProcessThroughClose() throws Exception {
        Subprocess[] started = new Subprocess[1];
        Async.run(() -> {
            Task<String> reader = Async.createTask(() -> {
                try (Subprocess p = Subprocess.start("sh", "-c", "echo ready; exec sleep 30")) {
                    assertThat(p.stdout().readLineUtf8()).isEqualTo("ready");
                    started[0] = p;
                    return p.stdout().readLineUtf8(); // nothing more comes: it waits until cancelled
                }
            });
            while (started[0] == null) {
                Async.sleep(Duration.ofMillis(1)); // real time: the pipe is pumped by a thread
            }
            Async.yieldNow(); // the reader is in its second read now
            reader.cancel();
            assertThatThrownBy(reader::await).isInstanceOf(CancelledException.class);
            Subprocess p = started[0];
            assertThat(p.isAlive()).as("the process, killed by close()").isFalse();
            assertThat(p.stdout().readLineUtf8()).as("stdout, closed here: its end").isNull();
            assertThat(p.stderr().readLineUtf8()).as("stderr, closed here: its end").isNull();
            assertThatThrownBy(() -> p.stdin().write("x")).as("stdin, closed").isInstanceOf(IllegalStateException.class);
            return null;
        });
        assertThat(leftoverChildren("sleep")).isEmpty();
    }

    @Test
    void writingToAChildThatExitedEarlyFailsWithAnIOExceptionRatherThanHanging() throws Exception {
        long[] pid = new long[1];
        Throwable thrown = Async.run(() -> {
            try (Subprocess p = Subprocess.start("head", "-c", "10")) { // reads 10 bytes, then exits
                pid[0] = p.pid();
                byte[] block = new byte[64 * 1024];
                return catchThrowable(() -> {
                    for (int i = 0; i < 1000; i++) { // 64 MB: far more than a pipe holds
                        p.stdin().write(block);
                        p.stdin().drain();
                    }
                });
            }
        });
        // The JDK says "Broken pipe" or "Stream closed", depending on whether it has seen the exit yet
        assertThat(thrown).isInstanceOf(IOException.class)
                .hasMessageStartingWith("Cannot write to the stdin of process " + pid[0] + ": ");
    }

    @Test
    void stdoutAndStderrReadConcurrentlyByTwoTasksWithLargeOutputOnBoth() throws Exception {
        long[] totals = Async.run(() -> {
            String script = "head -c 3000000 /dev/zero & head -c 2000000 /dev/zero >&2; wait";
            try (Subprocess p = Subprocess.start("sh", "-c", script)) {
                Task<Long> out = Async.createTask(() -> drainCounting(p.stdout()));
                Task<Long> err = Async.createTask(() -> drainCounting(p.stderr()));
                long[] got = {out.await(), err.await()};
                assertThat(p.waitFor()).isZero();
                return got;
            }
        });
        assertThat(totals).containsExactly(3_000_000L, 2_000_000L);
    }

    @Test
    void aCommandThatDoesNotExistIsAnIOExceptionNamingIt() throws Exception {
        Throwable thrown = Async.run(() -> catchThrowable(() -> Subprocess.start("simmer-no-such-command", "x")));
        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("simmer-no-such-command");
    }

    private static long drainCounting(StreamReader r) throws Exception {
        long n = 0;
        byte[] b;
        while ((b = r.read(65536)).length > 0) {
            n += b.length;
            assertThat(r.buffered()).isLessThanOrEqualTo(StreamOptions.DEFAULT_LIMIT + 16 * 1024);
        }
        return n;
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
