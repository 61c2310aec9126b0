package dev.simmer;

import dev.simmer.internal.WaitLabels;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Async#gather} and {@link Async#gatherSettled}: run bodies as child tasks and wait
 * for all of them. Built on the kernel's tasks and promises, outside the loop.
 *
 * <p>Must be called from inside a task.
 */
final class Gather {
    /*
     * Overview: each child reports its end through a callback; `settled` completes when all
     * have ended, or (for gather) at the first failure. The structured part: on a failure,
     * or when the gathering task itself is cancelled, the children still running are
     * cancelled and awaited (without passing further cancellations on to them) before
     * anything is thrown, so no child outlives the call.
     */
    private Gather() {
    }

    static <T> List<T> all(List<? extends AsyncCallable<? extends T>> bodies) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.gather");
        Task<?> parent = loop.requireTask("Async.gather");
        List<Task<? extends T>> children = start(loop, parent, bodies);
        Task<?> failed = waitForAll(loop, parent, children, true);
        if (failed != null) {
            for (Task<? extends T> c : children) {
                c.cancel();
            }
            CancelledException cancelledMeanwhile = awaitEnds(parent, children);
            Throwable first = failed.peekFailure();
            for (Task<? extends T> c : children) {
                if (c != failed) {
                    attachFailure(c, first);
                }
                c.markRetrieved();
            }
            if (cancelledMeanwhile != null) {
                cancelledMeanwhile.addSuppressed(first);
                throw cancelledMeanwhile;
            }
            if (first instanceof CancelledException ce) {
                throw ce;
            }
            throw Completion.rethrowable(first);
        }
        List<T> results = new ArrayList<>(children.size());
        for (Task<? extends T> c : children) {
            results.add(c.retrieve());
        }
        return results;
    }

    static <T> List<Outcome<T>> settled(List<? extends AsyncCallable<? extends T>> bodies) throws Exception {
        EventLoop loop = EventLoop.runningLoop("Async.gatherSettled");
        Task<?> parent = loop.requireTask("Async.gatherSettled");
        List<Task<? extends T>> children = start(loop, parent, bodies);
        waitForAll(loop, parent, children, false);
        List<Outcome<T>> outcomes = new ArrayList<>(children.size());
        for (Task<? extends T> c : children) {
            @SuppressWarnings("unchecked")
            Outcome<T> o = (Outcome<T>) c.outcome();
            outcomes.add(o);
        }
        return outcomes;
    }

    private static <T> List<Task<? extends T>> start(EventLoop loop, Task<?> parent,
                                                     List<? extends AsyncCallable<? extends T>> bodies) {
        for (AsyncCallable<? extends T> body : bodies) { // check everything before starting anything
            java.util.Objects.requireNonNull(body, "body");
            if (body instanceof Task<?> t) {
                if (t.loop != loop) {
                    throw new IllegalStateException("Async.gather was given " + t + " of another event loop;"
                            + " a task can only be awaited on its own loop.");
                }
                if (t == parent) {
                    throw new IllegalStateException("Task '" + parent.name() + "' cannot gather itself: it would"
                            + " wait for its own end forever.");
                }
            }
        }
        List<Task<? extends T>> children = new ArrayList<>(bodies.size());
        for (AsyncCallable<? extends T> body : bodies) {
            if (body instanceof Task<?> t) {
                @SuppressWarnings("unchecked")
                Task<? extends T> typed = (Task<? extends T>) t;
                children.add(typed);
            } else {
                children.add(loop.createTask(body, null));
            }
        }
        return children;
    }

    /**
     * Waits until every child has ended or, if {@code stopAtFailure}, one failed or was
     * cancelled; returns that one (or null). If the waiting task is cancelled, cancels the
     * children, waits for them to end, and rethrows the cancellation.
     */
    private static Task<?> waitForAll(EventLoop loop, Task<?> parent, List<? extends Task<?>> children,
                                      boolean stopAtFailure) {
        if (children.isEmpty()) {
            return null;
        }
        Promise<Task<?>> settled = new Promise<>(loop);
        int[] remaining = {children.size()};
        for (Task<?> c : children) {
            c.addCallback(() -> {
                remaining[0]--;
                if (stopAtFailure && c.peekFailure() != null) {
                    settled.complete0(c);
                } else if (remaining[0] == 0) {
                    settled.complete0(null);
                }
            });
        }
        // As asyncio's gathering future: cancelling the gatherer cancels the children at once.
        settled.onCancelRequest(new CancelHook(children, remaining));
        try {
            if (!settled.isDone()) {
                parent.waitFor(settled, true);
            }
            return settled.retrieve();
        } catch (CancelledException e) {
            for (Task<?> c : children) {
                if (c.cancelling() == 0) {
                    c.cancel(); // the cancellation came another way than through `settled`
                }
            }
            awaitEnds(parent, children);
            for (Task<?> c : children) {
                attachFailure(c, e); // a child that failed while being cancelled: not lost
                c.markRetrieved();
            }
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Simmer's gather failed internally; please report", e);
        }
    }

    /**
     * Attaches to {@code to} what {@code child} ended with, if that is a failure, or a
     * cancellation that carries failures; plain cancellations (ours) are left out.
     */
    static void attachFailure(Task<?> child, Throwable to) {
        Throwable f = child.isCancelled() ? child.carried() : child.peekFailure();
        if (f != null && f != to) {
            to.addSuppressed(f);
        }
    }

    /**
     * Waits until every child has ended, whatever happens to {@code parent} meanwhile.
     * Returns the cancellation that reached {@code parent} while it waited, or null.
     */
    static CancelledException awaitEnds(Task<?> parent, List<? extends Task<?>> children) {
        CancelledException pending = null;
        for (Task<?> c : children) {
            while (!c.isDone()) {
                try {
                    parent.waitFor(c, false);
                } catch (CancelledException e) {
                    pending = e;
                }
            }
        }
        return pending;
    }

    /** Cancels the children when the gatherer is cancelled; and says in task dumps what the gatherer waits for. */
    private record CancelHook(List<? extends Task<?>> children, int[] remaining) implements Runnable, WaitLabels.Label {
        @Override
        public void run() {
            for (Task<?> c : children) {
                c.cancel();
            }
        }

        @Override
        public String describe(Object promise) {
            return "Async.gather(...): " + remaining[0] + " of " + children.size() + " tasks still running";
        }
    }
}
