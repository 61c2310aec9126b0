package dev.simmer;

import dev.simmer.internal.Timer;

/**
 * A callback scheduled at a time by {@link EventLoop#callLater} or {@link EventLoop#callAt}.
 *
 * <pre>{@code
 * TimerHandle h = Async.loop().callLater(Duration.ofSeconds(5), () -> System.out.println("late"));
 * long due = h.when();
 * h.cancel();
 * }</pre>
 *
 * <p>Must be called from the loop thread.
 */
public final class TimerHandle extends Handle {
    private final EventLoop loop;
    private Timer timer;

    TimerHandle(Runnable callback, EventLoop loop) {
        super(callback);
        this.loop = loop;
    }

    void arm(Timer timer) {
        this.timer = timer;
    }

    /**
     * When the callback is due, in loop time ({@link EventLoop#time()} nanoseconds).
     *
     * @return the due time, in nanoseconds on the loop's clock
     */
    public long when() {
        return timer.deadline();
    }

    /** Cancels the callback and removes its timer (lazily) from the loop. */
    @Override
    public void cancel() {
        loop.checkThread("TimerHandle.cancel");
        super.cancel();
        loop.timers.cancel(timer);
    }
}
