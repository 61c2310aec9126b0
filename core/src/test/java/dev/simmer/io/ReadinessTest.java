package dev.simmer.io;

import dev.simmer.Async;
import dev.simmer.CancelledException;
import dev.simmer.DeadlockException;
import dev.simmer.EventLoop;
import dev.simmer.IoHandle;
import dev.simmer.Promise;
import dev.simmer.Runner;
import dev.simmer.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop's selector: {@link EventLoop#addReader}, {@link EventLoop#addWriter}, {@link Readiness}. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReadinessTest {

    private static Pipe pipe() throws Exception {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
    }

    private static void send(Pipe p, String text) throws Exception {
        p.sink().write(ByteBuffer.wrap(text.getBytes()));
    }

    private static String receive(Pipe p) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(256);
        p.source().read(buf);
        return new String(buf.array(), 0, buf.position());
    }

    @Test
    void aTaskSuspendsUntilItsChannelIsReadable() throws Exception {
        List<String> events = new ArrayList<>();
        Pipe p = pipe();
        Runner.create().virtualTime(true).run(() -> {
            Task<String> reader = Async.createTask(() -> {
                events.add("reader waits");
                Readiness.awaitReadable(p.source());
                events.add("reader woke");
                return receive(p);
            });
            Async.yieldNow();
            events.add("writer sends");
            send(p, "hello");
            assertThat(reader.await()).isEqualTo("hello");
        });
        assertThat(events).containsExactly("reader waits", "writer sends", "reader woke");
    }

    @Test
    void aWaitingTaskResumesOnThePassThatFindsItsChannelReady() throws Exception {
        Pipe p = pipe();
        List<String> events = new ArrayList<>();
        Runner.create().virtualTime(true).run(() -> {
            Task<Void> reader = Async.createTask(() -> {
                Async.loop().awaitReadable(p.source());
                events.add("reader woke");
            });
            Async.yieldNow(); // the reader waits
            send(p, "x");
            Async.yieldNow(); // next pass: this task first (it was ready already), then the poll's finds
            events.add("one pass later");
            Async.yieldNow();
            events.add("two passes later");
            reader.await();
        });
        // a callback woken by the poll that then wakes the task would take one pass more
        assertThat(events).containsExactly("one pass later", "reader woke", "two passes later");
    }

    @Test
    void aTaskWaitingForIoSaysSoInTheTaskDump() throws Exception {
        Pipe p = pipe();
        String dump = Runner.create().virtualTime(true).run(() -> {
            Task<Void> reader = Async.createTask("reader", () -> Async.loop().awaitReadable(p.source()));
            Async.yieldNow();
            String d = Async.loop().dumpTasks();
            reader.cancel();
            assertThatThrownBy(reader::await).isInstanceOf(CancelledException.class);
            return d;
        });
        assertThat(dump).contains("'reader': waiting for " + p.source() + " to be readable");
    }

    @Test
    void awaitReadableOutsideATaskOrOnABlockingChannelIsRefusedWithAClearError() throws Exception {
        Pipe blocking = Pipe.open();
        Pipe p = pipe();
        Async.run(() -> {
            assertThatThrownBy(() -> Async.loop().awaitWritable(blocking.sink()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("configureBlocking(false)");
            Promise<Throwable> fromCallback = new Promise<>();
            Async.loop().callSoon(() -> {
                try {
                    Async.loop().awaitReadable(p.source());
                    fromCallback.complete(null);
                } catch (Throwable e) {
                    fromCallback.complete(e);
                }
            });
            assertThat(fromCallback.await()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inside a task");
            assertThat(Async.loop().removeReader(p.source())).isFalse(); // the refused wait left no watch behind
        });
    }

    @Test
    void dataFromAnotherThreadWakesTheLoopBlockedInSelect() throws Exception {
        Pipe p = pipe();
        String got = Async.run(() -> {
            Thread.ofPlatform().start(() -> {
                try {
                    send(p, "from a thread");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Readiness.awaitReadable(p.source()); // no timer, nothing in flight: only the watched channel
            return receive(p);
        });
        assertThat(got).isEqualTo("from a thread");
    }

    @Test
    void callSoonThreadsafeWakesALoopWaitingInSelect() throws Exception {
        Pipe p = pipe();
        String got = Async.run(() -> {
            EventLoop loop = Async.loop();
            loop.addReader(p.source(), () -> { }); // never readable: the loop waits in select()
            Promise<String> answer = loop.createPromise();
            Thread.ofPlatform().start(() -> loop.callSoonThreadsafe(() -> answer.complete("posted")));
            String value = answer.await();
            loop.removeReader(p.source());
            return value;
        });
        assertThat(got).isEqualTo("posted");
    }

    @Test
    void virtualTimeStillJumpsWhileAChannelIsWatched() throws Exception {
        Pipe p = pipe();
        long started = System.nanoTime();
        long loopMillis = Runner.create().virtualTime(true).run(() -> {
            Task<Void> silent = Async.createTask(() -> Readiness.awaitReadable(p.source()));
            Async.sleep(Duration.ofHours(1));
            silent.cancel();
            return Async.loop().time() / 1_000_000;
        });
        assertThat(loopMillis).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void virtualTimeDoesNotJumpPastDataAlreadyWaiting() throws Exception {
        Pipe p = pipe();
        send(p, "early");
        String got = Runner.create().virtualTime(true).run(() -> Async.timeout(Duration.ofSeconds(1), () -> {
            Readiness.awaitReadable(p.source());
            return receive(p);
        }));
        assertThat(got).isEqualTo("early");
    }

    @Test
    void aBusyLoopStillPollsIo() throws Exception {
        Pipe p = pipe();
        int spins = Runner.create().virtualTime(true).run(() -> {
            Task<String> reader = Async.createTask(() -> {
                Readiness.awaitReadable(p.source());
                return receive(p);
            });
            Async.yieldNow();
            send(p, "x");
            int n = 0;
            while (!reader.isDone()) {
                Async.yieldNow(); // the ready queue is never empty
                n++;
            }
            return n;
        });
        assertThat(spins).isLessThan(5);
    }

    @Test
    void cancellingAWaitRemovesTheInterestSoADeadlockIsSeenAgain() throws Exception {
        Pipe p = pipe();
        assertThatThrownBy(() -> Runner.create().virtualTime(true).run(() -> {
            Task<Void> waiter = Async.createTask(() -> Readiness.awaitReadable(p.source()));
            Async.yieldNow();
            waiter.cancel();
            assertThatThrownBy(waiter::await).isInstanceOf(CancelledException.class);
            new Promise<String>().await(); // nothing can complete it, and no channel is watched any more
        })).isInstanceOf(DeadlockException.class);
        send(p, "still there");
        assertThat(receive(p)).isEqualTo("still there"); // the wait consumed nothing
    }

    @Test
    void aWatchedChannelKeepsTheLoopFromReportingADeadlock() throws Exception {
        Pipe p = pipe();
        String got = Async.run(() -> {
            Promise<String> answer = new Promise<>();
            Async.loop().addReader(p.source(), () -> {
                try {
                    answer.complete(receive(p));
                } catch (Exception e) {
                    answer.fail(e);
                }
                Async.loop().removeReader(p.source());
            });
            Thread.ofPlatform().start(() -> {
                try {
                    send(p, "late data");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            return answer.await();
        });
        assertThat(got).isEqualTo("late data");
    }

    @Test
    void closeChannelWakesTheWaiterWhichSeesTheClose() throws Exception {
        assertCloseWakesTheWaiter(p -> Async.loop().closeChannel(p.source()));
    }

    @Test
    void aChannelClosedBehindTheLoopsBackWakesItsWaiter() throws Exception {
        assertCloseWakesTheWaiter(p -> p.source().close());
    }

    private interface Closer {
        void close(Pipe p) throws Exception;
    }

    private static void assertCloseWakesTheWaiter(Closer closer) throws Exception {
        Pipe p = pipe();
        Runner.create().virtualTime(true).run(() -> {
            Task<String> reader = Async.createTask(() -> {
                Readiness.awaitReadable(p.source());
                return receive(p);
            });
            Async.yieldNow();
            closer.close(p);
            assertThatThrownBy(reader::await).isInstanceOf(ClosedChannelException.class);
        });
    }

    @Test
    void aWriterRunsEachPassWhileTheChannelIsWritableUntilCancelled() throws Exception {
        Pipe p = pipe();
        int calls = Runner.create().virtualTime(true).run(() -> {
            int[] n = {0};
            Promise<Void> three = new Promise<>();
            IoHandle[] h = new IoHandle[1];
            h[0] = Async.loop().addWriter(p.sink(), () -> {
                if (++n[0] == 3) {
                    h[0].cancel();
                    three.complete(null);
                }
            });
            three.await();
            Async.sleep(Duration.ofMillis(10));
            return n[0];
        });
        assertThat(calls).isEqualTo(3);
    }

    @Test
    void aBlockingChannelIsRefusedWithAClearError() throws Exception {
        Pipe p = Pipe.open();
        Async.run(() -> assertThatThrownBy(() -> Async.loop().addReader(p.source(), () -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configureBlocking(false)"));
    }

    @Test
    void addReaderFromAnotherThreadIsRefused() throws Exception {
        Pipe p = pipe();
        Async.run(() -> {
            EventLoop loop = Async.loop();
            Throwable thrown = Async.toThread(() -> {
                try {
                    loop.addReader(p.source(), () -> { });
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(thrown).hasMessageContaining("callSoonThreadsafe");
        });
    }
    @Test
    void aSecondTaskWaitingOnTheSameChannelAndDirectionIsRefusedAndTheFirstStillWakes() throws Exception {
        Pipe p = pipe();
        List<String> events = new ArrayList<>();
        Runner.create().virtualTime(true).run(() -> {
            Task<Void> first = Async.createTask(() -> {
                Readiness.awaitReadable(p.source());
                events.add("first woke: " + receive(p));
            });
            Async.yieldNow(); // the first waits
            Task<Void> second = Async.createTask(() -> Readiness.awaitReadable(p.source()));
            assertThatThrownBy(second::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already waits for").hasMessageContaining("readable");
            assertThatThrownBy(() -> Async.loop().addReader(p.source(), () -> { }))
                    .isInstanceOf(IllegalStateException.class);
            Task<Void> writer = Async.createTask(() -> Readiness.awaitWritable(p.sink()));
            writer.await(); // the other direction (and another channel) is free
            send(p, "data");
            first.await();
        });
        assertThat(events).containsExactly("first woke: data");
    }

    @Test
    void aWaitThatHasBeenWokenMayBeTakenOverByAnotherTask() throws Exception {
        Pipe p = pipe();
        List<String> events = new ArrayList<>();
        Runner.create().virtualTime(true).run(() -> {
            Task<Void> first = Async.createTask(() -> {
                Readiness.awaitReadable(p.source());
                events.add("first woke");
            });
            Async.yieldNow(); // the first waits
            send(p, "x");
            first.cancel(); // woken (by the cancel), not yet resumed: its watch may be replaced
            Task<Void> second = Async.createTask(() -> {
                Readiness.awaitReadable(p.source());
                events.add("second woke: " + receive(p));
            });
            assertThatThrownBy(first::await).isInstanceOf(dev.simmer.CancelledException.class);
            second.await();
        });
        assertThat(events).containsExactly("second woke: x");
    }
    @Test
    void aWriterSetWhileConnectingGoesOnBeingCalledOnceConnected() throws Exception {
        // An addWriter callback that finishes the connect itself: the loop must move the
        // channel's interest from OP_CONNECT on to OP_WRITE (left on OP_CONNECT, epoll keeps
        // reporting the channel without the JDK ever passing it on, and the writer never runs again).
        int calls = Runner.create().virtualTime(true).run(() -> {
            try (java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open()
                    .bind(new java.net.InetSocketAddress("127.0.0.1", 0));
                 java.nio.channels.SocketChannel client = java.nio.channels.SocketChannel.open()) {
                client.configureBlocking(false);
                client.connect(listener.getLocalAddress());
                int[] count = new int[1];
                IoHandle h = Async.loop().addWriter(client, () -> {
                    try {
                        if (client.isConnectionPending()) {
                            client.finishConnect();
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    count[0]++;
                });
                for (int i = 0; i < 200 && count[0] < 5; i++) {
                    Async.yieldNow(); // a pass each: the selector is polled every time
                }
                h.cancel();
                Async.loop().closeChannel(client);
                return count[0];
            }
        });
        assertThat(calls).as("writer calls once connected and writable").isGreaterThanOrEqualTo(5);
    }
}
