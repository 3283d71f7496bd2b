package dev.sluice.grpc

import io.grpc.BindableService
import io.grpc.ManagedChannel
import io.grpc.Server
import io.grpc.inprocess.InProcessChannelBuilder
import io.grpc.inprocess.InProcessServerBuilder
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
import java.net.InetSocketAddress
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

private val names = AtomicInteger()

/** A server and a channel in this process, joined by grpc's in-process transport. */
class InProcess(
    vararg services: BindableService,
) : AutoCloseable {
    private val name = "sluice-test-${names.incrementAndGet()}"
    val server: Server =
        InProcessServerBuilder
            .forName(name)
            .apply { services.forEach { addService(it) } }
            .build()
            .start()
    val channel: ManagedChannel = InProcessChannelBuilder.forName(name).build()

    override fun close() {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)
    }
}

/** A Netty server on 127.0.0.1 ([port] 0: any free port). */
fun nettyServer(
    port: Int,
    vararg services: BindableService,
): Server =
    NettyServerBuilder
        .forAddress(InetSocketAddress("127.0.0.1", port))
        .apply { services.forEach { addService(it) } }
        .build()
        .start()

/** A plaintext Netty channel to 127.0.0.1:[port]. */
fun nettyChannel(port: Int): ManagedChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build()
