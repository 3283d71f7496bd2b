package dev.sluice.grpc

import dev.sluice.buffer.SlidingWindowChunkPolicy
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking

/**
 * The consumer process of the kill test: serves an [EdgeReceiver] on 127.0.0.1, prints
 * `port N`, then reads the edge `req-kill/e/0` slowly, printing `applied N` as items arrive,
 * until the parent kills it.
 */
object ChildConsumer {
    @JvmStatic
    fun main(args: Array<String>) {
        val receiver = EdgeReceiver(EdgeCodec.INT, { SlidingWindowChunkPolicy(28, 7) }, chunkCapacity = 4)
        val server = nettyServer(0, receiver)
        println("port ${server.port}")
        System.out.flush()
        runBlocking {
            var items = 0
            receiver.chunks(EdgeKey("req-kill", "e", 0)).collect { chunk ->
                items += chunk.newItems.size
                println("applied $items")
                System.out.flush()
                delay(2)
            }
        }
    }
}
