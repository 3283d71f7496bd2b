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
                    if (demand == 0L) demand = take(requests.receive(), 0)
                    while (true) demand = take(requests.tryReceive().getOrNull() ?: break, demand)
                    val chunk = receiver.receive()
                    if (chunk == null) {
                        receiver.close()
                        subscriber.onComplete()
                        return
                    }
                    demand--
                    subscriber.onNext(chunk)
                }
            } catch (e: BadRequest) {
                receiver.close()
                subscriber.onError(e.error)
            } catch (e: CancellationException) {
                receiver.close()
                throw e
            } catch (e: Throwable) {
                receiver.close()
                subscriber.onError(e)
            }
        }

        private fun take(
            n: Long,
            demand: Long,
        ): Long {
            if (n <= 0) throw BadRequest(IllegalArgumentException("request($n): the demand must be positive (Reactive Streams rule 3.9)"))
            return if (demand > Long.MAX_VALUE - n) Long.MAX_VALUE else demand + n
        }

        override fun request(n: Long) {
            requests.trySend(n)
        }

        override fun cancel() {
            job.cancel()
            receiver.close()
        }
    }

    private class BadRequest(
        val error: IllegalArgumentException,
    ) : Exception(error)
}
