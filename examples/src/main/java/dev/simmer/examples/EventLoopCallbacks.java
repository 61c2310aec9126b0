package dev.simmer.examples;

import dev.simmer.Async;
import dev.simmer.EventLoop;
import dev.simmer.Promise;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The guide's event loop chapter (not a tutorial program; the tutorials' "The Event Loop" is
 * {@link RunUntilComplete}): what the loop does under the tasks. You rarely touch it, but it is
 * there: {@link Async#loop()} is asyncio's {@code get_running_loop()}. It prints what this
 * Python prints:
 *
 * <pre>
 * import asyncio
 *
 * async def main():
 *     loop = asyncio.get_running_loop()
 *     start = loop.time()
 *     bell = loop.create_future()
 *     loop.call_later(2, bell.set_result, "order up")
 *     loop.call_soon(print, "callback: runs on the next pass")
 *     print("main: waiting for the bell")
 *     print(f"main: {await bell} at {loop.time() - start:.2f}s")
 *
 * asyncio.run(main())
 * </pre>
 *
 * <p>A callback ({@link EventLoop#callSoon}, {@link EventLoop#callLater}) is a plain
 * {@link Runnable} the loop runs on one of its passes; a {@link Promise} is a result that
 * arrives later (asyncio's {@code Future}), which a task can await.
 */
public final class EventLoopCallbacks extends Example {
    /** The example, printing to {@code out}. */
    public EventLoopCallbacks(PrintStream out) {
        super(out);
    }

    @Override
    public void run() throws Exception {
        EventLoop loop = Async.loop();                 // asyncio.get_running_loop()
        long start = loop.time();
        Promise<String> bell = loop.createPromise();   // loop.create_future()
        loop.callLater(Duration.ofSeconds(2), () -> bell.complete("order up"));
        loop.callSoon(() -> print("callback: runs on the next pass"));
        print("main: waiting for the bell");
        String news = bell.await();                    // suspends main; the loop runs the callbacks
        print("main: " + news + " at " + secondsSince(start));
    }
}
