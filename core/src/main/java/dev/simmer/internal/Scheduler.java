package dev.simmer.internal;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The loop's pass (asyncio's {@code _run_once}), and everything it draws from: the ready
 * queue, the inbox that other threads hand work into, the timers, the selector, schedule
 * fuzzing, and the wait for work, a timer or I/O. It knows nothing of tasks: an entry is any
 * object, and the loop ({@link dev.simmer.EventLoop}) runs each one it takes from the pass.
 *
 * <p>One pass, as {@code EventLoop.runOnce} drives it:
 * <pre>
 *   nothing ready or handed in?  waitForWork()     park, or select() when channels are watched,
 *                                                  until the inbox, the next timer or I/O; under
 *                                                  virtual time the clock jumps to the next timer
 *   else                         pollIoIfWatched() a busy loop still polls the selector, at once
 *   startPass()                  inbox, then due timers, join the ready queue; shuffled when fuzzing;
 *                                the entries ready now are this pass, the ones they add the next
 *   nextOfPass() until null      the loop runs each entry
 * </pre>
 * On the threads engine the thread of a task whose step just ended may take the pass on from
 * the loop's thread ({@code EventLoop.stepEnded}); it calls the same methods, one thread at a
 * time.
 *
 * <p>Confined to the loop's thread (or the thread that runs the pass for it), except
 * {@link #handIn}, {@link #takeBack} and {@link #wakeIfIdle}, which any thread may call.
 */
public final class Scheduler {
    /*
     * inFlight counts thread-side work that will report back through the inbox (toThread,
     * awaited CompletionStages). With nothing ready, no live timer and nothing in flight, and
     * no channel watched, nothing can happen any more (nothingCanHappen): a waiting main task
     * can never be woken, the deadlock that Async.run reports.
     */
    private ArrayDeque<Object> ready = new ArrayDeque<>();
    private boolean readyGrown; // the ready queue held more than READY_KEEP entries since it was made
    int readyReplaced; // how often it was replaced after a burst (tests read it)
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final TimerHeap timers = new TimerHeap();
    private final Clock clock;
    private final Thread thread; // the loop's thread: a hand-in unparks it
    private final RandomGenerator shuffle; // schedule fuzzing; null when off
    private Object[] shuffled = new Object[0];
    private final Consumer<Object> fromIo; // where the selector hands what it found ready
    private final BooleanSupplier inboxFilled = () -> !inbox.isEmpty();
    private volatile boolean idle;
    private IoSelector io; // made when the first channel is watched; read by wakeIfIdle after `idle`
    private int passRemaining; // entries of the current pass not taken yet
    private int inFlight;
    private boolean interrupted;
    private long passes; // for the loop's stats
    private int readyHighWater;

    /*
     * Timers, handed-in work and I/O share one wait: select() until the next timer, woken by
     * wakeIfIdle(). Under virtual time the clock still jumps to the next timer, but not past
     * I/O that is about to arrive: with a reader or writer set, it jumps only after a short
     * real wait (IO_GRACE_NANOS) has found nothing ready and nothing handed in.
     */
    private static final long IO_GRACE_NANOS = 5_000_000;

    /**
     * An ArrayDeque never gives back the array it grew to: after a pass of more entries than
     * this, the ready queue is replaced by a new one as soon as it is empty, so that a burst
     * (a million tasks started at once) does not keep megabytes for the loop's life.
     */
    private static final int READY_KEEP = 4096;

    /**
     * @param clock   where the loop reads time (a virtual clock jumps while the loop waits)
     * @param thread  the loop's thread, woken when work is handed in
     * @param shuffleSeed the seed of schedule fuzzing, or null for none
     * @param fromIo  takes each watch (a task or a callback) that the selector found ready
     */
    public Scheduler(Clock clock, Thread thread, Long shuffleSeed, Consumer<Object> fromIo) {
        this.clock = clock;
        this.thread = thread;
        this.shuffle = shuffleSeed == null ? null : new java.util.SplittableRandom(shuffleSeed);
        this.fromIo = fromIo;
    }

    // ----------------------------------------------------------------- the ready queue

    /** Puts {@code entry} at the end of the ready queue: it runs on the next pass. */
    public void schedule(Object entry) {
        ready.add(entry);
    }

    /** How many entries are ready (this pass's and the next one's). */
    public int readyCount() {
        return ready.size();
    }

    /** The first ready entry, or null. */
    public Object firstReady() {
        return ready.peekFirst();
    }

    /** Takes the first ready entry out of the queue, outside a pass (a task running ahead). */
    public Object takeFirstReady() {
        return ready.pollFirst();
    }

    // ----------------------------------------------------------------- the inbox: any thread

    /** Any thread: hands {@code entry} in; the next pass moves it to the ready queue. Wake the loop after. */
    public void handIn(Object entry) {
        inbox.add(entry);
    }

    /** Any thread: takes back an entry handed in and not yet moved; whether it was still there. */
    public boolean takeBack(Object entry) {
        return inbox.remove(entry);
    }

    /** Any thread: wakes the loop if it waits for work (park or select). */
    public void wakeIfIdle() {
        if (idle) {
            IoSelector s = io;
            if (s != null) {
                s.wakeup(); // sticky: a select about to start returns at once
            }
            LockSupport.unpark(thread);
        }
    }

    // ----------------------------------------------------------------- one pass

    /** Whether a pass has anything to run without waiting: entries ready, or handed in. */
    public boolean hasWork() {
        return !ready.isEmpty() || !inbox.isEmpty();
    }

    /** A loop with work still polls the selector every pass, without waiting. */
    public void pollIoIfWatched() {
        if (io != null && io.wantsSelect()) {
            io.select(0, fromIo, inboxFilled);
        }
    }

    /** Whether the next pass would poll the selector first (channels are watched). */
    public boolean watchesIo() {
        return io != null && io.wantsSelect();
    }

    /** Begins a pass: the inbox and due timers join the ready queue, which fuzzing shuffles; all of it is this pass. */
    public void startPass() {
        moveInInboxAndDueTimers();
        int n = ready.size();
        passes++;
        if (n > readyHighWater) {
            readyHighWater = n;
        }
        if (n > READY_KEEP) {
            readyGrown = true;
        }
        if (shuffle != null) {
            shuffleReady(n);
        }
        passRemaining = n;
    }

    /** The pass's next entry, or null once it has run them all; what they schedule waits for the next pass. */
    public Object nextOfPass() {
        if (passRemaining == 0) {
            return null;
        }
        passRemaining--;
        Object entry = ready.poll();
        if (passRemaining == 0 && readyGrown && ready.isEmpty()) {
            ready = new ArrayDeque<>(); // let go of the array a burst grew
            readyGrown = false;
            readyReplaced++;
        }
        return entry;
    }

    /** Whether the current pass has entries left. */
    public boolean inPass() {
        return passRemaining != 0;
    }

    /** Ends the current pass early (what escaped it ends the loop). */
    public void abandonPass() {
        passRemaining = 0;
    }

    /** What other threads handed in, then the due timers, in (deadline, sequence) order, join the ready queue. */
    public void moveInInboxAndDueTimers() {
        for (Object h; (h = inbox.poll()) != null; ) {
            ready.add(h);
        }
        if (timers.liveCount() > 0) {
            long now = clock.nanoTime();
            for (Timer t; (t = timers.pollDue(now)) != null; ) {
                ready.add(t);
            }
        }
    }

    /** Schedule fuzzing: puts the {@code n} ready entries (the whole queue) in a seeded random order. */
    private void shuffleReady(int n) {
        if (n < 2) {
            return;
        }
        if (shuffled.length < n) {
            shuffled = new Object[Math.max(n, shuffled.length * 2)];
        }
        Object[] a = shuffled;
        for (int i = 0; i < n; i++) {
            a[i] = ready.poll();
        }
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates
            int j = shuffle.nextInt(i + 1);
            Object t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        for (int i = 0; i < n; i++) {
            ready.add(a[i]);
            a[i] = null;
        }
    }

    // ----------------------------------------------------------------- waiting

    /**
     * Waits for work: something handed in, the next timer, or (when channels are watched) I/O.
     * Under virtual time, with nothing in flight, the clock jumps to the next timer instead.
     * An interrupt ends the wait and is kept ({@link #interrupted}).
     */
    public void waitForWork() {
        Timer next = timers.peek();
        if (io != null && io.wantsSelect()) {
            waitForWorkOrIo(next);
            return;
        }
        if (next != null && inFlight == 0 && clock.skipTo(next.deadline())) {
            return;
        }
        idle = true;
        try {
            while (inbox.isEmpty()) {
                if (next == null) {
                    LockSupport.park(this);
                } else {
                    long wait = next.deadline() - clock.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, wait);
                }
                if (Thread.interrupted()) {
                    interrupted = true; // Async.run cancels its main task, as asyncio does on Ctrl-C
                    break;
                }
            }
        } finally {
            idle = false;
        }
    }

    private void waitForWorkOrIo(Timer next) {
        idle = true;
        try {
            if (next != null && inFlight == 0 && clock.isVirtual()) {
                if (io.select(io.hasInterest() ? IO_GRACE_NANOS : 0, fromIo, inboxFilled) > 0 || !inbox.isEmpty()) {
                    return;
                }
                if (clock.skipTo(next.deadline())) {
                    return;
                }
            }
            while (inbox.isEmpty()) {
                long wait = -1;
                if (next != null) {
                    wait = next.deadline() - clock.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                }
                if (io.select(wait, fromIo, inboxFilled) > 0) {
                    break;
                }
                if (Thread.interrupted()) {
                    interrupted = true; // Async.run cancels its main task, as asyncio does on Ctrl-C
                    break;
                }
            }
        } finally {
            idle = false;
        }
    }

    /** Whether a wait was ever interrupted (the loop then cancels its main task, and interrupts its thread again at the end). */
    public boolean interrupted() {
        return interrupted;
    }

    /** Nothing can happen any more: nothing ready or handed in, no live timer, nothing in flight, no I/O watched. */
    public boolean nothingCanHappen() {
        return ready.isEmpty() && timers.liveCount() == 0 && inFlight == 0 && inbox.isEmpty()
                && (io == null || !io.hasInterest());
    }

    /** Thread-side work begins: its result will come through the inbox, so the loop must wait for it. */
    public void externalBegins() {
        inFlight++;
    }

    /** The result of thread-side work arrived. */
    public void externalEnds() {
        inFlight--;
    }

    // ----------------------------------------------------------------- timers, I/O, stats

    /** The loop's timers. */
    public TimerHeap timers() {
        return timers;
    }

    /** The selector, or null while no channel has been watched. */
    public IoSelector io() {
        return io;
    }

    /** The selector, made on first use. */
    public IoSelector ioForWatching() {
        if (io == null) {
            io = new IoSelector();
        }
        return io;
    }

    /** Where the selector hands what it found ready (also for a watch whose channel closed). */
    public Consumer<Object> fromIo() {
        return fromIo;
    }

    /** Passes run so far. */
    public long passes() {
        return passes;
    }

    /** The most entries ready at the start of one pass. */
    public int readyHighWater() {
        return readyHighWater;
    }

    // ----------------------------------------------------------------- closing

    /** Closing: every entry still ready or handed in, in that order, to {@code left}; both queues end empty. */
    public void drain(Consumer<Object> left) {
        for (Object entry : ready) {
            left.accept(entry);
        }
        ready.clear();
        for (Object h; (h = inbox.poll()) != null; ) {
            left.accept(h);
        }
    }

    /** Closing: closes the selector, if one was made. */
    public void closeIo() {
        if (io != null) {
            io.close();
        }
    }
}
