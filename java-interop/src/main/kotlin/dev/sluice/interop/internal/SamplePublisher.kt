package dev.sluice.interop.internal

import dev.sluice.audio.AudioChunk
import dev.sluice.audio.SampleReceiver
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import java.util.concurrent.Flow
import java.util.concurrent.atomic.AtomicReference

/**
 * One sample as a [Flow.Publisher], following the Reactive Streams rules: the receiver (the
 * consumer end) is opened at `subscribe`, so a subscription cancelled before its first `request`
 * still cancels the sample; `request(n)` with `n <= 0` signals `onError(IllegalArgumentException)`
 * (rule 3.9); demand adds up to `Long.MAX_VALUE` (rule 3.17); every signal comes from one
 * coroutine, so they are serial (rule 1.3). Cancelling the [scope] cancels every subscription.
 */
internal class SamplePublisher(
    private val scope: CoroutineScope,
    private val open: () -> SampleReceiver,
) : Flow.Publisher<AudioChunk> {
    override fun subscribe(subscriber: Flow.Subscriber<in AudioChunk>) {
        val receiver =
            try {
                open()
            } catch (e: Exception) {
                subscriber.onSubscribe(Refused)
                subscriber.onError(e)
                return
            }
        Subscription(subscriber, receiver).start()
    }

    private object Refused : Flow.Subscription {
        override fun request(n: Long) {}

        override fun cancel() {}
    }

    private inner class Subscription(
        private val subscriber: Flow.Subscriber<in AudioChunk>,
        private val receiver: SampleReceiver,
    ) : Flow.Subscription {
        private val requests = Channel<Long>(Channel.UNLIMITED)
        private val badRequest = AtomicReference<IllegalArgumentException?>()
        private lateinit var job: Job

        @OptIn(DelicateCoroutinesApi::class)
        fun start() {
            // ATOMIC: the body runs even if the scope is cancelled at once, so the receiver is closed.
            job = scope.launch(start = CoroutineStart.ATOMIC) { run() }
            subscriber.onSubscribe(this)
        }

        private suspend fun run() {
            var demand = 0L
            try {
                while (true) {
                    if (demand == 0L) demand = requests.receive()
                    while (true) demand = add(demand, requests.tryReceive().getOrNull() ?: break)
                    val chunk = receiver.receive()
                    if (chunk == null) {
                        receiver.close()
                        subscriber.onComplete()
                        return
                    }
                    demand--
                    subscriber.onNext(chunk)
                }
            } catch (e: CancellationException) {
                receiver.close()
                // A bad request cancels this coroutine wherever it waits; the error is signalled here,
                // so that every signal still comes from this one coroutine.
                badRequest.get()?.let { subscriber.onError(it) } ?: throw e
            } catch (e: Throwable) {
                receiver.close()
                subscriber.onError(e)
            }
        }

        private fun add(
            demand: Long,
            n: Long,
        ): Long = if (demand > Long.MAX_VALUE - n) Long.MAX_VALUE else demand + n

        override fun request(n: Long) {
            if (n > 0) {
                requests.trySend(n)
            } else if (badRequest.compareAndSet(
                    null,
                    IllegalArgumentException("request($n): the demand must be positive (Reactive Streams rule 3.9)"),
                )
            ) {
                job.cancel()
            }
        }

        override fun cancel() {
            job.cancel()
            receiver.close()
        }
    }
}
