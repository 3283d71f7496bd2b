package dev.sluice.audio

/** A blocking iterator that is a consumer end. Closing it before the end cancels what it reads. */
public interface CloseableIterator<out T> :
    Iterator<T>,
    AutoCloseable {
    /** Stops reading; the samples it reads are cancelled unless they had ended. Idempotent. */
    override fun close()
}
