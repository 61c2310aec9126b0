package dev.simmer.sync;

import dev.simmer.CancelledException;
import dev.simmer.EventLoop;
import dev.simmer.Promise;

import java.util.ArrayList;
import java.util.function.BooleanSupplier;

/**
 * A meeting point for a fixed number of tasks (asyncio's {@code Barrier}): each
 * {@link #await()} suspends until {@link #parties()} tasks have arrived, then all of them go
 * on, and the barrier can be used again.
 *
 * <pre>{@code
 * Barrier start = new Barrier(3);
 * for (int i = 0; i < 3; i++) {
 *     Async.createTask(() -> { int index = start.await(); ...; return index; });
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #await()} returns the arrival index, 0 for the first task to arrive and
 *       {@code parties - 1} for the last (asyncio's {@code wait()}); the last one does not
 *       suspend. The indices of one round are always distinct: a task that left the round
 *       before it was complete (cancelled) gives up its place, and those behind it move up
 *       (asyncio counts arrivals, so there two tasks of a round can get the same index after
 *       a cancellation).
 *   <li>Tasks arriving while the previous round is still leaving (draining) wait for it to
 *       end, so rounds do not mix.
 *   <li>{@link #abort()} breaks the barrier: waiting and arriving tasks get a
 *       {@link BrokenBarrierException} until {@link #reset()}. {@link #reset()} sends the
 *       tasks waiting now a {@link BrokenBarrierException} and makes the barrier usable again.
 *       Unlike asyncio, both are plain calls (nothing to wait for on one thread).
 *   <li>Cancellation: a task cancelled while it waits leaves the barrier (the count drops;
 *       the barrier is not broken, as in asyncio). A task cancelled after the round was
 *       released but before it ran again gets its {@link CancelledException}; the others of
 *       its round still pass.
 * </ul>
 *
 * <p>Must be called from the loop thread. Bound to the loop that first uses it; use from
 * another loop is an {@link IllegalStateException}.
 */
public final class Barrier {
    /*
     * Overview: asyncio's state machine.
     *
     *   state      await() arriving             waiting tasks                     count back to 0
     *   ---------  ---------------------------  --------------------------------  ---------------
     *   FILLING    count++, waits (last one:    wait                              -
     *              -> DRAINING, wakes all)
     *   DRAINING   waits until FILLING          return their index                -> FILLING
     *   RESETTING  waits until FILLING          throw BrokenBarrierException      -> FILLING
     *   BROKEN     throws BrokenBarrierException throw BrokenBarrierException     stays BROKEN
     *
     * Every change of state wakes every waiter, and each re-checks what it waits for.
     * `arrived` holds, in arrival order, a slot per task waiting in the filling round; the
     * last arrival writes each its index (its position) when it releases the round, so the
     * indices stay distinct when a waiter has left. Invariant while FILLING:
     * arrived.size() == count.
     */
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final int parties;
    private final SyncSupport.WaitList waiters = new SyncSupport.WaitList();
    private EventLoop loop;
    private State state = State.FILLING;
    private int count;
    private final ArrayList<int[]> arrived = new ArrayList<>();

    /**
     * A barrier for {@code parties} tasks.
     *
     * @param parties how many tasks must call {@link #await()} before all of them pass, at least 1
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("Barrier parties must be >= 1, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * Waits until {@link #parties()} tasks have arrived.
     *
     * <pre>{@code
     * int index = start.await();   // suspends until all parties have arrived
     * if (index == 0) {
     *     System.out.println("everyone is here");   // exactly one task of the round sees 0
     * }
     * }</pre>
     *
     * @return the arrival index, 0 .. parties - 1
     * @throws BrokenBarrierException if the barrier is broken, or is aborted or reset while the task waits
     * @throws CancelledException if the task is cancelled while it waits
     */
    public int await() {
        EventLoop l = bind("Barrier.await");
        SyncSupport.requireTask("Barrier.await");
        waitUntil(l, () -> state != State.DRAINING && state != State.RESETTING);
        if (state == State.BROKEN) {
            throw new BrokenBarrierException("Barrier aborted");
        }
        int[] slot = {count++};
        try {
            if (slot[0] + 1 == parties) {
                for (int i = 0; i < arrived.size(); i++) {
                    arrived.get(i)[0] = i; // in arrival order, closing the gaps left by cancelled waiters
                }
                arrived.clear();
                state = State.DRAINING; // the round is complete: release it
                waiters.wakeAll();
            } else {
                arrived.add(slot);
                waitUntil(l, () -> state != State.FILLING);
                if (state == State.BROKEN || state == State.RESETTING) {
                    throw new BrokenBarrierException("Barrier " + (state == State.BROKEN ? "aborted" : "reset")
                            + " while waiting");
                }
            }
            return slot[0];
        } finally {
            arrived.remove(slot); // left before the round was complete: give up the place
            count--;
            if (count == 0) { // the last to leave lets the next round in
                if (state == State.DRAINING || state == State.RESETTING) {
                    state = State.FILLING;
                }
                waiters.wakeAll();
            }
        }
    }

    /**
     * Breaks the barrier: tasks waiting now and arriving later get a
     * {@link BrokenBarrierException}, until {@link #reset()}.
     */
    public void abort() {
        bind("Barrier.abort");
        state = State.BROKEN;
        arrived.clear();
        waiters.wakeAll();
    }

    /**
     * Returns the barrier to its empty state. Tasks waiting in it now get a
     * {@link BrokenBarrierException}; a broken barrier becomes usable again.
     */
    public void reset() {
        bind("Barrier.reset");
        arrived.clear();
        if (count > 0) {
            state = State.RESETTING;
        } else {
            state = State.FILLING;
        }
        waiters.wakeAll();
    }

    /**
     * Whether the barrier is broken ({@link #abort()}).
     *
     * @return {@code true} after {@link #abort()}, until {@link #reset()}
     */
    public boolean isBroken() {
        bind("Barrier.isBroken");
        return state == State.BROKEN;
    }

    /** How many tasks are inside {@link #await()}, in any state (for tests). */
    int insideCount() {
        return count;
    }

    /**
     * How many tasks must arrive to pass.
     *
     * @return the number given to the constructor
     */
    public int parties() {
        return parties;
    }

    /**
     * How many tasks wait in the current round (asyncio's {@code n_waiting}; 0 while draining).
     *
     * @return the number of tasks waiting for the round to fill
     */
    public int waiting() {
        bind("Barrier.waiting");
        return state == State.FILLING ? count : 0;
    }

    @Override
    public String toString() {
        return "Barrier@" + Integer.toHexString(System.identityHashCode(this)) + " [" + state + ", waiting:" + count
                + "/" + parties + "]";
    }

    private void waitUntil(EventLoop l, BooleanSupplier ready) {
        while (!ready.getAsBoolean()) {
            Promise<Void> p = waiters.add(l, "Barrier.await()", this);
            try {
                SyncSupport.awaitWaiter(p);
            } catch (Throwable e) {
                waiters.remove(p); // every change wakes everyone: nothing to hand on
                throw e;
            }
        }
    }

    private EventLoop bind(String call) {
        EventLoop l = SyncSupport.bind(loop, this, call);
        loop = l;
        return l;
    }
}
