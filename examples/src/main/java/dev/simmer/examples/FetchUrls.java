package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Async Programming (Intro), "Example: Fetching Multiple URLs": three requests one after
 * another, then the same three gathered.
 *
 * <pre>
 * async def fetch_url(session, url):
 *     async with session.get(url) as response:
 *         return await response.text()
 *
 * async def fetch_all_sync_style():
 *     async with aiohttp.ClientSession() as session:
 *         for url in urls:
 *             data = await fetch_url(session, url)
 *             print(f"Fetched {len(data)} bytes from {url}")
 *
 * async def fetch_all_async_style():
 *     async with aiohttp.ClientSession() as session:
 *         tasks = [fetch_url(session, url) for url in urls]
 *         results = await asyncio.gather(*tasks)
 *         for url, data in zip(urls, results):
 *             print(f"Fetched {len(data)} bytes from {url}")
 *
 * async def main():
 *     print("Synchronous style:")
 *     start = time.time()
 *     await fetch_all_sync_style()
 *     print(f"Time: {time.time() - start:.2f}s\n")
 *     print("Asynchronous style:")
 *     start = time.time()
 *     await fetch_all_async_style()
 *     print(f"Time: {time.time() - start:.2f}s")
 * </pre>
 *
 * <p>This twin runs offline with a simulated {@link ClientSession}: each request takes
 * {@link #LATENCY} of loop time and answers with a body of the size the tutorial reports. With a
 * fixed latency the concurrent style takes one request's time (0.34 s), where the tutorial's
 * real network measured 0.12 s. {@link FetchUrlsHttp} is the same program over the network.
 */
public final class FetchUrls extends Example {
    /** How long a simulated request takes. */
    public static final Duration LATENCY = Duration.ofMillis(340);

    private static final List<String> URLS = List.of(
            "https://api.github.com/users/python",
            "https://api.github.com/users/github",
            "https://api.github.com/users/torvalds");

    /** The body sizes the tutorial printed. */
    private static final Map<String, Integer> SIZES = Map.of(URLS.get(0), 1263, URLS.get(1), 1241, URLS.get(2), 1223);

    /** The example, printing to {@code out}. */
    public FetchUrls(PrintStream out) {
        super(out);
    }

    /** A simulated {@code aiohttp.ClientSession}: an async resource whose requests suspend. */
    static final class ClientSession implements AutoCloseable {
        /** {@code session.get(url)} and {@code response.text()} in one: waits, then answers. */
        String get(String url) {
            Async.sleep(LATENCY);
            return "x".repeat(SIZES.get(url));
        }

        @Override
        public void close() {
            // a real session would close its connections here, and that could suspend too
        }
    }

    private String fetchUrl(ClientSession session, String url) {
        return session.get(url);
    }

    /** Fetch URLs one by one (slow). */
    private void fetchAllSyncStyle() {
        try (ClientSession session = new ClientSession()) {
            for (String url : URLS) {
                String data = fetchUrl(session, url);
                print("Fetched " + data.length() + " bytes from " + url);
            }
        }
    }

    /** Fetch URLs concurrently (fast). */
    private void fetchAllAsyncStyle() throws Exception {
        try (ClientSession session = new ClientSession()) {
            List<AsyncCallable<String>> tasks = new ArrayList<>();
            for (String url : URLS) {
                tasks.add(() -> fetchUrl(session, url));
            }
            List<String> results = Async.gather(tasks);
            for (int i = 0; i < URLS.size(); i++) {
                print("Fetched " + results.get(i).length() + " bytes from " + URLS.get(i));
            }
        }
    }

    @Override
    public void run() throws Exception {
        print("Synchronous style:");
        long start = now();
        fetchAllSyncStyle();
        print("Time: " + secondsSince(start) + "\n");

        print("Asynchronous style:");
        start = now();
        fetchAllAsyncStyle();
        print("Time: " + secondsSince(start));
    }
}
