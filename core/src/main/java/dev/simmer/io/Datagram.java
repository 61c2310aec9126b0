package dev.simmer.io;

import java.net.SocketAddress;

/**
 * One UDP datagram received by a {@link DatagramEndpoint}: its bytes and who sent it.
 *
 * <pre>{@code
 * Datagram d = endpoint.receive();
 * String text = new String(d.data(), StandardCharsets.UTF_8);
 * endpoint.send(text.toUpperCase().getBytes(StandardCharsets.UTF_8), d.sender());   // answer the sender
 * }</pre>
 *
 * <p>Thread-safe once received (nothing else holds the array).
 *
 * @param data the payload (cut to the endpoint's {@link DatagramEndpoint#maxDatagramSize()} if it was longer)
 * @param sender the address it came from
 * @param truncated whether the datagram was longer than the endpoint's maximum and {@code data} holds only
 *        its beginning
 */
public record Datagram(byte[] data, SocketAddress sender, boolean truncated) {

    /**
     * A datagram that arrived whole.
     *
     * @param data the payload
     * @param sender the address it came from
     */
    public Datagram(byte[] data, SocketAddress sender) {
        this(data, sender, false);
    }
}
