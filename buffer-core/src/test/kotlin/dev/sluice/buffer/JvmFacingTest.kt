package dev.sluice.buffer

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import java.lang.ref.WeakReference

/** What only the JVM shows: the statics Java calls, and what a decoder keeps reachable. */
class JvmFacingTest {
    @Test
    fun javaSeesTheEncodingsAsAStaticList() {
        val entries = SampleEncoding::class.java.getMethod("getEntries").invoke(null)
        assertEquals(SampleEncoding.entries, entries)
    }

    @Test
    fun aFinishedOrResetDecoderDoesNotKeepTheCallersLastArrayReachable() {
        for (end in listOf<(PcmDecoder) -> Unit>({ it.finish() }, { it.reset() })) {
            val decoder = PcmDecoder(SampleEncoding.S16_LE)
            val last = decode(decoder)
            end(decoder)
            // A bounded wait: a full collection normally clears the reference at the first try.
            repeat(20) {
                if (last.get() != null) {
                    System.gc()
                    Thread.sleep(10)
                }
            }
            assertNull(last.get(), "the decoder still holds the last array it decoded")
            assertEquals(0, decoder.pendingBytes, decoder.toString())
        }
    }

    /** Decodes a fresh array and returns a weak reference to it, so that no local keeps it alive. */
    private fun decode(decoder: PcmDecoder): WeakReference<ByteArray> {
        val bytes = ByteArray(1 shl 16)
        decoder.decode(bytes)
        return WeakReference(bytes)
    }
}
