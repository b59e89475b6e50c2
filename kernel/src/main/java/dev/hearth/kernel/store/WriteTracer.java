package dev.hearth.kernel.store;

/**
 * Told when a write is submitted and when it is durable (or failed): how tracing times the store
 * part of a call without the store knowing about OpenTelemetry (dev.hearth.kernel.telemetry
 * implements it). {@link #submitted} runs on the submitting thread, where the caller's span is
 * current; the {@link Write} callbacks run on the store's writer thread and must be quick.
 */
@FunctionalInterface
public interface WriteTracer {

  /** Traces nothing: the default. */
  WriteTracer NONE = store -> null;

  /** A write of {@code store} was submitted; {@code null} when it is not traced. */
  Write submitted(String store);

  /** One traced write. */
  interface Write {
    /**
     * Appended and fsynced, with change events {@code firstSeq..lastSeq}; {@code lastSeq < firstSeq}
     * when it changed nothing.
     */
    void durable(long firstSeq, long lastSeq);

    /** The transaction threw, or the change log could not be written. */
    void failed(Throwable error);
  }
}
