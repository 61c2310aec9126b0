package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Threads (asyncio's {@code to_thread} and awaiting a {@code concurrent.futures.Future}):
 * blocking and CPU-heavy work leaves the loop thread, and the task waits for it without
 * blocking anyone.
 *
 * <pre>
 * recipe = await asyncio.to_thread(pathlib.Path(path).read_text)   # blocking I/O off the loop
 * digest = await asyncio.wrap_future(pool.submit(sha256, recipe))    # a future from a pool
 * </pre>
 *
 * <p>{@link Async#toThread} runs the call on a virtual thread; {@link Async#await(java.util.concurrent.CompletionStage)}
 * waits for any {@code CompletableFuture}, completed on any thread. Both suspend the task,
 * not the loop, and both count as work in flight, so the loop waits for them (a virtual
 * clock does not jump past them, and they are not mistaken for a deadlock).
 */
public final class ToThread extends Example {
    /** The example, printing to {@code out}. */
    public ToThread(PrintStream out) {
        super(out);
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void run() throws Exception {
        Path file = Async.toThread(() -> Files.writeString(Files.createTempFile("recipe", ".txt"), "Boil water. Add pasta."));
        try {
            String recipe = Async.toThread(() -> Files.readString(file)); // blocking I/O off the loop
            print("recipe: " + recipe);

            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CompletableFuture<String> hashing = CompletableFuture.supplyAsync(() -> sha256(recipe), pool);
                String digest = Async.await(hashing); // suspends this task, not the loop
                print("sha-256: " + digest + "...");
            } finally {
                pool.shutdown(); // does not wait: close() would block the loop thread
            }
        } finally {
            Async.toThread(() -> Files.deleteIfExists(file));
        }
    }
}
