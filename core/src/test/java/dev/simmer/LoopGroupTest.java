package dev.simmer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link LoopGroup}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopGroupTest {

    @Test
    void startRunsEachLoopOnAThreadOfItsOwn() throws Exception {
        try (LoopGroup group = LoopGroup.start(3)) {
            assertThat(group.size()).isEqualTo(3);
            assertThat(group.loops()).hasSize(3).doesNotHaveDuplicates();
            Set<EventLoop> loops = new HashSet<>();
            for (LoopThread t : group.loops()) {
                assertThat(t.isAlive()).isTrue();
                loops.add(t.submit(Async::loop).get(10, TimeUnit.SECONDS));
            }
            assertThat(loops).hasSize(3);
            assertThatThrownBy(() -> group.loops().add(LoopThread.start()))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void startWithoutACountStartsOneLoopPerCore() {
        try (LoopGroup group = LoopGroup.start()) {
            assertThat(group.size()).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void startRefusesLessThanOneLoop() {
        assertThatThrownBy(() -> LoopGroup.start(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one loop");
    }

    @Test
    void nextGoesRoundRobinAndSubmitFollowsIt() throws Exception {
        try (LoopGroup group = LoopGroup.start(3)) {
            List<LoopThread> picked = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                picked.add(group.next());
            }
            List<LoopThread> loops = group.loops();
            int start = loops.indexOf(picked.get(0));
            for (int i = 0; i < 6; i++) {
                assertThat(picked.get(i)).isSameAs(loops.get((start + i) % 3));
            }
            List<EventLoop> ranOn = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ranOn.add(group.submit(Async::loop).get(10, TimeUnit.SECONDS));
            }
            assertThat(ranOn).doesNotHaveDuplicates();
        }
    }

    @Test
    void nextIsFairBetweenConcurrentCallers() throws Exception {
        try (LoopGroup group = LoopGroup.start(4)) {
            Map<LoopThread, AtomicInteger> counts = new ConcurrentHashMap<>();
            int threads = 4;
            int each = 10_000;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                callers.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    for (int i = 0; i < each; i++) {
                        counts.computeIfAbsent(group.next(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            go.countDown();
            for (Thread t : callers) {
                t.join();
            }
            assertThat(counts).hasSize(4);
            counts.values().forEach(c -> assertThat(c.get()).isEqualTo(threads * each / 4));
        }
    }

    @Test
    void submitOnAClosedGroupFailsWithRejectedExecution() throws Exception {
        LoopGroup group = LoopGroup.start(2);
        group.close();
        assertThat(group.isClosed()).isTrue();
        CompletableFuture<Integer> f = group.submit(() -> 1);
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RejectedExecutionException.class).hasMessageContaining("closed");
        assertThat(group.submit(() -> { }).isCompletedExceptionally()).isTrue();
        group.close(); // again: nothing happens
    }

    @Test
    void closeCancelsWhatRunsOnEveryLoopAndLeavesNoThread() throws Exception {
        List<String> cleanedUp = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(3);
        LoopGroup group = LoopGroup.start(3);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            running.add(group.submit(() -> {
                try {
                    started.countDown();
                    Async.sleep(Duration.ofHours(1));
                } finally {
                    Async.sleep(Duration.ofMillis(1)); // a finally block may still suspend
                    cleanedUp.add("task " + n);
                }
            }));
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        group.close();
        assertThat(cleanedUp).containsExactlyInAnyOrder("task 0", "task 1", "task 2");
        for (CompletableFuture<Void> f : running) {
            assertThatThrownBy(f::join).hasCauseInstanceOf(CancelledException.class);
        }
        assertThat(group.loops()).noneMatch(LoopThread::isAlive);
        assertThat(group.toString()).contains("closed");
    }

    @Test
    void closeFromOneOfItsOwnLoopsIsRefusedAndChangesNothing() throws Exception {
        try (LoopGroup group = LoopGroup.start(2)) {
            for (LoopThread t : group.loops()) {
                Throwable refused = t.submit(() -> {
                    try {
                        group.close();
                        return null;
                    } catch (IllegalStateException e) {
                        return e;
                    }
                }).get(10, TimeUnit.SECONDS);
                assertThat(refused).hasMessageContaining("one of the group's own loops");
                Throwable fromWorker = t.submit(() -> Async.toThread(() -> {
                    try {
                        group.close();
                        return null;
                    } catch (IllegalStateException e) {
                        return e;
                    }
                })).get(10, TimeUnit.SECONDS);
                assertThat(fromWorker).hasMessageContaining("work it handed to another thread");
            }
            assertThat(group.isClosed()).isFalse();
            assertThat(group.loops()).allMatch(LoopThread::isAlive);
            assertThat(group.submit(() -> "still open").get(10, TimeUnit.SECONDS)).isEqualTo("still open");
        }
    }

    @Test
    void closeClosesEveryLoopEvenIfSomeDiedAndThrowsTheFirstFailureWithTheOthersSuppressed() throws Exception {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        LoopGroup group = LoopGroup.start(3, Runner.create().exceptionHandler(reports::add));
        List<LoopThread> loops = group.loops();
        for (int i : new int[] {0, 2}) { // a VirtualMachineError out of a callback ends a loop
            loops.get(i).execute(() -> {
                throw new StackOverflowError("loop " + i);
            });
        }
        while (loops.get(0).isAlive() || loops.get(2).isAlive()) {
            Thread.onSpinWait();
        }
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> onTheLiveOne = loops.get(1).submit(() -> {
            started.countDown();
            Async.sleep(Duration.ofHours(1));
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(group::close).isInstanceOf(StackOverflowError.class).hasMessage("loop 0")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).isInstanceOf(StackOverflowError.class).hasMessage("loop 2")));
        assertThat(loops).noneMatch(LoopThread::isAlive);
        assertThatThrownBy(onTheLiveOne::join).hasCauseInstanceOf(CancelledException.class);
        group.close(); // again: nothing more
        assertThat(reports).hasSize(2).allMatch(r -> r.message().contains("died"));
    }

    @Test
    void aFailureTheFirstCannotCarryAsSuppressedIsLoggedNotLost() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.simmer");
        List<java.util.logging.LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        boolean parents = jul.getUseParentHandlers();
        jul.setUseParentHandlers(false); // the expected errors are not printed
        try {
            LoopGroup group = LoopGroup.start(2, Runner.create().exceptionHandler(report -> { }));
            for (LoopThread t : group.loops()) {
                t.execute(() -> recurseForever(0)); // real stack overflows: the JVM makes these errors
            }
            while (group.loops().stream().anyMatch(LoopThread::isAlive)) {
                Thread.onSpinWait();
            }
            Throwable thrown = null;
            try {
                group.close();
            } catch (StackOverflowError e) {
                thrown = e;
            }
            assertThat(thrown).isNotNull();
            boolean carried = thrown.getSuppressed().length == 1;
            boolean wasLogged = logged.stream().anyMatch(r -> r.getMessage().contains("another loop failed too")
                    && r.getThrown() instanceof StackOverflowError && r.getThrown() != null);
            assertThat(carried || wasLogged).as("the second failure was carried or logged").isTrue();
        } finally {
            jul.removeHandler(handler);
            jul.setUseParentHandlers(parents);
        }
    }

    private static int recurseForever(int depth) {
        return recurseForever(depth + 1) + 1;
    }

    @Test
    void aTaskOfAnotherLoopIsAwaitedThroughItsFutureNotDirectly() throws Exception {
        try (LoopGroup group = LoopGroup.start(2)) {
            LoopThread a = group.loops().get(0);
            LoopThread b = group.loops().get(1);
            CompletableFuture<String> release = new CompletableFuture<>();
            Task<String> onB = b.submit(() -> Async.createTask(() -> "from b: " + Async.await(release)))
                    .get(10, TimeUnit.SECONDS);
            CompletableFuture<String> bridge = b.submit(onB::toCompletableFuture).get(10, TimeUnit.SECONDS);

            Object direct = a.submit(() -> {
                try {
                    return onB.await();
                } catch (IllegalStateException e) {
                    return e;
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(direct).isInstanceOf(IllegalStateException.class);
            assertThat(((Throwable) direct).getMessage()).contains("another event loop");

            // cancelling a waiter on a leaves the task on b alone
            CompletableFuture<String> waiter = a.submit(() -> Async.await(bridge));
            waiter.cancel(true);
            assertThatThrownBy(waiter::join).isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(b.submit(onB::isDone).get(10, TimeUnit.SECONDS)).isFalse();

            release.complete("done");
            assertThat(b.submit(onB::await).get(10, TimeUnit.SECONDS)).isEqualTo("from b: done");
            CompletableFuture<String> fresh = b.submit(onB::toCompletableFuture).get(10, TimeUnit.SECONDS);
            assertThat(a.submit(() -> Async.await(fresh)).get(10, TimeUnit.SECONDS)).isEqualTo("from b: done");
        }
    }

    @Test
    void cancellingATaskAwaitingAnotherLoopsSubmittedFutureCancelsThatTaskToo() throws Exception {
        try (LoopGroup group = LoopGroup.start(2)) {
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<String> endedOnB = new CompletableFuture<>();
            CompletableFuture<Void> waiter = group.loops().get(0).submit(() -> {
                CompletableFuture<Void> onB = group.loops().get(1).submit(() -> {
                    try {
                        started.countDown();
                        Async.sleep(Duration.ofHours(1));
                    } catch (CancelledException e) {
                        endedOnB.complete("cancelled");
                        throw e;
                    }
                });
                Async.await(onB);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            waiter.cancel(true);
            assertThat(endedOnB.get(10, TimeUnit.SECONDS)).isEqualTo("cancelled");
        }
    }
}
