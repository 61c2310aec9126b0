package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.StreamReader;
import dev.simmer.io.StreamWriter;
import dev.simmer.io.Streams;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Async Intro's "Example: Fetching Multiple URLs" (its twin is {@link FetchUrls}) over
 * real sockets, with no network needed, for the guide's I/O chapter: the example starts a
 * small HTTP server of its own on loopback (each answer takes a second, like a slow API),
 * then fetches three URLs one by one and concurrently, twice: with a small HTTP client
 * written on Simmer's streams, and with {@code java.net.http.HttpClient} awaited through
 * {@link Async#await}. Both print the times: three seconds one by one, one gathered.
 *
 * <pre>
 * async def fetch_all_async_style():
 *     async with aiohttp.ClientSession() as session:
 *         tasks = [fetch_url(session, url) for url in urls]
 *         results = await asyncio.gather(*tasks)
 * </pre>
 *
 * <p>The {@code HttpClient} half works on its own threads, so it runs in real time even
 * under a virtual clock (awaited futures stop the clock); its test runs on the real clock.
 */
public final class FetchUrlsLocal extends Example {
    private final Duration delay;
    private final boolean withHttpClient;

    /** The example with one-second answers and both clients, printing to {@code out}. */
    public FetchUrlsLocal(PrintStream out) {
        this(out, Duration.ofSeconds(1), true);
    }

    /** The example with answers that take {@code delay}; the HttpClient half only if {@code withHttpClient}. */
    public FetchUrlsLocal(PrintStream out, Duration delay, boolean withHttpClient) {
        super(out);
        this.delay = delay;
        this.withHttpClient = withHttpClient;
    }

    // ------------------------------------------------------------------ the server

    /** Answers one HTTP/1.1 request with a body of 100 bytes per letter of the path, after {@code delay}. */
    private void serveHttp(StreamReader reader, StreamWriter writer) throws Exception {
        String requestLine = reader.readLineUtf8();
        if (requestLine == null) {
            return;
        }
        String line;
        while ((line = reader.readLineUtf8()) != null && !line.isEmpty()) {
            // headers: not needed here
        }
        Async.sleep(delay); // a slow backend
        String path = requestLine.split(" ")[1];
        byte[] body = "x".repeat(100 * path.length()).getBytes(StandardCharsets.UTF_8);
        writer.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n");
        writer.write(body);
        writer.drain();
    }

    // ------------------------------------------------------------------ a client on Simmer streams

    /** GET {@code url} over a new connection; returns the body. Enough HTTP/1.1 for this server. */
    static String get(URI url) throws Exception {
        try (Connection c = Streams.openConnection(url.getHost(), url.getPort())) {
            c.writer().write("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nConnection: close\r\n\r\n");
            String status = c.reader().readLineUtf8();
            if (status == null || !status.startsWith("HTTP/1.1 200")) {
                throw new IOException("GET " + url + " answered " + status);
            }
            int length = -1;
            String header;
            while ((header = c.reader().readLineUtf8()) != null && !header.isEmpty()) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            byte[] body = length >= 0 ? c.reader().readExactly(length) : c.reader().read(-1);
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ the program

    private void oneByOne(List<URI> urls, Fetcher fetch) throws Exception {
        for (URI url : urls) {
            print("Fetched " + fetch.get(url).length() + " bytes from " + url.getPath());
        }
    }

    private void gathered(List<URI> urls, Fetcher fetch) throws Exception {
        List<AsyncCallable<String>> tasks = new ArrayList<>();
        for (URI url : urls) {
            tasks.add(() -> fetch.get(url));
        }
        List<String> results = Async.gather(tasks);
        for (int i = 0; i < urls.size(); i++) {
            print("Fetched " + results.get(i).length() + " bytes from " + urls.get(i).getPath());
        }
    }

    @FunctionalInterface
    private interface Fetcher {
        String get(URI url) throws Exception;
    }

    private void both(String client, List<URI> urls, Fetcher fetch) throws Exception {
        print(client + ", one by one:");
        long start = now();
        oneByOne(urls, fetch);
        print("Time: " + secondsSince(start));
        print(client + ", gathered:");
        start = now();
        gathered(urls, fetch);
        print("Time: " + secondsSince(start));
    }

    @Override
    public void run() throws Exception {
        try (Server server = Streams.startServer(this::serveHttp, "127.0.0.1", 0)) {
            String base = "http://127.0.0.1:" + server.port();
            List<URI> urls = List.of(URI.create(base + "/users/python"), URI.create(base + "/users/github"),
                    URI.create(base + "/users/torvalds"));
            both("Simmer streams", urls, FetchUrlsLocal::get);
            if (withHttpClient) {
                try (FetchUrlsHttp.ClientSession session = new FetchUrlsHttp.ClientSession()) {
                    both("java.net.http", urls, session::get);
                }
            }
        }
    }
}
