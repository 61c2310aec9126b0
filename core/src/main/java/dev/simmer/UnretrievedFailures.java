package dev.simmer;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * A loop's failures that nobody has retrieved (asyncio's "Task exception was never
 * retrieved"): each is reported through the loop's exception handler exactly once, when its
 * task (or promise) is garbage collected, or when the loop closes if it is still reachable
 * then. The loop does not keep a failed task alive for this, so a long-lived loop that drops
 * failed tasks by the thousand holds none of them.
 *
 * <p>Loop thread only, except the reaper thread, which only hands work to the loop.
 */
final class UnretrievedFailures {
    /*
     * Overview. A failure is nearly always retrieved within a pass of its making: the task
     * awaiting it wakes on the next pass. So a fresh failure costs one list add, and is held
     * strongly for about a pass:
     *
     *   where         held        moves on when
     *   fresh         strongly    the next pass begins: to `older`
     *   older         strongly    the pass after begins, or the loop is about to wait: if still
     *                             not retrieved, it is watched; else it is dropped
     *   watched       weakly      retrieved (markRetrieved): dropped, never reported;
     *                             garbage collected: the reaper thread hands it to the loop, which
     *                             reports it; the loop closes: reported then
     *
     * A watch is a WeakReference to the completion, carrying what the report needs (the
     * message with the task's name, the exception), never the completion itself; `watchOf`
     * (weak keys) finds it from its completion, so a completion carries no field for this,
     * and a task that succeeds or whose failure is retrieved in time costs nothing. Membership in
     * `watched` is the claim to report: whoever removes a watch from it (retrieval, the
     * collected report, the close) is the only one to act on it, so each failure is reported
     * once. All three happen on the loop thread; the reaper only posts.
     */
    private final EventLoop loop;
    private ArrayList<Completion<?>> fresh = new ArrayList<>();
    private ArrayList<Completion<?>> older = new ArrayList<>();
    private final Set<Watch> watched = new LinkedHashSet<>();
    private final Map<Completion<?>, Watch> watchOf = new WeakHashMap<>(); // identity: completions keep Object's equals

    UnretrievedFailures(EventLoop loop) {
        this.loop = loop;
    }

    /** {@code c} failed (or was cancelled carrying failures) and nobody has retrieved that yet. */
    void failed(Completion<?> c) {
        fresh.add(c);
    }

    /** {@code c}'s failure was retrieved: if it is watched already, it is no longer. */
    void retrieved(Completion<?> c) {
        if (!watchOf.isEmpty()) {
            Watch w = watchOf.remove(c);
            if (w != null) {
                watched.remove(w);
            }
        }
    }

    /** Whether {@code c}'s failure is watched (held weakly) now. */
    boolean isWatched(Completion<?> c) {
        return watchOf.containsKey(c);
    }

    /** A pass begins: failures unretrieved for a whole pass are watched rather than held. Cheap when none. */
    void passBegins() {
        if (!older.isEmpty()) {
            watchUnretrieved(older);
        }
        if (!fresh.isEmpty()) {
            ArrayList<Completion<?>> t = older;
            older = fresh;
            fresh = t;
        }
    }

    /** The loop is about to wait: nothing will retrieve a failure before it wakes, so none is held meanwhile. */
    void loopIdles() {
        if (!older.isEmpty()) {
            watchUnretrieved(older);
        }
        if (!fresh.isEmpty()) {
            watchUnretrieved(fresh);
        }
    }

    /** The loop closes: every failure still unretrieved is reported, with its task if it is still reachable. */
    void reportAll() {
        for (Watch w : new ArrayList<>(watched)) {
            Completion<?> c = w.get();
            loop.report(new ErrorReport(w.message, w.failure, c instanceof Task<?> t ? t : null));
        }
        watched.clear();
        watchOf.clear();
        for (ArrayList<Completion<?>> young : List.of(older, fresh)) {
            for (Completion<?> c : young) {
                if (!c.isRetrieved()) {
                    loop.report(new ErrorReport(describe(c), c.peekFailure(), c instanceof Task<?> t ? t : null));
                }
            }
            young.clear();
        }
    }

    private void watchUnretrieved(ArrayList<Completion<?>> list) {
        for (Completion<?> c : list) {
            if (!c.isRetrieved() && !watchOf.containsKey(c)) {
                Watch w = new Watch(c, loop, describe(c), c.peekFailure());
                watchOf.put(c, w);
                watched.add(w);
            }
        }
        list.clear();
    }

    /** On the loop thread, after the reaper found {@code w}'s completion collected. */
    private void collected(Watch w) {
        if (watched.remove(w)) {
            loop.report(new ErrorReport(w.message + " (reported when it was garbage collected)", w.failure, null));
        }
    }

    private String describe(Completion<?> c) {
        Task<?> task = c instanceof Task<?> t ? t : null;
        return (task != null ? "Task '" + task.name() + "'" : c.toString())
                + (c.isCancelled() ? " was cancelled, and failures attached to its cancellation were never retrieved"
                        : " failed and nobody retrieved its exception")
                + loop.creationSuffix(task);
    }

    /** What a report needs, held without holding the completion. */
    static final class Watch extends WeakReference<Completion<?>> {
        final EventLoop loop;
        final String message;
        final Throwable failure;

        Watch(Completion<?> c, EventLoop loop, String message, Throwable failure) {
            super(c, Reaper.QUEUE);
            this.loop = loop;
            this.message = message;
            this.failure = failure;
            Reaper.started();
        }
    }

    /**
     * One daemon thread for every loop in the JVM, started with the first watch: it waits for
     * watched completions to be collected and hands each to its loop, which reports it on its
     * own thread (a closed loop reported it at close already).
     */
    private static final class Reaper {
        static final ReferenceQueue<Completion<?>> QUEUE = new ReferenceQueue<>();

        static {
            Thread.ofPlatform().name("simmer-unretrieved-failures").daemon(true).start(Reaper::run);
        }

        /** Nothing to do: loading this class started the thread. */
        static void started() {
        }

        private static void run() {
            while (true) {
                Watch w;
                try {
                    w = (Watch) QUEUE.remove();
                } catch (InterruptedException e) {
                    continue; // nobody stops it: it is a daemon, and idle
                }
                w.loop.post(new Handle(() -> w.loop.unretrieved.collected(w)));
            }
        }
    }
}
