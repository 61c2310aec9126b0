/**
 * Non-blocking I/O on the event loop, in the shape of asyncio's streams: TCP and Unix-domain
 * connections and servers ({@link dev.simmer.io.Streams}, {@link dev.simmer.io.StreamReader},
 * {@link dev.simmer.io.StreamWriter}, {@link dev.simmer.io.Server}) and suspending readiness
 * waits for code that drives NIO channels itself ({@link dev.simmer.io.Readiness}).
 *
 * <p>Everything here runs on the loop thread: a read or a drain suspends the calling task
 * while other tasks run, and the loop waits for the network in a {@link java.nio.channels.Selector}
 * together with its timers.
 */
package dev.simmer.io;
