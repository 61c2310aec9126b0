package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.internal.Rethrow;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A child process with its stdin, stdout and stderr as streams (asyncio's
 * {@code create_subprocess_exec} with pipes). Process pipes cannot be selected, so each
 * pipe is pumped by a virtual thread, one chunk at a time: a process whose output nobody
 * reads blocks on a full pipe rather than filling memory.
 *
 * <pre>{@code
 * try (Subprocess p = Subprocess.start("sort")) {
 *     p.stdin().write("pear\napple\n");
 *     p.stdin().close();
 *     String line;
 *     while ((line = p.stdout().readLineUtf8()) != null) {
 *         System.out.println(line);                 // apple, pear
 *     }
 *     System.out.println("exit " + p.waitFor());    // exit 0
 * }
 * }</pre>
 *
 * <p>Cancelling a task waiting in {@link #waitFor()} kills the process (as
 * {@code destroyForcibly}) and waits for it to end (unlike asyncio, whose cancelled
 * {@code wait()} leaves the process running). Cancelling a task in {@link #start} does the
 * same to a process whose start was under way. {@link #close()} kills the process if it
 * still runs and waits for it, so try-with-resources leaves no process behind. Each of these
 * waits is in the cancelled task's cleanup; a second cancel cuts it short, and the process
 * is still killed.
 *
 * <p>Under a virtual clock, a read waiting for a pipe is thread-side work in flight (like
 * {@link Async#toThread}), so the clock does not move while one waits, and timers due
 * meanwhile wait for the read to complete. Test code that sleeps while a subprocess runs on
 * the real clock.
 *
 * <p>Must be called from the loop thread; waiting calls ({@code waitFor}, {@code close}) from
 * inside a task. A call from another thread is refused with an {@link IllegalStateException}
 * that changes nothing; {@link #pid()}, {@link #isAlive()}, the stream getters and
 * {@code toString()} are thread-safe.
 */
public final class Subprocess implements AutoCloseable {
    private final EventLoop loop;
    private final Process process;
    private final StreamWriter stdin;
    private final StreamReader stdout;
    private final StreamReader stderr;
    private final PipeSource out;
    private final PipeSource err;

    private Subprocess(EventLoop loop, Process process, int limit) {
        this.loop = loop;
        this.process = process;
        String id = "process " + process.pid();
        this.out = new PipeSource(process.getInputStream(), id + " stdout");
        this.err = new PipeSource(process.getErrorStream(), id + " stderr");
        this.stdout = new StreamReader(loop, out, limit);
        this.stderr = new StreamReader(loop, err, limit);
        this.stdin = new StreamWriter(loop, new PipeSink(process.getOutputStream(), id + " stdin",
                e -> stdinFailure(process, e)), 64 * 1024, 16 * 1024);
    }

    /**
     * A failed write to the process's stdin, saying what happened: once the child has exited,
     * the JDK answers a write with a bare "Stream closed" or "Broken pipe".
     */
    private static IOException stdinFailure(Process process, IOException e) {
        String why = process.isAlive() ? "it no longer reads its input"
                : "it has exited (code " + process.exitValue() + ")";
        return new IOException("Cannot write to the stdin of process " + process.pid() + ": " + why
                + " (" + e.getMessage() + ")", e);
    }

    /**
     * Starts {@code command} (the program and its arguments; no shell) with all three pipes.
     *
     * @param command the program, then its arguments, passed as they are (no shell splits or expands them)
     * @return the running process, its three pipes open
     * @throws Exception an {@link java.io.IOException} if the program cannot be started (not found, not
     *     executable)
     */
    public static Subprocess start(String... command) throws Exception {
        return start(new ProcessBuilder(command));
    }

    /**
     * Starts {@code command} (the program and its arguments; no shell) with all three pipes.
     *
     * @param command the program, then its arguments, passed as they are
     * @return the running process, its three pipes open
     * @throws Exception an {@link java.io.IOException} if the program cannot be started
     */
    public static Subprocess start(List<String> command) throws Exception {
        return start(new ProcessBuilder(command));
    }

    /**
     * Starts the process {@code builder} describes (its directory and environment apply; its
     * redirects are replaced by pipes). The start itself, which forks, runs off the loop.
     * Cancelling the task meanwhile kills the process if it was started, closes its pipes and
     * waits for it to end before the {@link CancelledException} comes out (as asyncio's
     * {@code create_subprocess_exec}): a cancelled start leaves no process behind.
     *
     * @param builder the command, directory and environment; its redirects are changed to pipes
     * @return the running process, its three pipes open
     * @throws Exception an {@link java.io.IOException} if the program cannot be started
     */
    public static Subprocess start(ProcessBuilder builder) throws Exception {
        Objects.requireNonNull(builder, "builder");
        EventLoop loop = LoopConfined.requireTask("Subprocess.start(...)"); // before a process is started
        dev.simmer.internal.Network network = dev.simmer.internal.Networks.of(loop);
        if (network != null) {
            throw network.refuse("Subprocess.start (a real process)");
        }
        builder.redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        // Not Async.toThread: a cancelled toThread drops the late result, and a Process dropped
        // is a child left running with its pipes open. The start is a future of our own, so a
        // cancel can still reach the process it brings.
        CompletableFuture<Process> starting = new CompletableFuture<>();
        Thread.ofVirtual().name("simmer-process-start").start(() -> {
            try {
                starting.complete(builder.start());
            } catch (Throwable t) {
                starting.completeExceptionally(t); // an Error too: it comes out of the await below
            }
        });
        Process p;
        try {
            p = Async.await(starting.copy()); // a copy: cancelling the wait does not cancel the start
        } catch (CancelledException e) {
            // As asyncio's create_subprocess_exec: a cancelled start kills what it started and
            // waits for it to end. The discard is registered first, so a second cancel that cuts
            // the wait short still has the process killed whenever the start finishes.
            starting.thenAccept(Subprocess::discard);
            try {
                Async.await(starting.thenCompose(Process::onExit)); // the fork, then the exit: a few ms
            } catch (Exception failedOrCancelledAgain) {
                // the start failed (nothing to discard), or a second cancel: the discard still runs
            }
            throw e;
        }
        return new Subprocess(loop, p, StreamOptions.DEFAULT_LIMIT);
    }

    /** Kills a process nobody will own and closes its pipes; from any thread. */
    private static void discard(Process p) {
        p.destroyForcibly();
        closeQuietly(p.getOutputStream());
        closeQuietly(p.getInputStream());
        closeQuietly(p.getErrorStream());
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // the process is gone: nothing to flush or release
        }
    }

    /**
     * What the process reads: {@link StreamWriter#close()} it to send the end of input.
     *
     * @return the writer of the process's standard input
     */
    public StreamWriter stdin() {
        return stdin;
    }

    /**
     * What the process writes to its standard output.
     *
     * @return the reader of the process's standard output; read it, or a chatty process blocks on a full pipe
     */
    public StreamReader stdout() {
        return stdout;
    }

    /**
     * What the process writes to its standard error.
     *
     * @return the reader of the process's standard error
     */
    public StreamReader stderr() {
        return stderr;
    }

    /**
     * The process id.
     *
     * @return the operating system's id of the process
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Whether it still runs.
     *
     * @return {@code true} while the process has not exited
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Suspends until the process ends and returns its exit code. Cancelling the waiting task
     * kills the process and waits for it to end, so that it has ended when the
     * {@link CancelledException} comes out (asyncio's {@code wait()} would leave it running).
     *
     * <pre>{@code
     * Subprocess p = Subprocess.start("git", "fetch", "--quiet");
     * int code = Async.timeout(Duration.ofSeconds(30), () -> p.waitFor());   // killed if it hangs
     * }</pre>
     *
     * @return the exit code; by convention 0 means success
     * @throws Exception {@link dev.simmer.CancelledException} if the waiting task is cancelled (the process
     *     is killed, and has ended)
     */
    public int waitFor() throws Exception {
        LoopConfined.checkTask(loop, "Subprocess.waitFor()");
        try {
            Async.await(process.onExit().copy());
        } catch (CancelledException e) {
            kill();
            try {
                Async.await(process.onExit().copy()); // killed: it ends at once (a cancelled task may still wait)
            } catch (CancelledException again) {
                // cancelled again: the kill stands, the wait for it is given up
            }
            throw e;
        }
        return process.exitValue();
    }

    /** Asks the process to end (SIGTERM on Unix). */
    public void terminate() {
        LoopConfined.check(loop, "Subprocess.terminate()");
        process.destroy();
    }

    /** Ends the process at once (SIGKILL on Unix). */
    public void kill() {
        LoopConfined.check(loop, "Subprocess.kill()");
        process.destroyForcibly();
    }

    /**
     * Kills the process if it still runs, waits for it, and closes the pipes; may suspend.
     * Declares no checked exception (no {@code -Xlint:try} warning at each use); what the wait
     * throws comes out unchanged.
     */
    @Override
    public void close() {
        LoopConfined.checkTask(loop, "Subprocess.close()");
        try {
            if (process.isAlive()) {
                kill();
                Async.await(process.onExit().copy());
            }
        } catch (Exception e) {
            throw Rethrow.unchecked(e);
        } finally {
            stdin.abort();
            out.close();
            err.close();
        }
    }

    @Override
    public String toString() {
        return "Subprocess[pid " + process.pid() + (process.isAlive() ? ", running" : ", exit " + process.exitValue()) + "]";
    }
}
