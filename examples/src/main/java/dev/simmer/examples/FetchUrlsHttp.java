package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;

/**
 * The Async Intro's "Example: Fetching Multiple URLs" over the network, for the guide's I/O
 * chapter: the same program as its twin, {@link FetchUrls}, with
 * {@code java.net.http.HttpClient} in place of aiohttp.
 *
 * <pre>
 * async def fetch_url(session, url):
 *     async with session.get(url) as response:
 *         return await response.text()
 * </pre>
 *
 * <p>A request is sent with {@code sendAsync} and its {@code CompletableFuture} awaited
 * with {@link Async#await}: the task waits, the loop does not. Closing the client blocks
 * until its connections are closed, so {@code close()} hands that to a thread with
 * {@link Async#toThread}. Needs the network; the timings are the network's.
 */
@SuppressWarnings("try") // ClientSession.close() declares what Async.toThread does; a cancel comes as CancelledException, never InterruptedException
public final class FetchUrlsHttp extends Example {
    /** The tutorial's URLs. */
    public static final List<URI> GITHUB_USERS = List.of(
            URI.create("https://api.github.com/users/python"),
            URI.create("https://api.github.com/users/github"),
            URI.create("https://api.github.com/users/torvalds"));

    private final List<URI> urls;

    /** The example over the tutorial's URLs, printing to {@code out}. */
    public FetchUrlsHttp(PrintStream out) {
        this(out, GITHUB_USERS);
    }

    /** The example over {@code urls}, printing to {@code out}. */
    public FetchUrlsHttp(PrintStream out, List<URI> urls) {
        super(out);
        this.urls = List.copyOf(urls);
    }

    /** {@code aiohttp.ClientSession} on {@code java.net.http}; an async resource. */
    static final class ClientSession implements AutoCloseable {
        private final HttpClient client = HttpClient.newHttpClient();

        /** {@code session.get(url)} and {@code response.text()}: suspends until the body has come. */
        String get(URI url) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(url).build();
            return Async.await(client.sendAsync(request, BodyHandlers.ofString())).body();
        }

        @Override
        public void close() throws Exception {
            Async.toThread(() -> {
                client.close(); // blocks until the client's connections are closed
                return null;
            });
        }
    }

    private String fetchUrl(ClientSession session, URI url) throws Exception {
        return session.get(url);
    }

    /** Fetch URLs one by one (slow). */
    private void fetchAllSyncStyle() throws Exception {
        try (ClientSession session = new ClientSession()) {
            for (URI url : urls) {
                String data = fetchUrl(session, url);
                print("Fetched " + data.length() + " bytes from " + url);
            }
        }
    }

    /** Fetch URLs concurrently (fast). */
    private void fetchAllAsyncStyle() throws Exception {
        try (ClientSession session = new ClientSession()) {
            List<AsyncCallable<String>> tasks = new ArrayList<>();
            for (URI url : urls) {
                tasks.add(() -> fetchUrl(session, url));
            }
            List<String> results = Async.gather(tasks);
            for (int i = 0; i < urls.size(); i++) {
                print("Fetched " + results.get(i).length() + " bytes from " + urls.get(i));
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
