package dev.hearth.kernel.spi;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The node's tracing as an extension uses it: spans across a message bus. Off: {@link #OFF}. */
public interface Tracing {

  /** Records nothing. */
  Tracing OFF = new Tracing() {
    @Override
    public TraceSpan publishing(String store, List<Long> seqs, String destination, BiConsumer<String, String> header) {
      return TraceSpan.NONE;
    }

    @Override
    public TraceSpan consuming(String name, Function<String, String> header, String store) {
      return TraceSpan.NONE;
    }
  };

  /**
   * A producer span for publishing change events {@code seqs} of {@code store}; its W3C trace
   * context goes to {@code header}. {@link TraceSpan#NONE} when none of the writes was traced.
   */
  TraceSpan publishing(String store, List<Long> seqs, String destination, BiConsumer<String, String> header);

  /** A consumer span continuing the trace {@code header} finds; {@link TraceSpan#NONE} when there is none. */
  TraceSpan consuming(String name, Function<String, String> header, String store);
}
