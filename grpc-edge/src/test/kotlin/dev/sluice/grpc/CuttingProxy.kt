package dev.sluice.grpc

import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.CopyOnWriteArrayList
import kotlin.concurrent.thread

/**
 * A TCP proxy on 127.0.0.1 that forwards every connection to [targetPort], and can [cut] them all
 * with a reset (SO_LINGER 0), as a network that drops a connection mid-stream does.
 */
class CuttingProxy(
    private val targetPort: Int,
) : AutoCloseable {
    private val server = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    private val sockets = CopyOnWriteArrayList<Socket>()

    val port: Int get() = server.localPort

    @Volatile var cuts = 0
        private set

    init {
        thread(name = "proxy-accept", isDaemon = true) {
            while (!server.isClosed) {
                val client = runCatching { server.accept() }.getOrNull() ?: break
                val upstream = runCatching { Socket(InetAddress.getLoopbackAddress(), targetPort) }.getOrNull()
                if (upstream == null) {
                    reset(client)
                    continue
                }
                sockets += client
                sockets += upstream
                pump(client.getInputStream(), upstream.getOutputStream(), client, upstream)
                pump(upstream.getInputStream(), client.getOutputStream(), upstream, client)
            }
        }
    }

    private fun pump(
        input: InputStream,
        output: OutputStream,
        a: Socket,
        b: Socket,
    ) = thread(name = "proxy-pump", isDaemon = true) {
        val buffer = ByteArray(16 * 1024)
        try {
            while (true) {
                val n = input.read(buffer)
                if (n < 0) break
                output.write(buffer, 0, n)
                output.flush()
            }
        } catch (e: Exception) {
            // the other pump or cut() closed the sockets
        } finally {
            reset(a)
            reset(b)
        }
    }

    /** Resets every connection now. New connections still go through. */
    fun cut() {
        cuts++
        sockets.forEach(::reset)
        sockets.clear()
    }

    private fun reset(socket: Socket) {
        runCatching {
            socket.setSoLinger(true, 0)
            socket.close()
        }
    }

    override fun close() {
        server.close()
        cut()
    }
}
