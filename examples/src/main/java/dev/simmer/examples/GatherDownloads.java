package dev.simmer.examples;

import dev.simmer.Async;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The Restaurant Kitchen Story, "Using gather: Run All at Once!": three downloads of two
 * seconds each, done in two seconds in all.
 *
 * <pre>
 * async def main():
 *     results = await asyncio.gather(
 *         download("file1"),
 *         download("file2"),
 *         download("file3")
 *     )
 *     print(results) # ['file1', 'file2', 'file3']
 * </pre>
 */
public final class GatherDownloads extends Example {
    /** The example, printing to {@code out}. */
    public GatherDownloads(PrintStream out) {
        super(out);
    }

    @Override
    public void run() throws Exception {
        // Run 3 downloads at the same time!
        List<String> results = Async.gather(
                () -> download("file1"),
                () -> download("file2"),
                () -> download("file3"));
        print(results); // ['file1', 'file2', 'file3']
    }

    private String download(String name) {
        print("Starting " + name);
        Async.sleep(Duration.ofSeconds(2));
        print("Done " + name);
        return name;
    }
}
