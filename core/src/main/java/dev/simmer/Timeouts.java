package dev.simmer;

import java.time.Duration;

/**
 * {@link Async#timeout} and its variants, built on task cancellation (asyncio's
 * {@code asyncio.timeout}): a timer cancels the current task at the deadline, and the scope
 * turns that one cancellation, and only that one, into an {@link AsyncTimeoutException}.
 *
 * <p>Must be called from inside a task.
 */
final class Timeouts {
    /*
     * Overview: on entry the scope notes how many cancellation requests the task already has
     * (`before`). When its timer fires it cancels the task (one more request) and marks
     * itself expired. On exit, if it expired, it withdraws its request (uncancel); if no
     * other request remains beyond `before`, the CancelledException is its own and becomes a
     * timeout. If someone else also cancelled the task (an outer timeout, a group, a caller),
     * the cancellation propagates unchanged. This is what makes nested timeouts report the
     * one that fired, and keeps a timeout from swallowing an outer cancellation that arrives
     * as the body ends (CPython issues 86296, 116720).
     */
    private Timeouts() {
    }

    static <T> T at(long deadline, String description, AsyncCallable<T> body) throws Exception {
        return at(deadline, description, body, null);
    }

    /** {@link #at} whose AsyncTimeoutException carries {@code scope}, to be told apart from inner ones. */
    static <T> T at(long deadline, String description, AsyncCallable<T> body, Object scope) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.timeout");
        Task<?> task = loop.requireTask("Async.timeout");
        int before = task.cancelling();
        boolean[] expired = new boolean[1];
        TimerHandle timer = loop.callAt(deadline, () -> {
            expired[0] = true;
            task.cancel("timed out");
        });
        boolean withdrawn = false;
        try {
            return body.call();
        } catch (CancelledException e) {
            if (expired[0]) {
                withdrawn = true;
                if (task.uncancel() <= before) {
                    throw new AsyncTimeoutException("timed out " + description, e, scope);
                }
            }
            throw e;
        } finally {
            timer.cancel();
            if (expired[0] && !withdrawn) {
                // The timer fired but the body ended (or failed otherwise) before the
                // cancellation reached it: withdraw our request so it hits no later wait.
                task.uncancel();
            }
        }
    }

    /**
     * {@link #after}, returning {@code fallback} when this scope's own deadline passes. An
     * inner timeout passes through. Failures the body's cancellation carried (a child that
     * failed while being cancelled) are reported to the loop's exception handler, since the
     * exception that carried them is not thrown.
     */
    static <T> T afterOr(Duration delay, T fallback, AsyncCallable<T> body) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.timeoutOr");
        Object scope = new Object();
        try {
            return at(saturatedAdd(loop.clock.nanoTime(), delay), "after " + describe(delay), body, scope);
        } catch (AsyncTimeoutException e) {
            if (e.scope != scope) {
                throw e;
            }
            Throwable cancellation = e.getCause();
            if (Completion.carriesFailure(cancellation)) {
                loop.callExceptionHandler(new ErrorReport("Async.timeoutOr returned its fallback; failures that"
                        + " happened while its body was being cancelled are reported here", e, loop.currentTask()));
            }
            return fallback;
        }
    }

    static <T> T after(Duration delay, AsyncCallable<T> body) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.timeout");
        long deadline = saturatedAdd(loop.clock.nanoTime(), delay);
        return at(deadline, "after " + describe(delay), body);
    }

    /** {@code now + delay} in nanoseconds, saturating instead of overflowing. */
    static long saturatedAdd(long now, Duration delay) {
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException overflow) {
            return delay.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        long r = now + nanos;
        return ((now ^ r) & (nanos ^ r)) < 0 ? (nanos > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : r;
    }

    static String describe(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }
}
