package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Python Async/Await: Write Non-Blocking Code from Scratch, practice exercise 6: synchronous
 * code refactored into coroutines.
 *
 * <pre>
 * The synchronous code below processes users sequentially. Refactor it to use async def
 * syntax that *would* run concurrently with asyncio.gather(). Keep the same logic but:
 * 1. Make fetch_user an async def
 * 2. Make process_all an async def that uses await on each fetch_user call
 * 3. After the definitions, print Refactored to async to confirm.
 * </pre>
 *
 * <p>The tutorial does not show the synchronous code; here {@code fetch_user} waits a second
 * for its user, as this Python does:
 *
 * <pre>
 * async def fetch_user(user_id):
 *     await asyncio.sleep(1)          # was: time.sleep(1)
 *     return f"User {user_id}"
 *
 * async def process_all(user_ids):
 *     results = []
 *     for user_id in user_ids:
 *         results.append(await fetch_user(user_id))
 *     return results
 *
 * print("Refactored to async")
 * </pre>
 *
 * <p>A Java coroutine is a plain method that suspends (here in {@link Async#sleep}), so the
 * refactoring changes the waiting call, not the signatures, and "await on each fetch_user
 * call" is the call itself. Like the Python, the program only prints the confirmation; its
 * test runs {@code processAll}.
 */
public final class RefactoredAsync extends Example {
    /** The example, printing to {@code out}. */
    public RefactoredAsync(PrintStream out) {
        super(out);
    }

    static String fetchUser(int userId) {
        Async.sleep(Duration.ofSeconds(1)); // was: Thread.sleep(1000)
        return "User " + userId;
    }

    static List<String> processAll(List<Integer> userIds) {
        List<String> results = new ArrayList<>();
        for (int id : userIds) {
            results.add(fetchUser(id)); // await fetch_user(id)
        }
        return results;
    }

    @Override
    public void run() {
        print("Refactored to async");
    }
}
