package dev.simmer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link LoopThread}, {@link EventLoop#submit} and {@link Async#runInExecutor}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopThreadTest {

    @Test
    void submitRunsACoroutineAndCompletesTheFuture() throws Exception {
        try (LoopThread simmer = LoopThread.start()) {
            CompletableFuture<String> f = simmer.submit(() -> {
                Async.sleep(Duration.ofMillis(5));
                return "done on " + Async.currentTask().name();
            });
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("done on submitted");
        }
    }

    @Test
    void theLoopWaitsForWorkBetweenSubmissionsInsteadOfReportingADeadlock() throws Exception {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        try (LoopThread simmer = LoopThread.start(Runner.create().exceptionHandler(reports::add))) {
            assertThat(simmer.submit(() -> 1).get(10, TimeUnit.SECONDS)).isEqualTo(1);
            // nothing at all runs on the loop now; a bare callSoonThreadsafe still gets through
            CompletableFuture<String> viaCallback = new CompletableFuture<>();
            simmer.execute(() -> viaCallback.complete("callback ran"));
            assertThat(viaCallback.get(10, TimeUnit.SECONDS)).isEqualTo("callback ran");
            assertThat(simmer.submit(() -> 2).get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(simmer.isAlive()).isTrue();
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void aFailureReachesTheFutureUnchanged() throws Exception {
        try (LoopThread simmer = LoopThread.start()) {
            IllegalStateException boom = new IllegalStateException("boom");
            CompletableFuture<Object> f = simmer.submit(() -> {
                throw boom;
            });
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCause(boom);
        }
    }

    @Test
    void cancellingTheFutureCancelsTheTask() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> cleanedUp = new CompletableFuture<>();
        try (LoopThread simmer = LoopThread.start()) {
            CompletableFuture<Void> f = simmer.submit(() -> {
                try {
                    started.countDown();
                    Async.sleep(Duration.ofHours(1));
                } catch (CancelledException e) {
                    cleanedUp.complete("cancelled: " + e.getMessage());
                    throw e;
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            f.cancel(true);
            assertThat(cleanedUp.get(10, TimeUnit.SECONDS)).isEqualTo("cancelled: its future was cancelled");
        }
    }

    @Test
    void closeCancelsRunningTasksAndLetsThemFinish() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finallyRan = new AtomicBoolean();
        LoopThread simmer = LoopThread.start();
        CompletableFuture<Void> f = simmer.submit(() -> {
            started.countDown();
            try {
                Async.sleep(Duration.ofHours(1));
            } finally {
                Async.sleep(Duration.ofMillis(1)); // cleanup that suspends still works
                finallyRan.set(true);
            }
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        simmer.close();
        assertThat(finallyRan).isTrue();
        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::get).hasCauseInstanceOf(CancelledException.class);
        assertThat(simmer.isAlive()).isFalse();
        CompletableFuture<Integer> late = simmer.submit(() -> 3);
        assertThatThrownBy(late::get).hasCauseInstanceOf(IllegalStateException.class);
        simmer.close(); // again: nothing happens
    }

    @Test
    void closeFromTheLoopItselfIsAClearError() throws Exception {
        try (LoopThread simmer = LoopThread.start()) {
            CompletableFuture<Throwable> f = simmer.submit(() -> {
                try {
                    simmer.close();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(f.get(10, TimeUnit.SECONDS)).hasMessageContaining("its own loop");
        }
    }

    @Test
    void aFatalErrorOnTheLoopFailsTheWorkInFlightAndIsThrownByClose() throws Exception {
        List<ErrorReport> reports = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<ErrorReport> reported = new CompletableFuture<>();
        LoopThread simmer = LoopThread.start(Runner.create().exceptionHandler(r -> {
            reports.add(r);
            reported.complete(r);
        }));
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> inFlight = simmer.submit(() -> {
            started.countDown();
            Async.sleep(Duration.ofHours(1));
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        simmer.execute(() -> recurseForever(0)); // a StackOverflowError in a callback ends the loop

        Throwable cancelled = inFlight.handle((v, e) -> e).get(10, TimeUnit.SECONDS);
        assertThat(cancelled).isInstanceOf(CancelledException.class)
                .hasMessageContaining("died of java.lang.StackOverflowError")
                .hasCauseInstanceOf(StackOverflowError.class);
        Throwable fatal = cancelled.getCause();
        // nobody was closing it when it died: the loop's exception handler hears of it then
        assertThat(reported.get(10, TimeUnit.SECONDS).exception()).isSameAs(fatal);
        assertThat(reported.join().message()).contains("died of java.lang.StackOverflowError");
        assertThatThrownBy(simmer::close).isSameAs(fatal);
        assertThat(simmer.isAlive()).isFalse();
        simmer.close(); // again: nothing happens, it was told once

        assertThatThrownBy(() -> simmer.submit(() -> 1).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("died of java.lang.StackOverflowError")
                .hasCause(fatal);
        assertThatThrownBy(() -> simmer.execute(() -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("died of java.lang.StackOverflowError").hasCause(fatal);
        assertThat(reports).singleElement().isSameAs(reported.join());
    }

    @Test
    void aFatalErrorWithNobodyToTellIsLogged() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("dev.simmer");
        List<java.util.logging.LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> heard = new CompletableFuture<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
                if (record.getThrown() instanceof StackOverflowError) {
                    heard.complete(null);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(handler);
        try {
            LoopThread simmer = LoopThread.start();
            simmer.execute(() -> recurseForever(0));
            heard.get(10, TimeUnit.SECONDS); // logged when it happened, before anybody closes
            assertThat(logged).filteredOn(r -> r.getThrown() instanceof StackOverflowError).singleElement()
                    .satisfies(r -> {
                        assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
                        assertThat(r.getMessage()).contains("died");
                    });
            assertThatThrownBy(simmer::close).isInstanceOf(StackOverflowError.class);
        } finally {
            jul.removeHandler(handler);
        }
    }

    @Test
    void closeFromTheExceptionHandlerHearingOfTheLoopsDeathIsAClearError() throws Exception {
        CompletableFuture<Throwable> fromHandler = new CompletableFuture<>();
        LoopThread[] holder = new LoopThread[1];
        CountDownLatch ready = new CountDownLatch(1);
        LoopThread simmer = LoopThread.start(Runner.create().exceptionHandler(r -> {
            try {
                ready.await();
                holder[0].close(); // on the loop's thread: it would wait for itself
                fromHandler.complete(null);
            } catch (Throwable t) {
                fromHandler.complete(t);
            }
        }));
        holder[0] = simmer;
        ready.countDown();
        simmer.execute(() -> recurseForever(0));
        assertThat(fromHandler.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("own thread");
        assertThatThrownBy(simmer::close).isInstanceOf(StackOverflowError.class); // from here it works
        assertThat(simmer.isAlive()).isFalse();
    }

    private static int recurseForever(int depth) {
        return recurseForever(depth + 1) + 1;
    }

    /** Closes {@code simmer}; what it refused with, or null. */
    private static java.util.concurrent.Callable<Throwable> closeFailure(LoopThread simmer) {
        return () -> {
            try {
                simmer.close();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        };
    }

    @Test
    void closeFromToThreadWorkOfItsOwnLoopIsAClearErrorAtOnce() throws Exception {
        LoopThread simmer = LoopThread.start();
        CompletableFuture<Throwable> f = simmer.submit(() -> Async.toThread(closeFailure(simmer)));
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Async.toThread");
        assertThat(simmer.isAlive()).isTrue();
        assertThat(simmer.submit(() -> 2).get(10, TimeUnit.SECONDS)).isEqualTo(2);
        simmer.close();
        assertThat(simmer.isAlive()).isFalse();
    }

    @Test
    void closeFromRunInExecutorWorkOfItsOwnLoopIsAClearError() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (LoopThread simmer = LoopThread.start()) {
            CompletableFuture<Throwable> f = simmer.submit(() -> Async.runInExecutor(pool, closeFailure(simmer)));
            assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("runInExecutor");
            assertThat(simmer.isAlive()).isTrue();
            // the pool's thread works for nobody once the work is done: from there, close works
            assertThat(pool.submit(() -> {
                simmer.close();
                return simmer.isAlive();
            }).get(10, TimeUnit.SECONDS)).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void submitFromManyThreads() throws Exception {
        int threads = 8;
        int each = 50;
        try (LoopThread simmer = LoopThread.start()) {
            List<CompletableFuture<Integer>> all = Collections.synchronizedList(new ArrayList<>());
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                started.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) {
                        int n = i;
                        all.add(simmer.submit(() -> {
                            Async.yieldNow();
                            return n;
                        }));
                    }
                }));
            }
            for (Thread t : started) {
                t.join();
            }
            int sum = 0;
            for (CompletableFuture<Integer> f : all) {
                sum += f.get(10, TimeUnit.SECONDS);
            }
            assertThat(sum).isEqualTo(threads * (each * (each - 1) / 2));
        }
    }

    @Test
    void aServerOnALoopThreadAnswersABlockingClient() throws Exception {
        try (LoopThread simmer = LoopThread.start()) {
            dev.simmer.io.Server server = simmer.submit(() -> dev.simmer.io.Streams.startServer((reader, writer) -> {
                writer.write("hello " + reader.readLineUtf8() + "\n");
            }, "127.0.0.1", 0)).get(10, TimeUnit.SECONDS);
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port());
                 var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()))) {
                socket.getOutputStream().write("blocking world\n".getBytes());
                assertThat(in.readLine()).isEqualTo("hello blocking world");
            }
            simmer.submit(server::close).get(10, TimeUnit.SECONDS);
        }
    }

    // ================================================================== runInExecutor

    @Test
    void runInExecutorRunsOnTheExecutorsThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "the-pool"));
        try {
            String where = Loops.virtual(() -> Async.runInExecutor(pool, () -> Thread.currentThread().getName()));
            assertThat(where).isEqualTo("the-pool");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancellingTheAwaitingTaskInterruptsTheWorker() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        CompletableFuture<String> workerSaw = new CompletableFuture<>();
        CountDownLatch blocking = new CountDownLatch(1);
        try {
            Loops.virtual(() -> {
                Task<String> t = Async.createTask(() -> Async.runInExecutor(pool, () -> {
                    blocking.countDown();
                    try {
                        Thread.sleep(60_000);
                        return "slept";
                    } catch (InterruptedException e) {
                        workerSaw.complete("interrupted");
                        throw e;
                    }
                }));
                Async.toThread(() -> blocking.await(10, TimeUnit.SECONDS));
                t.cancel();
                assertThatThrownBy(t::await).isInstanceOf(CancelledException.class);
            });
            assertThat(workerSaw.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRejectedSubmissionIsThrownAndLeavesNothingInFlight() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.shutdown();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.runInExecutor(pool, () -> 1)).isInstanceOf(RejectedExecutionException.class);
            Async.sleep(Duration.ofSeconds(1)); // the virtual clock still jumps: nothing is in flight
        });
    }

    @Test
    void workDroppedByShutdownNowEndsTheAwaitWhenItsFutureIsCancelled() throws Exception {
        // What runInExecutor hands the executor is a Future: cancelling what shutdownNow() returns
        // (as an ExecutorService's user does anyway) ends the await instead of leaving it in flight for good.
        java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor) Executors.newFixedThreadPool(1);
        CountDownLatch occupied = new CountDownLatch(1);
        pool.execute(() -> {
            occupied.countDown();
            try {
                new CountDownLatch(1).await(); // until shutdownNow interrupts it
            } catch (InterruptedException e) {
                // ends
            }
        });
        assertThat(occupied.await(10, TimeUnit.SECONDS)).isTrue();
        Loops.virtual(() -> {
            Task<Integer> t = Async.createTask(() -> Async.runInExecutor(pool, () -> 1));
            while (pool.getQueue().isEmpty()) {
                Async.yieldNow(); // until t has handed its work to the pool, where it waits behind the first
            }
            List<Runnable> neverRan = pool.shutdownNow();
            assertThat(neverRan).singleElement().isInstanceOf(java.util.concurrent.Future.class);
            for (Runnable r : neverRan) {
                ((java.util.concurrent.Future<?>) r).cancel(false);
            }
            assertThatThrownBy(t::await).isInstanceOf(CancelledException.class)
                    .hasMessageContaining("the executor's Future for this work was cancelled");
            Async.sleep(Duration.ofSeconds(1)); // the virtual clock jumps: nothing is left in flight
        });
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void anExecutorShutDownBeforeTheCallThatDropsTheWorkSilentlyIsARejection() throws Exception {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
        pool.shutdown();
        Loops.virtual(() -> {
            assertThatThrownBy(() -> Async.runInExecutor(pool, () -> 1)).isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("shut down");
            Async.sleep(Duration.ofSeconds(1)); // nothing is in flight
        });
    }

    @Test
    void aBareSubmitRacingTheLoopsCloseAlwaysCompletesItsFuture() throws Exception {
        // Work handed in just as Async.run closes its loop: it runs, or its future says the
        // loop closed (IllegalStateException) or it never started (CancelledException); it never hangs.
        for (int round = 0; round < 20; round++) {
            List<CompletableFuture<Integer>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicReference<EventLoop> loop = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread submitter = Thread.ofPlatform().start(() -> {
                while (!stop.get() && futures.size() < 5_000) {
                    EventLoop l = loop.get();
                    if (l != null) {
                        futures.add(l.submit(() -> 1));
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            Async.run(() -> {
                loop.set(Async.loop());
                while (futures.size() < 3) {
                    Async.yieldNow(); // some submissions run; the loop closes while more come in
                }
            });
            stop.set(true);
            submitter.join();
            try {
                CompletableFuture.allOf(futures.stream().map(f -> f.handle((v, e) -> v))
                        .toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // counted below
            }
            int round0 = round;
            assertThat(futures).as("round %d: every future completes", round0).allSatisfy(f -> {
                assertThat(f).isDone();
                Object outcome = f.handle((v, e) -> e != null ? e : v).join();
                assertThat(outcome).isInstanceOfAny(Integer.class, IllegalStateException.class, CancelledException.class,
                        RejectedExecutionException.class);
                if (outcome instanceof Integer i) {
                    assertThat(i).isEqualTo(1);
                }
            });
        }
    }

    @Test
    void closeReturnsPromptlyWhileAnotherThreadKeepsSubmittingAndRefusesTheLateOnes() throws Exception {
        LoopThread lt = LoopThread.start();
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Integer>> futures = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Integer>> viaLoop = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch going = new CountDownLatch(1);
        CountDownLatch refused = new CountDownLatch(1);
        // Keeps the loop closing until the submitter has been refused once: on a loaded machine
        // the submitter's thread may otherwise not run at all while the loop closes
        CompletableFuture<Void> holder = lt.submit(() -> {
            try {
                Async.sleep(Duration.ofHours(1));
            } finally {
                refused.await(10, TimeUnit.SECONDS); // blocks the closing loop, on purpose
            }
        });
        AtomicInteger unfinished = new AtomicInteger();
        Thread submitter = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                if (unfinished.get() >= 2_000) {
                    Thread.onSpinWait(); // what close() must finish stays bounded, however the threads are scheduled
                    continue;
                }
                CompletableFuture<Integer> viaThread = lt.submit(() -> {
                    Async.sleep(Duration.ofMillis(1));
                    return 1;
                });
                CompletableFuture<Integer> direct = lt.loop().submit(() -> 2);
                futures.add(viaThread);
                viaLoop.add(direct);
                for (CompletableFuture<Integer> f : List.of(viaThread, direct)) {
                    unfinished.incrementAndGet();
                    f.whenComplete((v, e) -> unfinished.decrementAndGet());
                    if (f.isCompletedExceptionally() && f.handle((v, e) -> e).join() instanceof RejectedExecutionException) {
                        refused.countDown(); // the loop is closing
                    }
                }
                going.countDown();
            }
        });
        going.await();
        while (futures.size() < 1_000) {
            Thread.onSpinWait(); // the submitter at full speed
        }
        long began = System.nanoTime();
        lt.close();
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        Throwable lateCallback = null;
        try {
            lt.loop().callSoonThreadsafe(() -> { });
        } catch (RuntimeException e) {
            lateCallback = e;
        }
        stop.set(true);
        submitter.join();
        assertThat(tookMillis).as("close() bounded by what was running, not by the submitter").isLessThan(5_000);
        assertThat(lateCallback).isInstanceOf(IllegalStateException.class);
        List<CompletableFuture<Integer>> all = new ArrayList<>(futures);
        all.addAll(viaLoop);
        assertThat(all.stream().filter(f -> !f.isDone()).count()).as("futures left pending").isZero();
        assertThat(holder).isCompletedExceptionally();
        Throwable refusal = all.stream().map(f -> f.handle((v, e) -> e).join())
                .filter(e -> e instanceof RejectedExecutionException).findFirst().orElse(null);
        assertThat(refusal).as("a submission during the close is refused").isNotNull()
                .hasMessageContaining("closing");
    }

    @Test
    void aClosingLoopRefusesWorkFromOtherThreadsAtOnce() throws Exception {
        LoopThread lt = LoopThread.start();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch inFinally = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        lt.submit(() -> {
            try {
                started.countDown();
                Async.sleep(Duration.ofHours(1));
            } finally {
                inFinally.countDown();
                Async.toThread(() -> {
                    checked.await(); // the test checks what is refused while this task still finishes
                    return null;
                });
            }
        });
        started.await();
        Thread closer = Thread.ofPlatform().start(lt::close);
        inFinally.await();
        CompletableFuture<Integer> refused = lt.submit(() -> 1);
        CountDownLatch callbackRan = new CountDownLatch(1);
        lt.execute(callbackRan::countDown); // a callback is still taken: a finally may be waiting for one
        checked.countDown();
        closer.join();
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::get).cause().isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closing");
        assertThat(callbackRan.getCount()).isZero();
        assertThatThrownBy(() -> lt.execute(() -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFinallyThatAwaitsAnotherThreadsFutureFinishesWhileTheLoopCloses() throws Exception {
        LoopThread lt = LoopThread.start();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean cleanedUp = new AtomicBoolean();
        lt.submit(() -> {
            try {
                started.countDown();
                Async.sleep(Duration.ofHours(1));
            } finally {
                CompletableFuture<String> released = new CompletableFuture<>();
                Thread.ofPlatform().start(() -> released.complete("released"));
                cleanedUp.set(Async.await(released).equals("released")); // counted as work in flight: the loop waits
            }
        });
        started.await();
        lt.close();
        assertThat(cleanedUp).isTrue();
    }
}
