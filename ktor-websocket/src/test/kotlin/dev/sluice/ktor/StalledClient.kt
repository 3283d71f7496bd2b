package dev.sluice.ktor

import java.io.OutputStream
import java.net.InetSocketAddress
import java.net.Socket
import kotlin.random.Random

/**
 * A WebSocket client on a plain socket that reads the handshake response and then nothing: the
 * server's frames pile up in the socket buffers, as with a client that stopped reading.
 */
class StalledClient(
    port: Int,
) : AutoCloseable {
    private val socket =
        Socket().apply {
            receiveBufferSize = 4_096
            connect(InetSocketAddress("127.0.0.1", port), 5_000)
            soTimeout = 5_000
        }
    private val out: OutputStream = socket.getOutputStream()

    init {
        out.write(
            (
                "GET /speech HTTP/1.1\r\nHost: 127.0.0.1:$port\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).toByteArray(),
        )
        out.flush()
        // Read the response headers only, byte by byte, up to the blank line.
        val input = socket.getInputStream()
        val seen = StringBuilder()
        while (!seen.endsWith("\r\n\r\n")) {
            val b = input.read()
            check(b >= 0) { "the server closed during the handshake: $seen" }
            seen.append(b.toChar())
        }
        check(seen.startsWith("HTTP/1.1 101")) { "no upgrade: $seen" }
    }

    /** Sends [text] as one masked text frame. */
    fun send(text: String) {
        val payload = text.toByteArray()
        check(payload.size < 126)
        val mask = Random.nextBytes(4)
        val frame = ByteArray(2 + 4 + payload.size)
        frame[0] = 0x81.toByte()
        frame[1] = (0x80 or payload.size).toByte()
        mask.copyInto(frame, 2)
        for (i in payload.indices) frame[6 + i] = (payload[i].toInt() xor mask[i % 4].toInt()).toByte()
        out.write(frame)
        out.flush()
    }

    override fun close() = socket.close()
}
