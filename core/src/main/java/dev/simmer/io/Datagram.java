package dev.simmer.io;

import java.net.SocketAddress;

/**
 * One UDP datagram received by a {@link DatagramEndpoint}: its bytes and who sent it.
 *
 * <p>Thread-safe once received (nothing else holds the array).
 *
 * @param data the payload
 * @param sender the address it came from
 */
public record Datagram(byte[] data, SocketAddress sender) {
}
