package dev.simmer.sync;

import dev.simmer.Async;
import dev.simmer.AsyncCallable;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static dev.simmer.sync.SyncTesting.virtual;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Model-based randomized tests, the single-loop counterpart of Lincheck: for each primitive,
 * random sequences of operations (by the driving task, and by actor tasks that wait) are run
 * against the primitive and against a small sequential model of it, under several seeds.
 * After each operation the loop is let run until it is quiet, then every actor's outcome (what
 * it got, or which exception), the order in which actors were served and the primitive's
 * observable state are compared with the model's. Operations include the races that matter: a
 * waiter cancelled in the same pass as it is granted (release, set, signal, put, get, the last
 * arrival at a barrier, each followed at once by {@code cancel()}).
 *
 * <p>Lincheck itself checks linearizability of code run by several JVM threads; here every
 * operation runs on one loop thread and atomically between suspension points, so the
 * interesting interleavings are the loop's passes, which this test drives deterministically.
 * Seeds scale with {@code -Dsimmer.stress.scale=N}.
 */
class SyncModelTest {
    private static final int SCALE = Integer.getInteger("simmer.stress.scale", 1);
    private static final int SEEDS = 8 * SCALE;
    private static final int OPS = 250;

    /** Actor tasks and what they ended with, beside what the model expects. */
    private static final class Actors {
        final Map<String, String> actual = new TreeMap<>();
        final Map<String, String> expected = new TreeMap<>();
        final List<String> served = new ArrayList<>();
        final List<String> expectedServed = new ArrayList<>();
        final Map<String, Task<String>> tasks = new TreeMap<>();
        final List<String> trace = new ArrayList<>();
        final long seed;
        int next;

        Actors(long seed) {
            this.seed = seed;
        }

        String spawn(AsyncCallable<String> body) {
            String name = String.format("a%03d", next++);
            Task<String> t = Async.createTask(name, body);
            t.onDone(done -> actual.put(name, outcome(done)));
            tasks.put(name, t);
            return name;
        }

        void op(String description) {
            trace.add(description);
        }

        void expect(String actor, String outcome) {
            expected.put(actor, outcome);
        }

        void expectServed(String actor, String outcome) {
            expectedServed.add(actor);
            expected.put(actor, outcome);
        }

        void cancel(String actor) {
            tasks.get(actor).cancel();
        }

        /**
         * Lets the loop run until everything woken has run: until as many actors have ended as
         * the model says (a chain of hand-overs takes a few passes each), then a few passes more,
         * in which nothing else may happen.
         */
        void settle() {
            for (int i = 0; i < 10_000 && (actual.size() < expected.size() || served.size() < expectedServed.size());
                    i++) {
                Async.yieldNow();
            }
            for (int i = 0; i < 8; i++) {
                Async.yieldNow();
            }
        }

        /** Settles, then compares outcomes and the order of service with the model. */
        void check() {
            settle();
            String where = where();
            assertThat(actual).as(where).isEqualTo(expected);
            assertThat(served).as(where).isEqualTo(expectedServed);
        }

        /** The seed and the last operations, for failure messages. */
        String where() {
            return "seed " + seed + ", after " + trace.subList(Math.max(0, trace.size() - 8), trace.size());
        }

        /** Spawns an actor that acquires, records that it was served, holds it across a pass, and releases. */
        String spawnHolder(java.util.function.Supplier<Held> acquire) {
            op("spawn");
            return spawn(() -> {
                try (Held held = acquire.get()) {
                    served.add(Async.currentTask().name());
                    Async.yieldNow();
                    return "held";
                }
            });
        }

        /** Cancels a random actor of the model's {@code waiting} ones. */
        void cancelRandom(Deque<String> waiting, Random r) {
            op("cancel waiter");
            String w = removeRandom(waiting, r);
            cancel(w);
            expect(w, "cancelled");
        }

        /** Ends every actor still waiting (the model's waiters), so the loop can close. */
        void cancelAll(Deque<String> waiting) {
            for (String w : waiting) {
                cancel(w);
                expect(w, "cancelled");
            }
            waiting.clear();
            check();
        }

        private static String outcome(Task<String> t) {
            if (t.isCancelled()) {
                return "cancelled";
            }
            Throwable failure = t.exception();
            if (failure != null) {
                return failure.getClass().getSimpleName();
            }
            try {
                return t.result();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A model test's body, run once per seed on virtual time with that seed's randomness. */
    @FunctionalInterface
    private interface SeededRun {
        void run(Random r, Actors a) throws Exception;
    }

    private static void forSeeds(SeededRun body) throws Exception {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Random r = new Random(seed);
            Actors a = new Actors(seed);
            virtual(() -> body.run(r, a));
        }
    }

    /** Removes and returns a random element of {@code waiting}. */
    private static String removeRandom(Deque<String> waiting, Random r) {
        List<String> list = new ArrayList<>(waiting);
        String victim = list.get(r.nextInt(list.size()));
        waiting.remove(victim);
        return victim;
    }

    // ================================================================= Lock

    @Test
    void lockAgainstItsModel() throws Exception {
        forSeeds((r, a) -> {
            Lock lock = new Lock();
            boolean driverHolds = false;       // the model: who holds it, and who waits
            Deque<String> waiting = new ArrayDeque<>();
            for (int i = 0; i < OPS; i++) {
                int op = r.nextInt(10);
                if (op < 4) {
                    String name = a.spawnHolder(lock::acquire);
                    if (driverHolds) {
                        waiting.add(name);
                    } else {
                        a.expectServed(name, "held");
                    }
                } else if (op == 4) {
                    a.op("tryAcquire");
                    assertThat(lock.tryAcquire()).as(a.where()).isEqualTo(!driverHolds);
                    driverHolds = true;
                } else if (op == 5 || op == 6) {
                    a.op("release");
                    if (!driverHolds) {
                        assertThatThrownBy(lock::release).isInstanceOf(IllegalStateException.class);
                    } else {
                        lock.release();
                        driverHolds = false;
                        while (!waiting.isEmpty()) {
                            a.expectServed(waiting.poll(), "held");
                        }
                    }
                } else if (op == 7 && driverHolds && !waiting.isEmpty()) {
                    int k = 1 + r.nextInt(Math.min(2, waiting.size()));
                    a.op("release+cancel " + k);
                    lock.release(); // grants the oldest waiter ...
                    for (int j = 0; j < k; j++) {
                        String w = waiting.poll();
                        a.cancel(w); // ... which is cancelled before it runs: it hands the lock on
                        a.expect(w, "cancelled");
                    }
                    driverHolds = false;
                    while (!waiting.isEmpty()) {
                        a.expectServed(waiting.poll(), "held");
                    }
                } else if (op == 8 && !waiting.isEmpty()) {
                    a.cancelRandom(waiting, r);
                } else if (op == 9 && driverHolds) {
                    a.op("re-acquire");
                    assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("not reentrant");
                }
                a.check();
                assertThat(lock.locked()).as(a.where()).isEqualTo(driverHolds);
                assertThat(lock.waiterCount()).as(a.where()).isEqualTo(waiting.size());
            }
            if (driverHolds) {
                lock.release();
                while (!waiting.isEmpty()) {
                    a.expectServed(waiting.poll(), "held");
                }
                a.check();
            }
            assertThat(lock.locked()).isFalse();
        });
    }

    // ================================================================= Semaphore

    @Test
    void semaphoreAgainstItsModel() throws Exception {
        semaphoreModel(false);
    }

    @Test
    void boundedSemaphoreAgainstItsModel() throws Exception {
        semaphoreModel(true);
    }

    private void semaphoreModel(boolean bounded) throws Exception {
        forSeeds((r, a) -> {
            int initial = r.nextInt(4);
            Semaphore sem = bounded ? new BoundedSemaphore(initial) : new Semaphore(initial);
            int total = initial;                // the model: permits in all, held by the driver, waiters
            int driverHeld = 0;
            Deque<String> waiting = new ArrayDeque<>();
            for (int i = 0; i < OPS; i++) {
                int op = r.nextInt(10);
                if (op < 4) {
                    String name = a.spawnHolder(sem::acquire);
                    if (total - driverHeld > 0) {
                        a.expectServed(name, "held");
                    } else {
                        waiting.add(name);
                    }
                } else if (op == 4 || op == 5) {
                    a.op("tryAcquire");
                    boolean free = total - driverHeld > 0;
                    assertThat(sem.tryAcquire()).as(a.where()).isEqualTo(free);
                    if (free) {
                        driverHeld++;
                    }
                } else if (op == 6 || op == 7) {
                    boolean race = op == 7 && driverHeld > 0 && !waiting.isEmpty();
                    a.op(race ? "release+cancel" : "release");
                    if (bounded && driverHeld == 0) {
                        assertThatThrownBy(sem::release).as(a.where()).isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("released more often than acquired");
                    } else {
                        sem.release();
                        if (driverHeld > 0) {
                            driverHeld--;
                        } else {
                            total++;
                        }
                        if (race) {
                            String w = waiting.poll();
                            a.cancel(w); // granted, then cancelled: the permit goes on
                            a.expect(w, "cancelled");
                        }
                        while (!waiting.isEmpty()) {
                            a.expectServed(waiting.poll(), "held");
                        }
                    }
                } else if (op == 8 && !waiting.isEmpty()) {
                    a.cancelRandom(waiting, r);
                }
                a.check();
                assertThat(sem.available()).as(a.where()).isEqualTo(total - driverHeld);
                assertThat(sem.locked()).as(a.where()).isEqualTo(total - driverHeld == 0);
                assertThat(sem.waiterCount()).as(a.where()).isEqualTo(waiting.size());
            }
            a.cancelAll(waiting);
        });
    }

    // ================================================================= Event

    @Test
    void eventAgainstItsModel() throws Exception {
        forSeeds((r, a) -> {
            Event event = new Event();
            boolean set = false;
            Deque<String> waiting = new ArrayDeque<>();
            for (int i = 0; i < OPS; i++) {
                int op = r.nextInt(10);
                if (op < 4) {
                    a.op("spawn");
                    String name = a.spawn(() -> {
                        event.await();
                        return "woken";
                    });
                    if (set) {
                        a.expect(name, "woken");
                    } else {
                        waiting.add(name);
                    }
                } else if (op == 4 || op == 5) {
                    boolean race = op == 5 && !waiting.isEmpty();
                    a.op(race ? "set+cancel" : "set");
                    event.set();
                    set = true;
                    if (race) {
                        String w = waiting.poll();
                        a.cancel(w); // woken, then cancelled before it ran
                        a.expect(w, "cancelled");
                    }
                    while (!waiting.isEmpty()) {
                        a.expect(waiting.poll(), "woken");
                    }
                } else if (op < 8) {
                    a.op("clear");
                    event.clear();
                    set = false;
                } else if (!waiting.isEmpty()) {
                    a.cancelRandom(waiting, r);
                }
                a.check();
                assertThat(event.isSet()).as(a.where()).isEqualTo(set);
                assertThat(event.waiterCount()).as(a.where()).isEqualTo(waiting.size());
            }
            a.cancelAll(waiting);
        });
    }

    // ================================================================= Condition

    @Test
    void conditionAgainstItsModel() throws Exception {
        forSeeds((r, a) -> {
            Condition cond = new Condition();
            Deque<String> waiting = new ArrayDeque<>();
            for (int i = 0; i < OPS; i++) {
                int op = r.nextInt(10);
                if (op < 4) {
                    a.op("spawn");
                    waiting.add(a.spawn(() -> {
                        try (Held held = cond.acquire()) {
                            cond.await();
                            assertThat(cond.lock().isHeldByCurrentTask()).isTrue();
                            a.served.add(Async.currentTask().name());
                            return "signalled";
                        }
                    }));
                } else if (op < 7) {
                    int n = r.nextInt(4);
                    boolean race = op == 6 && !waiting.isEmpty() && n > 0;
                    a.op((race ? "signal+cancel " : "signal ") + n);
                    try (Held held = cond.acquire()) {
                        cond.signal(n);
                        if (race) {
                            String w = waiting.poll();
                            a.cancel(w); // signalled, then cancelled: the signal passes on
                            a.expect(w, "cancelled");
                        }
                    }
                    for (int j = 0; j < n && !waiting.isEmpty(); j++) {
                        a.expectServed(waiting.poll(), "signalled");
                    }
                } else if (op == 7) {
                    a.op("signalAll");
                    try (Held held = cond.acquire()) {
                        cond.signalAll();
                    }
                    while (!waiting.isEmpty()) {
                        a.expectServed(waiting.poll(), "signalled");
                    }
                } else if (op == 8 && !waiting.isEmpty()) {
                    a.cancelRandom(waiting, r);
                    if (!waiting.isEmpty()) {
                        // leaving with an error, it wakes the oldest other waiter (asyncio 3.13)
                        a.expectServed(waiting.poll(), "signalled");
                    }
                } else {
                    a.op("signal without the lock");
                    assertThatThrownBy(cond::signal).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("not held");
                }
                a.check();
                assertThat(cond.waiterCount()).as(a.where()).isEqualTo(waiting.size());
                assertThat(cond.locked()).as(a.where()).isFalse();
            }
            a.cancelAll(waiting);
        });
    }

    // ================================================================= Barrier

    @Test
    void barrierAgainstItsModel() throws Exception {
        forSeeds((r, a) -> {
            int parties = 1 + r.nextInt(4);
            Barrier barrier = new Barrier(parties);
            boolean broken = false;
            Deque<String> waiting = new ArrayDeque<>(); // the filling round, in arrival order
            for (int i = 0; i < OPS; i++) {
                int op = r.nextInt(12);
                if (op < 5) {
                    a.op("spawn");
                    String name = a.spawn(() -> "index " + barrier.await());
                    if (broken) {
                        a.expect(name, "BrokenBarrierException");
                    } else {
                        waiting.add(name);
                        if (waiting.size() == parties) {
                            for (int j = 0; !waiting.isEmpty(); j++) {
                                a.expect(waiting.poll(), "index " + j);
                            }
                        }
                    }
                } else if (op < 7 && (broken || waiting.size() == parties - 1)) {
                    int k = broken ? 0 : r.nextInt(Math.min(2, waiting.size()) + 1);
                    a.op("arrive last+cancel " + k);
                    if (broken) {
                        assertThatThrownBy(barrier::await).isInstanceOf(BrokenBarrierException.class);
                    } else {
                        assertThat(barrier.await()).as(a.where()).isEqualTo(parties - 1); // does not suspend
                        List<String> round = new ArrayList<>(waiting);
                        waiting.clear();
                        for (int j = 0; j < round.size(); j++) {
                            if (j < k) {
                                a.cancel(round.get(j)); // released, then cancelled before it ran
                                a.expect(round.get(j), "cancelled");
                            } else {
                                a.expect(round.get(j), "index " + j);
                            }
                        }
                    }
                } else if (op == 7 && !waiting.isEmpty()) {
                    a.cancelRandom(waiting, r);
                } else if (op == 8) {
                    a.op("abort");
                    barrier.abort();
                    broken = true;
                    while (!waiting.isEmpty()) {
                        a.expect(waiting.poll(), "BrokenBarrierException");
                    }
                } else if (op == 9 || (op > 9 && broken)) {
                    a.op("reset");
                    barrier.reset();
                    broken = false;
                    while (!waiting.isEmpty()) {
                        a.expect(waiting.poll(), "BrokenBarrierException");
                    }
                }
                a.check();
                assertThat(barrier.isBroken()).as(a.where()).isEqualTo(broken);
                assertThat(barrier.waiting()).as(a.where()).isEqualTo(broken ? 0 : waiting.size());
                assertThat(barrier.insideCount()).as(a.where()).isEqualTo(waiting.size());
            }
            a.cancelAll(waiting);
        });
    }

    // ================================================================= queues

    private enum Order { FIFO, LIFO, PRIORITY }

    private record Item(int value, long seq) {
    }

    @Test
    void queueAgainstItsModel() throws Exception {
        queueModel(Order.FIFO);
    }

    @Test
    void lifoQueueAgainstItsModel() throws Exception {
        queueModel(Order.LIFO);
    }

    @Test
    void priorityQueueAgainstItsModel() throws Exception {
        queueModel(Order.PRIORITY);
    }

    /** The sequential model of a queue once the loop is quiet: nothing is on its way. */
    private static final class QueueModel {
        final Order order;
        final int maxsize;
        final Actors a;
        final List<Item> store = new ArrayList<>();
        final Deque<String> getters = new ArrayDeque<>();
        final Deque<String> putters = new ArrayDeque<>();
        final Map<String, Integer> putterItems = new TreeMap<>();
        int unfinished;
        long nextSeq;
        boolean shutDown;

        QueueModel(Order order, int maxsize, Actors a) {
            this.order = order;
            this.maxsize = maxsize;
            this.a = a;
        }

        boolean full() {
            return maxsize > 0 && store.size() >= maxsize;
        }

        void insert(int value) {
            Item item = new Item(value, nextSeq++);
            unfinished++;
            if (!getters.isEmpty()) {
                a.expect(getters.poll(), "got " + value);
            } else {
                store.add(item);
            }
        }

        /** The next item out, without granting the freed slot. */
        int takeOnly() {
            Comparator<Item> out = switch (order) {
                case FIFO -> Comparator.comparingLong(Item::seq);
                case LIFO -> Comparator.comparingLong(Item::seq).reversed();
                case PRIORITY -> Comparator.comparingInt(Item::value).thenComparingLong(Item::seq);
            };
            Item next = store.stream().min(out).orElseThrow();
            store.remove(next);
            return next.value();
        }

        int take() {
            int v = takeOnly();
            grantPutters();
            return v;
        }

        void grantPutters() {
            while (!putters.isEmpty() && !full()) {
                String p = putters.poll();
                insert(putterItems.get(p));
                a.expect(p, "put");
            }
        }

        void removeWaiter(String w) {
            getters.remove(w);
            putters.remove(w);
        }
    }

    private void queueModel(Order order) throws Exception {
        forSeeds((r, a) -> {
            QueueModel m = new QueueModel(order, r.nextInt(4), a);
            Queue<Integer> q = switch (order) {
                case FIFO -> new Queue<>(m.maxsize);
                case LIFO -> new LifoQueue<>(m.maxsize);
                case PRIORITY -> new PriorityQueue<>(m.maxsize);
            };
            int[] counter = {0};
            java.util.function.IntSupplier nextValue = () -> order == Order.PRIORITY ? r.nextInt(10) : counter[0]++;
            for (int i = 0; i < OPS; i++) {
                int op = r.nextInt(20);
                if (op < 3) {
                    int v = nextValue.getAsInt();
                    a.op("putNowait " + v);
                    if (m.shutDown) {
                        assertThatThrownBy(() -> q.putNowait(v)).isInstanceOf(QueueShutDownException.class);
                    } else if (m.full()) {
                        assertThatThrownBy(() -> q.putNowait(v)).isInstanceOf(QueueFullException.class);
                    } else {
                        q.putNowait(v);
                        m.insert(v);
                    }
                } else if (op < 6) {
                    a.op("getNowait");
                    if (!m.store.isEmpty()) {
                        assertThat(q.getNowait()).as(a.where()).isEqualTo(m.take());
                    } else {
                        assertThatThrownBy(q::getNowait).as(a.where()).isInstanceOf(
                                m.shutDown ? QueueShutDownException.class : QueueEmptyException.class);
                    }
                } else if (op < 9) {
                    a.op("spawn getter");
                    String name = a.spawn(() -> "got " + q.get());
                    if (!m.store.isEmpty()) {
                        a.expect(name, "got " + m.take());
                    } else if (m.shutDown) {
                        a.expect(name, "QueueShutDownException");
                    } else {
                        m.getters.add(name);
                    }
                } else if (op < 12) {
                    int v = nextValue.getAsInt();
                    a.op("spawn putter " + v);
                    String name = a.spawn(() -> {
                        q.put(v);
                        return "put";
                    });
                    if (m.shutDown) {
                        a.expect(name, "QueueShutDownException");
                    } else if (!m.full()) {
                        m.insert(v);
                        a.expect(name, "put");
                    } else {
                        m.putters.add(name);
                        m.putterItems.put(name, v);
                    }
                } else if (op == 12 && !m.getters.isEmpty()) {
                    int v = nextValue.getAsInt();
                    int k = 1 + r.nextInt(Math.min(2, m.getters.size()));
                    a.op("putNowait " + v + "+cancel getters " + k);
                    q.putNowait(v); // handed to the oldest getter ...
                    for (int j = 0; j < k; j++) {
                        String g = m.getters.poll();
                        a.cancel(g); // ... cancelled before it ran: the item goes on, nothing is lost
                        a.expect(g, "cancelled");
                    }
                    m.insert(v);
                } else if (op == 13 && !m.putters.isEmpty()) {
                    int k = 1 + r.nextInt(Math.min(2, m.putters.size()));
                    a.op("getNowait+cancel putters " + k);
                    int expected = m.takeOnly();
                    assertThat(q.getNowait()).as(a.where()).isEqualTo(expected); // grants a slot ...
                    for (int j = 0; j < k; j++) {
                        String p = m.putters.poll();
                        a.cancel(p); // ... to a putter cancelled before it ran: the slot goes on
                        a.expect(p, "cancelled");
                    }
                    m.grantPutters();
                } else if (op == 14 && (!m.getters.isEmpty() || !m.putters.isEmpty())) {
                    a.op("cancel waiter");
                    Deque<String> all = new ArrayDeque<>(m.getters);
                    all.addAll(m.putters);
                    String w = removeRandom(all, r);
                    m.removeWaiter(w);
                    a.cancel(w);
                    a.expect(w, "cancelled");
                } else if (op == 15 || op == 16) {
                    a.op("taskDone");
                    if (m.unfinished > 0) {
                        q.taskDone();
                        m.unfinished--;
                    } else {
                        assertThatThrownBy(q::taskDone).isInstanceOf(IllegalStateException.class);
                    }
                } else if (op == 17 && r.nextInt(4) == 0) {
                    boolean immediate = r.nextBoolean();
                    a.op("shutdown " + immediate);
                    q.shutdown(immediate);
                    m.shutDown = true;
                    if (immediate) {
                        m.unfinished -= Math.min(m.unfinished, m.store.size());
                        m.store.clear();
                    }
                    while (!m.getters.isEmpty()) {
                        a.expect(m.getters.poll(), "QueueShutDownException");
                    }
                    while (!m.putters.isEmpty()) {
                        a.expect(m.putters.poll(), "QueueShutDownException");
                    }
                }
                a.check();
                assertThat(q.size()).as(a.where()).isEqualTo(m.store.size());
                assertThat(q.isFull()).as(a.where()).isEqualTo(m.full());
                assertThat(q.getterCount()).as(a.where()).isEqualTo(m.getters.size());
                assertThat(q.putterCount()).as(a.where()).isEqualTo(m.putters.size());
                assertThat(q.unfinishedCount()).as(a.where()).isEqualTo(m.unfinished);
                assertThat(q.isShutDown()).as(a.where()).isEqualTo(m.shutDown);
            }
            q.shutdown(true);
            for (String w : m.getters) {
                a.expect(w, "QueueShutDownException");
            }
            for (String w : m.putters) {
                a.expect(w, "QueueShutDownException");
            }
            a.check();
        });
    }
}
