package dev.simmer;

import java.time.Duration;

/**
 * {@link Async#timeout}, {@link Async#timeoutScope} and their variants, built on task
 * cancellation (asyncio's {@code asyncio.timeout}): a timer cancels the current task at the
 * deadline, and the scope turns that one cancellation, and only that one, into an
 * {@link AsyncTimeoutException}.
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
     *
     * The state lives in a TimeoutScope (the handle timeoutScope's body gets): moving the
     * deadline replaces the timer, and is refused once the timer has fired, because the
     * cancellation it made is already on its way (asyncio does the same).
     */
    private Timeouts() {
    }

    static <T> T at(long deadline, String description, AsyncCallable<T> body) throws Exception {
        TimeoutScope scope = open("Async.timeout");
        scope.arm(deadline, description);
        return run(scope, null, body);
    }

    /** A timeout whose body gets the scope; {@code deadline} is ignored unless {@code hasDeadline}. */
    static <T> T scoped(String call, boolean hasDeadline, long deadline, String description,
                        TimeoutScope.Body<T> body) throws Exception {
        TimeoutScope scope = open(call);
        if (hasDeadline) {
            scope.arm(deadline, description);
        }
        return run(scope, body, null);
    }

    /** A scope for the current task, not armed yet. */
    private static TimeoutScope open(String call) {
        EventLoop loop = EventLoop.runningLoop(call);
        return new TimeoutScope(loop, loop.requireTask(call));
    }

    /**
     * Runs {@code scoped} (given the scope) or {@code plain} under {@code scope}, armed or not.
     * The AsyncTimeoutException carries the scope, so that timeoutOr can tell its own from an
     * inner one.
     */
    private static <T> T run(TimeoutScope scope, TimeoutScope.Body<T> scoped, AsyncCallable<T> plain)
            throws Exception {
        Task<?> task = scope.task;
        boolean withdrawn = false;
        try {
            return scoped != null ? scoped.run(scope) : plain.call();
        } catch (CancelledException e) {
            if (scope.state == TimeoutScope.State.EXPIRING) {
                withdrawn = true;
                if (task.uncancel() <= scope.before) {
                    throw new AsyncTimeoutException("timed out " + scope.description, e, scope);
                }
            }
            throw e;
        } finally {
            boolean expired = scope.expired();
            scope.close();
            if (expired && !withdrawn) {
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
        TimeoutScope scope = open("Async.timeoutOr");
        EventLoop loop = scope.loop;
        scope.arm(saturatedAdd(loop.clock.nanoTime(), delay), "after " + describe(delay));
        try {
            return run(scope, null, body);
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

    /**
     * Async.waitFor, asyncio 3.12's wait_for: no limit for a null delay; for a zero or
     * negative one the awaitable gets no step of its own (a body becomes a task that is
     * cancelled before it starts); else a timeout around awaiting it.
     */
    @SuppressWarnings("unchecked")
    static <T> T waitFor(AsyncCallable<T> awaitable, Duration delay) throws Exception {
        if (delay == null) {
            EventLoop.runningLoop("Async.waitFor").requireTask("Async.waitFor");
            return awaitable.call();
        }
        if (!delay.isZero() && !delay.isNegative()) {
            return after(delay, awaitable);
        }
        EventLoop loop = EventLoop.runningLoop("Async.waitFor");
        Task<?> me = loop.requireTask("Async.waitFor");
        Task<T> task = awaitable instanceof Task<?> t ? (Task<T>) t : loop.createTask(awaitable, null);
        if (!task.isDone()) {
            // Cancel it and wait for it to end. Cancelled meanwhile ourselves, we still wait (it
            // is cancelled already, so it ends soon; no task outlives the call), then throw that.
            task.cancel();
            CancelledException ours = null;
            while (!task.isDone()) {
                try {
                    me.waitFor(task, false);
                } catch (CancelledException e) {
                    ours = e;
                }
            }
            if (ours != null) {
                throw ours;
            }
            if (task.isCancelled()) {
                CancelledException cancelled;
                try {
                    task.result();
                    throw new IllegalStateException("Simmer: a cancelled task gave a result; please report");
                } catch (CancelledException e) {
                    cancelled = e;
                }
                throw new AsyncTimeoutException("timed out: a timeout of " + describe(delay)
                        + " leaves no time to run", cancelled);
            }
        }
        return task.result();
    }

    /** Async.waitFor for a promise: as for a task, but a promise has no steps, so a cancel ends it at once. */
    static <T> T waitFor(Promise<T> promise, Duration delay) throws Exception {
        EventLoop.runningLoop("Async.waitFor").requireTask("Async.waitFor");
        if (delay == null) {
            return promise.await();
        }
        if (!delay.isZero() && !delay.isNegative()) {
            return after(delay, promise::await);
        }
        if (!promise.isDone()) {
            promise.cancel();
            try {
                promise.result();
            } catch (CancelledException e) {
                throw new AsyncTimeoutException("timed out: a timeout of " + describe(delay)
                        + " leaves no time to wait", e);
            }
        }
        return promise.result();
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
