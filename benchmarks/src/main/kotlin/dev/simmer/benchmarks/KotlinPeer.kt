package dev.simmer.benchmarks

import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.yield

/**
 * The kotlinx.coroutines peer: every workload of the suite as the same program in Kotlin,
 * inside `runBlocking` on the calling thread (its event loop is the one thread every
 * coroutine runs on, as Simmer's loop thread is). Called from the Java benchmark classes;
 * each function returns a value derived from the work so the JIT cannot drop it.
 */
object KotlinPeer {
    private const val X = 1

    /** Two coroutines each calling `yield()` `roundTrips` times: one round trip is two switches. */
    @JvmStatic
    fun yieldRoundTrip(roundTrips: Int): Int = runBlocking {
        var count = 0
        val a = launch { repeat(roundTrips) { yield(); count++ } }
        val b = launch { repeat(roundTrips) { yield(); count++ } }
        joinAll(a, b)
        count
    }

    /** `async { x }.await()`, `tasks` times in a row, from the main coroutine. */
    @JvmStatic
    fun createAwait(tasks: Int): Int = runBlocking {
        var sum = 0
        repeat(tasks) { sum += async { X }.await() }
        sum
    }

    /** `gathers` times: `width` coroutines started with `async`, then `awaitAll` (results in order). */
    @JvmStatic
    fun gather(width: Int, gathers: Int): Int = runBlocking {
        var total = 0
        repeat(gathers) {
            val children = List(width) { async { X } }
            total += children.awaitAll().size
        }
        total
    }

    /** One coroutine per delay, each `delay(ms)`, all joined. */
    @JvmStatic
    fun timers(delaysMillis: IntArray): Int = runBlocking {
        val jobs = ArrayList<Job>(delaysMillis.size)
        for (d in delaysMillis) {
            jobs.add(launch { delay(d.toLong()) })
        }
        jobs.joinAll()
        jobs.size
    }

    /** One coroutine sends `items` items into a channel of capacity 1; another receives them. */
    @JvmStatic
    fun boundedQueue(items: Int): Int = runBlocking {
        val channel = Channel<Int>(1)
        val consumer = async {
            var sum = 0
            repeat(items) { sum += channel.receive() }
            sum
        }
        repeat(items) { channel.send(it) }
        consumer.await()
    }

    /** Ping sends to one unbounded channel and receives from another; pong echoes. */
    @JvmStatic
    fun queuePingPong(roundTrips: Int): Int = runBlocking {
        val there = Channel<Int>(Channel.UNLIMITED)
        val back = Channel<Int>(Channel.UNLIMITED)
        val pong = launch { repeat(roundTrips) { back.send(there.receive()) } }
        var sum = 0
        repeat(roundTrips) {
            there.send(it)
            sum += back.receive()
        }
        pong.join()
        sum
    }

    /** `Mutex.lock()` + `unlock()` `ops` times from one coroutine: never contended. */
    @JvmStatic
    fun lockUncontended(ops: Int): Int = runBlocking {
        val mutex = Mutex()
        var count = 0
        repeat(ops) {
            mutex.lock()
            count++
            mutex.unlock()
        }
        count
    }

    /** `tasks` coroutines, each `rounds` times: lock, `yield()` while holding it, unlock. */
    @JvmStatic
    fun lockContended(tasks: Int, rounds: Int): Int = runBlocking {
        val mutex = Mutex()
        var count = 0
        val jobs = List(tasks) {
            launch { repeat(rounds) { mutex.withLock { yield(); count++ } } }
        }
        jobs.joinAll()
        count
    }

    /**
     * Starts `tasks` coroutines that each `delay` for an hour, lets them all suspend, and
     * calls `measure` (on the event-loop thread, while they are suspended); then cancels them.
     */
    @JvmStatic
    fun suspended(tasks: Int, measure: Runnable): Unit = runBlocking {
        val jobs = List(tasks) { launch { delay(3_600_000L) } }
        yield() // every coroutine runs to its delay
        measure.run()
        jobs.forEach { it.cancel() }
    }
}
