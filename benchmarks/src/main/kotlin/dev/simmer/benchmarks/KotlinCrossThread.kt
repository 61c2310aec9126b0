package dev.simmer.benchmarks

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/**
 * The kotlinx.coroutines peer of `CrossLoopPingPong`: ping and pong are coroutines on
 * `Dispatchers.Default` (a pool of one thread per core), so each hand-over may cross threads,
 * as it crosses loops in Simmer's program.
 */
object KotlinCrossThread {
    /** Ping sends to one rendezvous channel and receives from another; pong echoes. Both on Dispatchers.Default. */
    @JvmStatic
    fun pingPong(roundTrips: Int): Int = runBlocking {
        val there = Channel<Int>()
        val back = Channel<Int>()
        val pong = launch(Dispatchers.Default) { repeat(roundTrips) { back.send(there.receive()) } }
        val sum = withContext(Dispatchers.Default) {
            var s = 0
            repeat(roundTrips) {
                there.send(it)
                s += back.receive()
            }
            s
        }
        pong.join()
        sum
    }
}
