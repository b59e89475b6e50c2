package dev.hearth.kernel.telemetry;

import dev.hearth.kernel.spi.TraceSpan;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import org.slf4j.MDC;

/**
 * A {@link TraceSpan} over an OpenTelemetry span. Entering it also puts its ids in the logging MDC
 * ({@code trace_id}, {@code span_id}: the JSON log's fields), restoring the previous ones on close,
 * so log lines written inside a call name its trace.
 */
final class OtelSpan implements TraceSpan {

  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  private final Span span;

  OtelSpan(Span span) {
    this.span = span;
  }

  @Override
  public Scope enter() {
    io.opentelemetry.context.Scope otel = Context.current().with(span).makeCurrent();
    String oldTrace = MDC.get(TRACE_ID);
    String oldSpan = MDC.get(SPAN_ID);
    SpanContext sc = span.getSpanContext();
    MDC.put(TRACE_ID, sc.getTraceId());
    MDC.put(SPAN_ID, sc.getSpanId());
    return () -> {
      otel.close();
      restore(TRACE_ID, oldTrace);
      restore(SPAN_ID, oldSpan);
    };
  }

  @Override
  public void end(String error) {
    if (error != null) {
      span.setAttribute(OtelTracing.CODE, error);
      fail(span, error);
    }
    span.end();
  }

  static void fail(Span span, String error) {
    span.setStatus(StatusCode.ERROR, error);
  }

  private static void restore(String key, String old) {
    if (old == null) MDC.remove(key);
    else MDC.put(key, old);
  }
}
