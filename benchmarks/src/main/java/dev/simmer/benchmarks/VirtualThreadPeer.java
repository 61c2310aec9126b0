package dev.simmer.benchmarks;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JDK peer: every workload of the suite with virtual threads, run inside a parent virtual
 * thread. The forks that call it set {@code -Djdk.virtualThreadScheduler.parallelism=1}
 * ({@link Jvm#ONE_CARRIER}), so every virtual thread shares one carrier thread, as every
 * Simmer task shares the loop thread. Each method returns a value derived from the work.
 */
final class VirtualThreadPeer {
    private static final Runnable NOTHING = () -> { };

    /** A body that may block; checked exceptions are the benchmark's failure. */
    @FunctionalInterface
    interface Body {
        int run() throws Exception;
    }

    private VirtualThreadPeer() {
    }

    /** Runs {@code body} in a new virtual thread and waits for its result. */
    static int inVirtualThread(Body body) throws InterruptedException {
        int[] result = new int[1];
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                result[0] = body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.join();
        if (failure[0] != null) {
            throw new IllegalStateException("the virtual-thread workload failed", failure[0]);
        }
        return result[0];
    }

    /** Two virtual threads hand a baton back and forth with park/unpark, {@code roundTrips} times. */
    static int yieldRoundTrip(int roundTrips) throws InterruptedException {
        Baton baton = new Baton(roundTrips);
        baton.ping = Thread.ofVirtual().unstarted(baton::ping);
        baton.pong = Thread.ofVirtual().unstarted(baton::pong);
        baton.ping.start();
        baton.pong.start();
        baton.ping.join();
        baton.pong.join();
        return baton.turn;
    }

    /** A parent starts an empty virtual thread and joins it, {@code tasks} times in a row. */
    static int createAwait(int tasks) throws InterruptedException {
        return inVirtualThread(() -> {
            for (int i = 0; i < tasks; i++) {
                Thread.startVirtualThread(NOTHING).join();
            }
            return tasks;
        });
    }

    /** {@code gathers} times: start {@code width} empty virtual threads, then join them all. */
    static int gather(int width, int gathers) throws InterruptedException {
        return inVirtualThread(() -> {
            int done = 0;
            for (int g = 0; g < gathers; g++) {
                Thread[] children = new Thread[width];
                for (int i = 0; i < width; i++) {
                    children[i] = Thread.startVirtualThread(NOTHING);
                }
                for (Thread c : children) {
                    c.join();
                    done++;
                }
            }
            return done;
        });
    }

    /** One virtual thread per delay, each {@code Thread.sleep(d)}, all joined. */
    static int timers(int[] delaysMillis) throws InterruptedException {
        return inVirtualThread(() -> {
            Thread[] sleepers = new Thread[delaysMillis.length];
            for (int i = 0; i < sleepers.length; i++) {
                long d = delaysMillis[i];
                sleepers[i] = Thread.startVirtualThread(() -> {
                    try {
                        Thread.sleep(d);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            for (Thread s : sleepers) {
                s.join();
            }
            return sleepers.length;
        });
    }

    /** One thread puts {@code items} items into an {@link ArrayBlockingQueue} of capacity 1; another takes them. */
    static int boundedQueue(int items) throws InterruptedException {
        ArrayBlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1);
        return inVirtualThread(() -> {
            int[] sum = new int[1];
            Thread consumer = Thread.startVirtualThread(() -> {
                try {
                    for (int i = 0; i < items; i++) {
                        sum[0] += queue.take();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < items; i++) {
                queue.put(i);
            }
            consumer.join();
            return sum[0];
        });
    }

    /** Ping puts to one {@link SynchronousQueue} and takes from another; pong echoes. */
    static int queuePingPong(int roundTrips) throws InterruptedException {
        SynchronousQueue<Integer> there = new SynchronousQueue<>();
        SynchronousQueue<Integer> back = new SynchronousQueue<>();
        return inVirtualThread(() -> {
            Thread pong = Thread.startVirtualThread(() -> {
                try {
                    for (int i = 0; i < roundTrips; i++) {
                        back.put(there.take());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            int sum = 0;
            for (int i = 0; i < roundTrips; i++) {
                there.put(i);
                sum += back.take();
            }
            pong.join();
            return sum;
        });
    }

    /** {@link ReentrantLock} lock + unlock {@code ops} times from one virtual thread: never contended. */
    static int lockUncontended(int ops) throws InterruptedException {
        return inVirtualThread(() -> {
            ReentrantLock lock = new ReentrantLock(true);
            int count = 0;
            for (int i = 0; i < ops; i++) {
                lock.lock();
                count++;
                lock.unlock();
            }
            return count;
        });
    }

    /**
     * {@code tasks} virtual threads, each {@code rounds} times: lock a fair {@link ReentrantLock}
     * (FIFO, as Simmer's and kotlinx's locks are), {@code Thread.yield()} while holding it, unlock.
     */
    static int lockContended(int tasks, int rounds) throws InterruptedException {
        return inVirtualThread(() -> {
            ReentrantLock lock = new ReentrantLock(true);
            int[] count = new int[1];
            Thread[] all = new Thread[tasks];
            for (int t = 0; t < tasks; t++) {
                all[t] = Thread.startVirtualThread(() -> {
                    for (int r = 0; r < rounds; r++) {
                        lock.lock();
                        try {
                            Thread.yield();
                            count[0]++;
                        } finally {
                            lock.unlock();
                        }
                    }
                });
            }
            for (Thread t : all) {
                t.join();
            }
            return count[0];
        });
    }

    /**
     * Starts {@code tasks} virtual threads that each sleep for an hour, waits until they all
     * sleep, runs {@code measure}, then interrupts them.
     */
    static void suspended(int tasks, Runnable measure) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(tasks);
        Thread[] all = new Thread[tasks];
        for (int t = 0; t < tasks; t++) {
            all[t] = Thread.startVirtualThread(() -> {
                started.countDown();
                try {
                    Thread.sleep(3_600_000L);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        started.await();
        while (!allSleeping(all)) {
            Thread.sleep(10);
        }
        measure.run();
        for (Thread t : all) {
            t.interrupt();
        }
    }

    private static boolean allSleeping(Thread[] all) {
        for (Thread t : all) {
            if (t.getState() != Thread.State.TIMED_WAITING) {
                return false;
            }
        }
        return true;
    }

    /** Whose turn it is, handed over with park/unpark: 0 = ping's, 1 = pong's. */
    private static final class Baton {
        final int roundTrips;
        volatile int turn;
        Thread ping; // written before both threads start
        Thread pong;

        Baton(int roundTrips) {
            this.roundTrips = roundTrips;
        }

        void ping() {
            for (int i = 0; i < roundTrips; i++) {
                turn = 1;
                LockSupport.unpark(pong);
                while (turn != 0) {
                    LockSupport.park(this);
                }
            }
        }

        void pong() {
            for (int i = 0; i < roundTrips; i++) {
                while (turn != 1) {
                    LockSupport.park(this);
                }
                turn = 0;
                LockSupport.unpark(ping);
            }
        }
    }
}
