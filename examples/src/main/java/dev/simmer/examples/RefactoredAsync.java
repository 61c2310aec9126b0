package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed 002, practice exercise 6: synchronous code refactored into coroutines.
 *
 * <pre>
 * The synchronous code below processes users sequentially. Refactor it to use async def
 * syntax that *would* run concurrently with asyncio.gather(). Keep the same logic but:
 * 1. Make fetch_user an async def
 * 2. Make process_all an async def that uses await on each fetch_user call
 * 3. After the definitions, print Refactored to async to confirm.
 * </pre>
 *
 * <p>The seed does not show the synchronous code; here {@code fetch_user} waits a second
 * for its user. A Java coroutine is a plain method that suspends (here in
 * {@link Async#sleep}), so the refactoring changes the waiting call, not the signatures.
 * Beyond the exercise, this twin then runs {@code process_all} (three seconds, one user
 * after another) and prints its result.
 */
public final class RefactoredAsync extends Example {
    /** The example, printing to {@code out}. */
    public RefactoredAsync(PrintStream out) {
        super(out);
    }

    private String fetchUser(int userId) {
        Async.sleep(Duration.ofSeconds(1)); // was: time.sleep(1)
        return "User " + userId;
    }

    private List<String> processAll(List<Integer> userIds) {
        List<String> results = new ArrayList<>();
        for (int id : userIds) {
            results.add(fetchUser(id)); // await fetch_user(id)
        }
        return results;
    }

    @Override
    public void run() {
        print("Refactored to async");

        print(processAll(List.of(1, 2, 3)));
    }
}
