package dev.sluice.buffer.internal

/** Kotlin/JS reports a failed allocation as a plain error: nothing to tell apart. */
internal actual fun isAllocationFailure(e: Throwable): Boolean = false
