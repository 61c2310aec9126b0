package dev.simmer.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The echo workload on virtual threads with blocking sockets: a {@link ServerSocket} whose
 * accepting virtual thread starts one per connection (read, write back), and
 * {@code connections} client {@link Socket}s, opened once; an invocation runs one virtual
 * thread per client and joins them. The scheduler is the fork's (one carrier, or the
 * default). Thread-safe: the benchmark thread only starts and joins virtual threads.
 */
final class VirtualThreadEcho implements AutoCloseable {
    private static final int READ = 16 * 1024;

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> accepted = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final byte[] message;

    VirtualThreadEcho(int connections, int size) throws IOException {
        message = Echo.message(size);
        server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("echo-acceptor").start(this::acceptAll);
        for (int i = 0; i < connections; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            s.setTcpNoDelay(true);
            clients.add(s);
        }
    }

    private void acceptAll() {
        try {
            while (true) {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                synchronized (accepted) {
                    accepted.add(s);
                }
                Thread.ofVirtual().start(() -> echo(s));
            }
        } catch (IOException closed) {
            // the server socket was closed: the trial is over
        }
    }

    private static void echo(Socket s) {
        byte[] buf = new byte[READ];
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
        } catch (SocketException closed) {
            // the client side closed at the end of the trial
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every client, on a virtual thread of its own, sends {@code rounds} messages and reads each echo; returns the bytes echoed. */
    long exchange(int rounds) throws Exception {
        List<Future<Long>> running = new ArrayList<>(clients.size());
        for (Socket s : clients) {
            running.add(threads.submit(() -> roundTrips(s, rounds)));
        }
        long bytes = 0;
        for (Future<Long> f : running) {
            bytes += f.get();
        }
        return bytes;
    }

    private long roundTrips(Socket s, int rounds) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] back = new byte[message.length];
        byte last = message[message.length - 1];
        long bytes = 0;
        for (int i = 0; i < rounds; i++) {
            out.write(message);
            int n = in.readNBytes(back, 0, back.length);
            if (n < back.length) {
                throw new IOException("the echo server closed the connection after " + n + " of " + back.length + " bytes");
            }
            Echo.check(back[back.length - 1], last);
            bytes += n;
        }
        return bytes;
    }

    @Override
    public void close() throws Exception {
        for (Socket s : clients) {
            s.close();
        }
        server.close();
        acceptor.join();
        synchronized (accepted) {
            for (Socket s : accepted) {
                s.close();
            }
        }
        threads.close();
    }
}
