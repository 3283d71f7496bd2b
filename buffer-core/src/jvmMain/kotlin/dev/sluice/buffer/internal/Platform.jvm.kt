package dev.sluice.buffer.internal

internal actual fun isAllocationFailure(e: Throwable): Boolean = e is OutOfMemoryError
