package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.Task;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The Restaurant Kitchen Story, "Creating a Task": schedule a coroutine, do other work, then
 * await it.
 *
 * <pre>
 * async def download(name):
 *     print(f"Starting {name}")
 *     await asyncio.sleep(2)
 *     print(f"Done {name}")
 *     return name
 *
 * async def main():
 *     task = asyncio.create_task(download("file1"))
 *     print("Doing other work...")
 *     result = await task
 * </pre>
 *
 * <p>As in asyncio the task starts when main first waits, so "Doing other work..." comes
 * before "Starting file1". Like the tutorial's, main does not print the result: {@code await}
 * gives it, the task's return value.
 */
public final class CreateTask extends Example {
    /** The example, printing to {@code out}. */
    public CreateTask(PrintStream out) {
        super(out);
    }

    @Override
    public void run() throws Exception {
        // Create a task (it starts as soon as main waits)
        Task<String> task = Async.createTask(() -> download("file1"));
        // Do other stuff while it runs
        print("Doing other work...");
        // Wait for task to finish
        String result = task.await();
    }

    private String download(String name) {
        print("Starting " + name);
        Async.sleep(Duration.ofSeconds(2));
        print("Done " + name);
        return name;
    }
}
