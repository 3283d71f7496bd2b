package dev.sluice.audio.internal

import dev.sluice.audio.AudioStreamTimeoutException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.withTimeoutOrNull
import kotlin.time.Duration

/**
 * A flow whose [block] hands each value straight to the collector. The `flow {}` builder checks
 * for cancellation at the start of every `emit`, so a chunk already taken from its queue could be
 * lost there, neither delivered nor counted as dropped. Here nothing lies between taking a chunk
 * and handing it over: once taken, it reaches the collector. The block runs in the collector's
 * coroutine and catches nothing from downstream, so the Flow invariants hold.
 */
internal fun <T> handOverFlow(block: suspend (FlowCollector<T>) -> Unit): Flow<T> =
    object : Flow<T> {
        override suspend fun collect(collector: FlowCollector<T>) = block(collector)
    }

/**
 * Runs [wait] for at most [timeout] (forever when null), or throws [AudioStreamTimeoutException]
 * naming [what]. Only the wait is timed: a result taken before it is never discarded by a timeout.
 */
internal suspend fun awaitSignal(
    timeout: Duration?,
    what: String,
    wait: suspend () -> Unit,
) {
    if (timeout == null) return wait()
    withTimeoutOrNull(timeout) { wait() } ?: throw timedOut(what, timeout)
}

/** The error for a consumer of [what] that waited [timeout] for a chunk in vain. */
internal fun timedOut(
    what: String,
    timeout: Duration,
) = AudioStreamTimeoutException("$what: no chunk within $timeout")
