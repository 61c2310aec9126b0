package dev.simmer;

import dev.simmer.internal.WaitLabels;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An {@link AsyncIterable} whose elements a generator body emits (asyncio's async generator:
 * an {@code async def} with {@code yield}). Made by {@link AsyncIterable#generate}.
 *
 * <pre>{@code
 * AsyncIterable<Integer> countdown = AsyncIterable.generate(out -> {
 *     try {
 *         for (int n = 3; n > 0; n--) {
 *             Async.sleep(Duration.ofSeconds(1));
 *             out.emit(n);              // waits here until the consumer asks for more
 *         }
 *     } finally {
 *         System.out.println("generator done");
 *     }
 * });
 *
 * try (AsyncGenerator<Integer> numbers = AsyncIterable.generate(...)) {
 *     for (int n : numbers) {
 *         if (n == 2) break;            // leaving early: close() below ends the producer
 *     }
 * }
 * }</pre>
 *
 * <p>How it runs. Each {@link #iterator()} is one run of the body, in a producing task of its
 * own (named after the consuming task, {@code "<consumer>/generator"}) that starts with the
 * first {@code hasNext()}. Like a Python generator it is lazy: the body runs only while the
 * consumer waits for an element, and each {@link Emitter#emit emit} parks it until the next
 * {@code hasNext()}. A failure of the body is rethrown by {@code hasNext()}/{@code next()}
 * unchanged (undeclared if checked), after which the iteration is over.
 *
 * <p>When the producer ends, so nothing leaks:
 * <ul>
 *   <li>the body returns or throws;
 *   <li>the iterator is {@linkplain AsyncIterator#close() closed}, or this generator is
 *       (which closes every iterator it made that is still open): the producer is cancelled
 *       at its suspension point, its {@code finally} blocks run (and may suspend), and
 *       {@code close()} waits for it to end, then rethrows a failure it ended with;
 *   <li>the consuming task is cancelled while it waits for an element: the producer is
 *       cancelled and awaited as above, then the consumer gets its {@link CancelledException}
 *       (as a Python generator's {@code finally} runs before the cancellation leaves it);
 *   <li>the consuming task (the one that called the first {@code hasNext()}) ends, for
 *       instance after leaving a {@code for} loop early without closing: the producer is
 *       cancelled then, on the next pass; a failure in its cleanup is reported through the
 *       loop's exception handler.
 * </ul>
 *
 * <p>Differences from asyncio: the body runs in its own task, not inline in the consumer's,
 * so {@link Async#currentTask()} inside it is the producer, and handing one element over
 * costs two passes of the loop even when the body does not suspend. A body that catches its
 * cancellation and emits again gets an {@link IllegalStateException} (Python: "async
 * generator ignored GeneratorExit"); so does a second task that calls {@code hasNext()} while
 * another waits on the same iterator.
 *
 * <p>Must be called from the loop thread; the iterators from inside a task.
 *
 * @param <T> the element type
 */
public final class AsyncGenerator<T> implements AsyncIterable<T> {
    // what task dumps say of the consumer and of the producer while each waits for the other
    private static final WaitLabels.Label NEXT_ELEMENT = WaitLabels.of("AsyncIterator.hasNext(): the generator's next element", null);
    private static final WaitLabels.Label CONSUMER_WANTS_MORE = WaitLabels.of("emit(...): the consumer to ask for the next element", null);

    /**
     * A generator body: emits elements through {@code out}; may suspend anywhere.
     *
     * @param <T> the element type
     */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Produces the elements, in the generator's own task.
         *
         * @param out where each element is emitted; valid only during this call
         * @throws Exception any failure; the consumer's next {@code next()} rethrows it unchanged
         */
        void generate(Emitter<T> out) throws Exception;
    }

    /**
     * Hands elements from a generator body to its consumer (Python's {@code yield}).
     * Must be called from the generator's own task.
     *
     * @param <T> the element type
     */
    public static final class Emitter<T> {
        private final Run<T> run;

        private Emitter(Run<T> run) {
            this.run = run;
        }

        /**
         * Hands {@code value} to the consumer and suspends until it asks for the next
         * element. A cancellation point: closing the iterator cancels the producer here.
         *
         * @param value the next element; may be {@code null}
         * @throws IllegalStateException if called from another task, or after the iterator
         *                               was closed
         */
        public void emit(T value) {
            run.emit(value);
        }
    }

    private final Body<T> body;
    private final Set<Run<T>> open = new LinkedHashSet<>();

    AsyncGenerator(Body<T> body) {
        this.body = body;
    }

    /** A new run of the body; it starts with the first {@code hasNext()}. */
    @Override
    public AsyncIterator<T> iterator() {
        return new Run<>(this);
    }

    /**
     * Closes every iterator of this generator that is still open (see
     * {@link AsyncIterator#close()}); the first failure is rethrown, the others suppressed.
     * May suspend while producers finish.
     */
    @Override
    public void close() {
        Throwable first = null;
        for (Run<T> r : new ArrayList<>(open)) {
            try {
                r.close();
            } catch (Throwable e) {
                if (first == null) {
                    first = e;
                } else if (first != e) {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw sneakyThrow(first);
        }
    }

    /** Throws {@code t} unchanged, though it may be a checked exception (Iterator declares none). */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    /** One run of the body: the iterator handed to the consumer. */
    private static final class Run<T> implements AsyncIterator<T> {
        /*
         * Overview: a one-slot hand-off between the consumer (any task calling hasNext/next)
         * and the producer (a task running the body).
         *
         *   state     meaning                                            next
         *   NEW       the producer has not started                      hasNext(): RUNNING
         *   RUNNING   the consumer waits on `reply`; the producer runs   emit(): READY; body ends: (ended)
         *   READY     an element is in `item`; the producer is parked    next(): PARKED
         *             in emit() on `resume`
         *   PARKED    the element was taken; the producer is parked      hasNext(): RUNNING (resume)
         *   DONE      no more elements: the body ended, or the run was closed
         *
         * The producer completes `reply` when it emits or when its body ends (in its own
         * finally, and by a done-callback in case it is cancelled before its first step).
         * `settled` records that the producer's outcome was handed to someone (the consumer,
         * or close()), so a failure is rethrown once.
         */
        private enum State { NEW, RUNNING, READY, PARKED, DONE }

        private final AsyncGenerator<T> owner;
        private EventLoop loop;
        private State state = State.NEW;
        private Task<Void> producer;
        private Promise<Void> reply;   // consumer waits: an element, or the end
        private Promise<Void> resume;  // producer waits in emit(): the consumer wants more
        private T item;
        private boolean producerEnded;
        private boolean closed;
        private boolean settled;
        private ConsumerWatch watch;

        Run(AsyncGenerator<T> owner) {
            this.owner = owner;
        }

        @Override
        public boolean hasNext() {
            switch (state) {
                case READY:
                    return true;
                case DONE:
                    return false;
                case RUNNING:
                    throw new IllegalStateException("Another task is already waiting for the next element of this"
                            + " generator; an async iterator serves one consumer at a time.");
                default:
                    break;
            }
            Task<?> me = bind("AsyncIterator.hasNext").requireTask("AsyncIterator.hasNext");
            if (producerEnded) {
                return finish(me); // parked producer cancelled from elsewhere
            }
            Promise<Void> r = new Promise<Void>(loop).label(NEXT_ELEMENT);
            reply = r;
            state = State.RUNNING;
            if (producer == null) {
                start(me);
            } else {
                resume.complete0(null);
            }
            try {
                while (!r.isDone()) {
                    me.waitFor(r, false);
                }
            } catch (CancelledException e) {
                reply = null;
                stopProducer(me);
                Throwable failure = realFailure(producer);
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                throw e;
            }
            reply = null;
            if (state == State.READY) {
                return true;
            }
            return closed ? false : finish(me);
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the generator has no more elements");
            }
            T v = item;
            item = null;
            state = State.PARKED;
            return v;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (producer == null || settled) {
                state = State.DONE;
                owner.open.remove(this);
                return;
            }
            loop.checkThread("AsyncIterator.close");
            Task<?> me = producer.isDone() ? null : loop.requireTask("AsyncIterator.close");
            if (me == producer) {
                closed = false;
                throw new IllegalStateException("A generator's body cannot close its own iterator: return from the body instead.");
            }
            Throwable failure;
            CancelledException cancelled = null;
            if (me == null) {
                state = State.DONE;
                owner.open.remove(this);
                settled = true;
                producer.markRetrieved();
                failure = realFailure(producer);
            } else {
                cancelled = stopProducer(me);
                failure = realFailure(producer);
            }
            if (cancelled != null) {
                if (failure != null) {
                    cancelled.addSuppressed(failure);
                }
                throw cancelled;
            }
            if (failure != null) {
                throw sneakyThrow(failure);
            }
        }

        // ----- the machinery -----

        private EventLoop bind(String call) {
            if (loop == null) {
                loop = EventLoop.runningLoop(call);
            } else {
                loop.checkThread(call);
            }
            return loop;
        }

        private void start(Task<?> consumer) {
            Emitter<T> out = new Emitter<>(this);
            producer = loop.createTask(() -> {
                try {
                    owner.body.generate(out);
                } finally {
                    producerEnded();
                }
                return null;
            }, consumer.name() + "/generator");
            producer.addCallback(this::producerEnded); // also when cancelled before its first step
            watch = new ConsumerWatch(this);
            consumer.addCallback(watch);
            owner.open.add(this);
        }

        /** Called in the producer task by {@link Emitter#emit}. */
        void emit(T value) {
            EventLoop l = loop;
            Task<?> me = l == null ? null : l.currentTaskFor("Emitter.emit");
            if (me == null || me != producer) {
                throw new IllegalStateException("Emitter.emit must be called by the generator's own body (task '"
                        + (producer == null ? "?" : producer.name()) + "'), not from another task.");
            }
            if (state != State.RUNNING) {
                throw new IllegalStateException("The generator emitted after it was closed: a generator body must"
                        + " not catch its cancellation and go on emitting.");
            }
            item = value;
            state = State.READY;
            Promise<Void> res = new Promise<Void>(l).label(CONSUMER_WANTS_MORE);
            resume = res;
            reply.complete0(null);
            while (!res.isDone()) {
                me.waitFor(res, false);
            }
        }

        private void producerEnded() {
            producerEnded = true;
            if (watch != null) {
                watch.run = null; // nothing left to stop when the consumer ends
            }
            Promise<Void> r = reply;
            if (r != null) {
                r.complete0(null);
            }
        }

        void consumerEnded() {
            if (!producer.isDone()) {
                closed = true;
                state = State.DONE;
                owner.open.remove(this);
                producer.cancel("the task iterating the generator ended");
            }
        }

        /** The producer ended on its own: no more elements; hand its failure to the consumer. */
        private boolean finish(Task<?> me) {
            state = State.DONE;
            owner.open.remove(this);
            settled = true;
            CancelledException cancelled = Gather.awaitEnds(me, List.of(producer)); // normally ended already
            if (cancelled != null) {
                producer.markRetrieved();
                throw cancelled;
            }
            try {
                producer.retrieve();
            } catch (Exception e) {
                throw sneakyThrow(e);
            }
            return false;
        }

        /**
         * Cancels the producer and waits until it has ended, whatever happens to {@code me}
         * meanwhile; returns a cancellation of {@code me} that arrived while it waited.
         */
        private CancelledException stopProducer(Task<?> me) {
            state = State.DONE;
            closed = true;
            item = null;
            owner.open.remove(this);
            settled = true;
            producer.cancel("generator closed");
            CancelledException cancelled = Gather.awaitEnds(me, List.of(producer));
            producer.markRetrieved();
            return cancelled;
        }

        private static Throwable realFailure(Task<?> t) {
            return t.isCancelled() ? null : t.peekFailure();
        }
    }

    /**
     * The consuming task's done-callback. The kernel cannot remove a plain callback, so it
     * stays on the consumer until that task ends; it lets go of the run as soon as the
     * producer has ended, so a long-lived consumer keeps only this small husk per run.
     */
    private static final class ConsumerWatch implements Runnable {
        Run<?> run;

        ConsumerWatch(Run<?> run) {
            this.run = run;
        }

        @Override
        public void run() {
            Run<?> r = run;
            run = null;
            if (r != null) {
                r.consumerEnded();
            }
        }
    }

    @Override
    public String toString() {
        return "AsyncGenerator@" + Integer.toHexString(System.identityHashCode(this)) + " (" + open.size()
                + " open)";
    }
}
