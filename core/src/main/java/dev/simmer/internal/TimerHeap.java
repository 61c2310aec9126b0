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
     * Invariant: heap[0..size) is a heap; timer.inHeap() iff it is in there; the entries'
     * numbers (without the mark) are distinct and below nextSeq.
     * live = size - cancelledInHeap.
     */
    private static final int PURGE_MIN = 64;

    /** The renumbering order: the heap's own, (deadline, seq without the mark). */
    private static final Comparator<Timer> ORDER = (a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0;

    private final int seqLimit;
    private Timer[] heap = new Timer[16];
    private int size;
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
        push(t);
        return t;
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
        if (size > heap.length || cancelledInHeap < 0 || cancelledInHeap > size) {
            return false;
        }
        int[] numbers = new int[size];
        int marked = 0;
        for (int i = 0; i < size; i++) {
            Timer t = heap[i];
            if (!t.inHeap() || (i > 0 && t.before(heap[(i - 1) >>> 1]))) {
                return false;
            }
            numbers[i] = t.seq & ~Timer.CANCELLED;
            marked += t.isCancelled() ? 1 : 0;
        }
        Arrays.sort(numbers);
        for (int i = 1; i < size; i++) {
            if (numbers[i] == numbers[i - 1]) {
                return false;
            }
        }
        return marked == cancelledInHeap && (size == 0 || numbers[size - 1] < nextSeq);
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
        if (cancelledInHeap > PURGE_MIN && cancelledInHeap * 2 > size) {
            purge();
        }
        return true;
    }

    /** Number of timers that will still fire. */
    public int liveCount() {
        return size - cancelledInHeap;
    }

    /** The earliest live timer, or null. */
    public Timer peek() {
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
