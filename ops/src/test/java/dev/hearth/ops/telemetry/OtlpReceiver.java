package dev.hearth.ops.telemetry;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP/HTTP trace receiver, standing in for an OpenTelemetry collector (not in Debian's
 * packages): {@code POST /v1/traces} with an {@code application/x-protobuf} body, decoded as the
 * real {@code ExportTraceServiceRequest} (opentelemetry-proto), answered with an empty
 * {@code ExportTraceServiceResponse} as a collector does. Anything else is 404 or 415.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span, ids in lowercase hex (parent "" for a root). */
  record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, String kind,
      Map<String, String> attributes, String statusCode) {}

  final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  final List<String> problems = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  OtlpReceiver() throws Exception {
    server = vertx.createHttpServer().requestHandler(r -> r.body().onSuccess(body -> {
      if (!r.path().equals("/v1/traces") || r.method() != HttpMethod.POST) {
        problems.add(r.method() + " " + r.path());
        r.response().setStatusCode(404).end();
        return;
      }
      if (!"application/x-protobuf".equals(r.getHeader("content-type"))) {
        problems.add("content-type " + r.getHeader("content-type"));
        r.response().setStatusCode(415).end();
        return;
      }
      try {
        add(ExportTraceServiceRequest.parseFrom(body.getBytes()));
        r.response().putHeader("content-type", "application/x-protobuf")
            .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (Exception e) {
        problems.add("undecodable body: " + e);
        r.response().setStatusCode(400).end();
      }
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void add(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = attributes(rs.getResource()).getOrDefault("service.name", "?");
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          Map<String, String> attrs = new TreeMap<>();
          for (KeyValue kv : s.getAttributesList()) attrs.put(kv.getKey(), value(kv));
          spans.add(new ReceivedSpan(service, hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
              hex.formatHex(s.getParentSpanId().toByteArray()), s.getName(), s.getKind().name(), attrs, s.getStatus().getCode().name()));
        }
      }
    }
  }

  private static Map<String, String> attributes(Resource r) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : r.getAttributesList()) out.put(kv.getKey(), value(kv));
    return out;
  }

  private static String value(KeyValue kv) {
    var v = kv.getValue();
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      default -> v.toString();
    };
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
