package dev.hearth.kernel.spi;

/**
 * A span as the rest of the node sees it, without OpenTelemetry's types (they stay in this
 * package). {@link #NONE} when tracing is off or the work is not part of a trace: then both calls
 * cost nothing.
 */
public interface TraceSpan {

  /** Records nothing. */
  TraceSpan NONE = new TraceSpan() {
    @Override
    public Scope enter() {
      return Scope.NONE;
    }

    @Override
    public void end(String error) {}
  };

  /**
   * Makes this span the current one on this thread until the scope closes: spans started meanwhile
   * (a store write) are its children, and log lines carry its ids (MDC {@code trace_id},
   * {@code span_id}).
   */
  Scope enter();

  /** Ends it; {@code error} is {@code null} for success, else what went wrong (a code, a message). */
  void end(String error);

  /** Closing restores what was current before {@link #enter}; closes on the thread that entered. */
  interface Scope extends AutoCloseable {
    Scope NONE = () -> {};

    @Override
    void close();
  }
}
