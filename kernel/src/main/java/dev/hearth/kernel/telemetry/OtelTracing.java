package dev.hearth.kernel.telemetry;

import dev.hearth.kernel.api.rpc.Transport;
import dev.hearth.kernel.config.TelemetryOptions;
import dev.hearth.kernel.spi.TraceSpan;
import dev.hearth.kernel.store.WriteTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** The OpenTelemetry SDK behind {@link Telemetry} when an endpoint is configured. */
final class OtelTracing {

  private static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  private static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  private static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  private static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("hearth.transport");
  static final AttributeKey<String> CODE = AttributeKey.stringKey("hearth.code");
  static final AttributeKey<String> STORE = AttributeKey.stringKey("hearth.store");
  static final AttributeKey<Long> FIRST_SEQ = AttributeKey.longKey("hearth.store.first_seq");
  static final AttributeKey<Long> LAST_SEQ = AttributeKey.longKey("hearth.store.last_seq");
  private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

  private static final TextMapGetter<Function<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Function<String, String> carrier) {
      return List.of("traceparent", "tracestate");
    }

    @Override
    public String get(Function<String, String> carrier, String key) {
      return carrier == null ? null : carrier.apply(key);
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final RecentWrites recent = new RecentWrites();

  OtelTracing(TelemetryOptions options, String instance) {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(options.tracesUrl())
        .setTimeout(Duration.ofSeconds(10)).build();
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), options.serviceName(),
        AttributeKey.stringKey("service.instance.id"), instance)));
    provider = SdkTracerProvider.builder().setResource(resource)
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(options.sampleRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter)
            .setScheduleDelay(Duration.ofMillis(options.exportDelayMillis())).build())
        .build();
    tracer = provider.get("dev.hearth.kernel");
  }

  TraceSpan serverSpan(String method, Transport transport) {
    int slash = method.lastIndexOf('/');
    Span span = tracer.spanBuilder(method).setSpanKind(SpanKind.SERVER).setParent(Context.current())
        .setAttribute(RPC_SYSTEM, transport == Transport.GRPC ? "grpc" : "hearth")
        .setAttribute(RPC_SERVICE, slash < 0 ? method : method.substring(0, slash))
        .setAttribute(RPC_METHOD, slash < 0 ? method : method.substring(slash + 1))
        .setAttribute(TRANSPORT, transport.label())
        .startSpan();
    return new OtelSpan(span);
  }

  WriteTracer.Write writeSpan(String store) {
    Context parent = Context.current();
    if (!Span.fromContext(parent).getSpanContext().isValid()) return null; // a background write: no trace of its own
    Span span = tracer.spanBuilder("store.write " + store).setParent(parent).setAttribute(STORE, store).startSpan();
    return new WriteTracer.Write() {
      @Override
      public void durable(long firstSeq, long lastSeq) {
        if (lastSeq >= firstSeq) {
          span.setAttribute(FIRST_SEQ, firstSeq);
          span.setAttribute(LAST_SEQ, lastSeq);
          recent.put(store, firstSeq, lastSeq, span.getSpanContext());
        }
        span.end();
      }

      @Override
      public void failed(Throwable error) {
        OtelSpan.fail(span, error.getClass().getSimpleName() + ": " + error.getMessage());
        span.end();
      }
    };
  }

  TraceSpan publishSpan(String store, List<Long> seqs, String destination, BiConsumer<String, String> header) {
    SpanContext write = recent.find(store, seqs);
    if (write == null) return TraceSpan.NONE;
    Span span = tracer.spanBuilder("federation.publish " + store).setSpanKind(SpanKind.PRODUCER)
        .setParent(Context.root().with(Span.wrap(write)))
        .setAttribute(MESSAGING_SYSTEM, "nats").setAttribute(DESTINATION, destination).setAttribute(STORE, store)
        .setAttribute(FIRST_SEQ, seqs.get(0)).setAttribute(LAST_SEQ, seqs.get(seqs.size() - 1))
        .startSpan();
    W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), header,
        (sink, key, value) -> sink.accept(key, value));
    return new OtelSpan(span);
  }

  TraceSpan consumeSpan(String name, Function<String, String> header, String store) {
    Context remote = W3CTraceContextPropagator.getInstance().extract(Context.root(), header, GETTER);
    if (!Span.fromContext(remote).getSpanContext().isValid()) return TraceSpan.NONE;
    Span span = tracer.spanBuilder(name + " " + store).setSpanKind(SpanKind.CONSUMER).setParent(remote)
        .setAttribute(MESSAGING_SYSTEM, "nats").setAttribute(STORE, store).startSpan();
    return new OtelSpan(span);
  }

  void close() {
    provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
