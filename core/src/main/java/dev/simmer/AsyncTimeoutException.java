package dev.simmer;

/**
 * Thrown by {@link Async#timeout} (and {@link Async#timeoutAt}, {@link Async#waitFor}) when
 * the deadline passed before the body ended (asyncio's {@code TimeoutError}). Unchecked, and
 * deliberately <em>not</em> a {@link java.util.concurrent.CancellationException}: code that
 * handles cancellation must never swallow a timeout by accident. Its cause is the
 * {@link CancelledException} that stopped the body.
 *
 * <pre>{@code
 * try {
 *     String page = Async.timeout(Duration.ofSeconds(5), () -> fetch(url));
 * } catch (AsyncTimeoutException e) {
 *     System.out.println("too slow: " + e.getMessage());
 * }
 * }</pre>
 *
 * Thread-safe (immutable once thrown).
 */
public class AsyncTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which timeout scope threw it (so that timeoutOr catches its own timeout only). */
    final transient Object scope;

    /**
     * A timeout with a message and the cancellation that stopped the body.
     *
     * @param message which timeout passed, for example "timed out after 500 ms"
     * @param cause the cancellation that stopped the body, or {@code null}
     */
    public AsyncTimeoutException(String message, Throwable cause) {
        this(message, cause, null);
    }

    AsyncTimeoutException(String message, Throwable cause, Object scope) {
        super(message, cause);
        this.scope = scope;
    }
}
