package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.io.Connection;
import dev.simmer.io.Server;
import dev.simmer.io.StreamReader;
import dev.simmer.io.StreamWriter;
import dev.simmer.io.Streams;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * An echo server and its client on one loop: the TCP echo pair of asyncio's streams
 * documentation. The server listens on a free loopback port; the client connects, sends a
 * message, reads the echo and closes.
 *
 * <pre>
 * async def handle_echo(reader, writer):
 *     data = await reader.read(100)
 *     message = data.decode()
 *     print(f"Received {message!r}")
 *     writer.write(data)
 *     await writer.drain()
 *     print("Close the connection")
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def tcp_echo_client(message, port):
 *     reader, writer = await asyncio.open_connection('127.0.0.1', port)
 *     print(f'Send: {message!r}')
 *     writer.write(message.encode())
 *     await writer.drain()
 *     data = await reader.read(100)
 *     print(f'Received: {data.decode()!r}')
 *     print('Close the connection')
 *     writer.close()
 *     await writer.wait_closed()
 *
 * async def main():
 *     server = await asyncio.start_server(handle_echo, '127.0.0.1', 0)
 *     async with server:
 *         await tcp_echo_client('Hello World!', server.sockets[0].getsockname()[1])
 * </pre>
 */
public final class EchoServer extends Example {
    /** The example, printing to {@code out}. */
    public EchoServer(PrintStream out) {
        super(out);
    }

    private void handleEcho(StreamReader reader, StreamWriter writer) throws Exception {
        byte[] data = reader.read(100);
        String message = new String(data, StandardCharsets.UTF_8);
        print("Server received '" + message + "'");
        writer.write(data);
        writer.drain();
        print("Server: close the connection");
        writer.close();
        writer.waitClosed();
    }

    private void tcpEchoClient(String message, int port) throws Exception {
        try (Connection c = Streams.openConnection("127.0.0.1", port)) {
            print("Send: '" + message + "'");
            c.writer().write(message);
            c.writer().drain();
            byte[] data = c.reader().read(100);
            print("Received: '" + new String(data, StandardCharsets.UTF_8) + "'");
            print("Close the connection");
        }
    }

    @Override
    public void run() throws Exception {
        try (Server server = Streams.startServer(this::handleEcho, "127.0.0.1", 0)) {
            print("Serving on a loopback port");
            tcpEchoClient("Hello World!", server.port());
            Async.sleep(java.time.Duration.ofMillis(10)); // let the server finish its goodbye
        }
    }
}
