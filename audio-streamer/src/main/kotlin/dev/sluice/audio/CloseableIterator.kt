package dev.sluice.audio

/** A blocking iterator that holds a resource. Closing it before the end cancels what it reads. */
public interface CloseableIterator<out T> :
    Iterator<T>,
    AutoCloseable {
    /** Stops reading; the samples it reads count as cancelled unless they had ended. Idempotent. */
    override fun close()
}
