package dev.simmer.internal;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A binary min-heap of {@link Timer}s ordered by (deadline, sequence).
 *
 * <p>Must be used from the loop thread.
 */
public final class TimerHeap {
    /*
     * Overview: cancelling a timer only marks it (lazy removal, O(1)); marked timers are
     * dropped when they reach the top. So that a program that arms and cancels many timeouts
     * does not grow the heap without bound, the heap is rebuilt without the marked entries
     * once they are more than half of it (and more than a handful).
     *
     * Sequence numbers are ints below Timer.CANCELLED (2^30), the mark's bit. Once nextSeq
     * reaches seqLimit (that bit in production, after about a billion armings), the heap
     * renumbers its entries, the cancelled ones too (keeping their mark), as 0..size-1 in
     * their (deadline, seq) order, and numbering goes on from size. That keeps the order of
     * every pair, so the array is still a heap as it stands and no timer changes its place.
     *
     * A fiber rearmed for a sleep is not sifted into the heap at once: it waits in `arrivals`,
     * in arming order, until the heap is next read (peek, pollDue, a purge or a renumbering),
     * which sifts them all in; one that was cancelled meanwhile never enters. Arming a sleep is
     * then a few stores, with no loop and, but for the array's growth, no call: that code is
     * compiled into the sleeping task's own frame, which its stack chunk keeps while it sleeps,
     * and a sift-up there (its loop, its checks) made that frame 16 bytes larger, and the task's
     * compiled body too big for the JIT to inline it into the continuation's entry. Order is
     * unchanged: a timer's number is taken when it is armed.
     *
     * Invariant: heap[0..size) is a heap; arrivals[0..arrivalCount) holds the rest of the
     * armed timers; timer.inHeap() iff it is in either (armed: "in the heap" below means so);
     * the entries' numbers (without the mark) are distinct and below nextSeq; cancelledInHeap
     * counts the marked ones in both. live = size + arrivalCount - cancelledInHeap.
     */
    private static final int PURGE_MIN = 64;
    private static final int ARRIVALS_MIN = 16;

    /** The renumbering order: the heap's own, (deadline, seq without the mark). */
    private static final Comparator<Timer> ORDER = (a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0;

    private final int seqLimit;
    private Timer[] heap = new Timer[16];
    private int size;
    private Timer[] arrivals = new Timer[ARRIVALS_MIN]; // never full: see rearm
    private int arrivalCount;
    private int cancelledInHeap;
    private int nextSeq;
    int renumbered; // how many times; for tests

    public TimerHeap() {
        this(Timer.CANCELLED);
    }

    /** For tests: renumbers once {@code seqLimit} numbers were handed out, not 2^30. */
    TimerHeap(int seqLimit) {
        if (seqLimit <= 0 || seqLimit > Timer.CANCELLED) {
            throw new IllegalArgumentException("seqLimit " + seqLimit);
        }
        this.seqLimit = seqLimit;
    }

    /** Adds a timer due at {@code deadline}; returns it so that it can be cancelled. */
    public Timer add(long deadline, Object callback) {
        // Numbered after its allocation, not in the constructor call: when this is compiled into
        // a sleeping task's frame (rearm's fallback), a counter read before the allocation stays
        // live across its slow path, which costs the frame kept while the task is suspended 16
        // bytes on JDK 25's C2.
        Timer t = new Timer(deadline, -1, callback);
        t.seq = takeSeq();
        push(t);
        return t;
    }

    /**
     * Arms {@code t} again, due at {@code deadline}, and returns it; a task's fiber is armed so
     * for each of its sleeps. If {@code t} is still in the heap (cancelled, not dropped yet) a
     * new timer is added instead and returned: cancel that one, not {@code t}.
     */
    public Timer rearm(Timer t, long deadline, Object callback) {
        if (t.inHeap()) {
            return add(deadline, callback);
        }
        t.deadline = deadline;
        t.callback = callback;
        t.seq = takeSeq();
        arrivals[arrivalCount] = t;
        // Grown after the store, not before it: fewer values are live across the call then,
        // which keeps the compiled frame around it small (see the overview).
        if (++arrivalCount == arrivals.length) {
            growArrivals();
        }
        return t;
    }

    private void growArrivals() {
        arrivals = Arrays.copyOf(arrivals, arrivals.length * 2);
    }

    /** Sifts the timers armed since the heap was last read into it; a cancelled one leaves instead. */
    private void settle() {
        Timer[] a = arrivals;
        int n = arrivalCount;
        for (int i = 0; i < n; i++) {
            Timer t = a[i];
            a[i] = null;
            if (t.isCancelled()) {
                t.seq = -1; // left without entering
                cancelledInHeap--;
            } else {
                push(t);
            }
        }
        arrivalCount = 0;
        if (a.length > 64 * ARRIVALS_MIN && n < a.length / 4) { // a burst is over: give most of it back
            arrivals = new Timer[a.length / 2];
        }
    }

    /** The next arming's number. ({@code >=}: a test's small limit may be below the size.) */
    private int takeSeq() {
        if (nextSeq >= seqLimit) {
            renumber();
        }
        return nextSeq++;
    }

    /** Numbers the entries 0..size-1 in their order, keeping the marks (see the overview). */
    private void renumber() {
        settle();
        if (size >= Timer.CANCELLED) { // the next number, size, must stay below the mark
            throw new IllegalStateException("more than 2^30 timers armed at once");
        }
        Timer[] inOrder = Arrays.copyOf(heap, size);
        Arrays.sort(inOrder, ORDER);
        for (int i = 0; i < size; i++) {
            Timer t = inOrder[i];
            t.seq = i | (t.seq & Timer.CANCELLED);
        }
        nextSeq = size;
        renumbered++;
        assert isValid() : "renumbering broke the heap";
    }

    /** Checks the invariants (see the overview) in O(size log size); for asserts and tests. */
    boolean isValid() {
        int armed = size + arrivalCount;
        if (size > heap.length || arrivalCount >= arrivals.length || cancelledInHeap < 0 || cancelledInHeap > armed) {
            return false;
        }
        int[] numbers = new int[armed];
        int marked = 0;
        for (int i = 0; i < armed; i++) {
            Timer t = i < size ? heap[i] : arrivals[i - size];
            if (!t.inHeap() || (i > 0 && i < size && t.before(heap[(i - 1) >>> 1]))) {
                return false;
            }
            numbers[i] = t.seq & ~Timer.CANCELLED;
            marked += t.isCancelled() ? 1 : 0;
        }
        Arrays.sort(numbers);
        for (int i = 1; i < armed; i++) {
            if (numbers[i] == numbers[i - 1]) {
                return false;
            }
        }
        return marked == cancelledInHeap && (armed == 0 || numbers[armed - 1] < nextSeq);
    }

    /** How many timers are sifted into the heap proper, cancelled ones too; for tests. */
    int sifted() {
        return size;
    }

    private void push(Timer t) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        siftUp(size++);
    }

    /**
     * Marks {@code t} cancelled; it never fires. Returns false if it already fired or was
     * cancelled. A fiber's timer keeps its callback (its task, which the fiber needs); any
     * other lets go of it at once.
     */
    public boolean cancel(Timer t) {
        if (t.isCancelled() || !t.inHeap()) {
            return false;
        }
        t.seq |= Timer.CANCELLED;
        if (!(t instanceof Engine.Fiber)) {
            t.callback = null;
        }
        cancelledInHeap++;
        if (cancelledInHeap > PURGE_MIN && cancelledInHeap * 2 > size + arrivalCount) {
            settle(); // the cancelled arrivals leave; the rest are purged from the heap
            purge();
        }
        return true;
    }

    /** Number of timers that will still fire. */
    public int liveCount() {
        return size + arrivalCount - cancelledInHeap;
    }

    /** The earliest live timer, or null. */
    public Timer peek() {
        if (arrivalCount > 0) {
            settle();
        }
        dropCancelledTop();
        return size == 0 ? null : heap[0];
    }

    /** Removes and returns the earliest live timer if it is due at {@code now}, else null. */
    public Timer pollDue(long now) {
        Timer top = peek();
        if (top == null || top.deadline > now) {
            return null;
        }
        removeTop();
        return top;
    }

    private void dropCancelledTop() {
        while (size > 0 && heap[0].isCancelled()) {
            removeTop();
            cancelledInHeap--;
        }
    }

    private void removeTop() {
        Timer top = heap[0];
        Timer last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            heap[0] = last;
            siftDown(0);
        }
        top.seq = -1; // left the heap
    }

    private void purge() {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Timer t = heap[i];
            if (t.isCancelled()) {
                t.seq = -1; // left the heap
            } else {
                heap[kept++] = t;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        cancelledInHeap = 0;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void siftUp(int i) {
        Timer t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Timer p = heap[parent];
            if (!t.before(p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = t;
    }

    private void siftDown(int i) {
        Timer t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(t)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = t;
    }
}
