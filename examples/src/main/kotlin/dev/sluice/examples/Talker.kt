package dev.sluice.examples

/**
 * A synthetic "talker": turns text into codec frames at 12.5 frames per second of audio (80 ms
 * each), deterministically. Each character becomes two frames; a letter or digit gives a pitched
 * token, anything else a rest.
 */
internal object Talker {
    const val FRAMES_PER_SECOND = 12.5
    const val FRAMES_PER_CHAR = 2
    const val REST = 0

    fun frames(text: String): List<Int> = text.flatMap { c -> List(FRAMES_PER_CHAR) { token(c) } }

    private fun token(c: Char): Int =
        when {
            c.isLetter() -> 1 + (c.lowercaseChar().code - 'a'.code).mod(24)
            c.isDigit() -> 1 + (c - '0') * 2
            else -> REST
        }
}
