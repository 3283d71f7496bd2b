package dev.sluice.buffer.internal

/** Whether [e] says that one allocation could not be made (the JVM's OutOfMemoryError). */
internal expect fun isAllocationFailure(e: Throwable): Boolean
