package dev.hearth.ops.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.hearth.ops.telemetry.OtlpReceiver.ReceivedSpan;
import dev.hearth.ops.testing.LinkedNodes;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Traces of real nodes, exported over OTLP/HTTP to {@link OtlpReceiver}: the server span of a call,
 * its store write as a child, the trace ids in the JSON log line written inside the call, and across
 * two federated nodes the owner's publish to NATS and the peer's apply in the same trace.
 */
class TracingIT {

  @TempDir Path tmp;

  private static JsonObject telemetry(OtlpReceiver receiver, String service) {
    return new JsonObject().put("otlpEndpoint", receiver.endpoint()).put("serviceName", service).put("exportDelayMillis", 100);
  }

  @Test
  void aCall_isAServerSpan_withItsStoreWriteAsChild_andItsLogLineCarriesTheTraceId() throws Exception {
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> appender = jsonAppender(logs);
    Logger dispatcher = (Logger) LoggerFactory.getLogger("dev.hearth.kernel.api.rpc.Dispatcher");
    Level before = dispatcher.getLevel();
    dispatcher.setLevel(Level.DEBUG); // its per-call line is DEBUG
    dispatcher.addAppender(appender);
    try (OtlpReceiver receiver = new OtlpReceiver();
        TestNode node = TestNode.start(tmp.resolve("node"), o -> o.setTelemetry(telemetry(receiver, "solo")))) {
      String token = node.signUp("ada@trace.test", "a-long-password-1");
      node.rest.post("/v1/orgs", token, new JsonObject().put("name", "acme")).ok();

      ReceivedSpan call = await(receiver, s -> s.name().equals("hearth.tenancy.v1.TenancyService/CreateOrg"));
      assertThat(call.kind()).isEqualTo("SPAN_KIND_SERVER");
      assertThat(call.parentSpanId()).isEmpty();
      assertThat(call.attributes()).containsEntry("hearth.transport", "rest").containsEntry("rpc.method", "CreateOrg");
      assertThat(call.service()).isEqualTo("solo");
      ReceivedSpan write = await(receiver, s -> s.parentSpanId().equals(call.spanId()));
      assertThat(write.name()).isEqualTo("store.write kernel");
      assertThat(write.traceId()).isEqualTo(call.traceId());
      assertThat(write.attributes()).containsKeys("hearth.store.first_seq", "hearth.store.last_seq");

      JsonObject line = logs.toString(StandardCharsets.UTF_8).lines().map(JsonObject::new)
          .filter(j -> j.getString("message", "").contains("TenancyService/CreateOrg")).findFirst()
          .orElseThrow(() -> new AssertionError("no log line of CreateOrg in " + logs));
      assertThat(line.getString("trace_id")).isEqualTo(call.traceId());
      assertThat(line.getString("span_id")).isEqualTo(call.spanId());

      // A refused call is a span too, with its error code.
      node.rest.get("/v1/orgs/nope", token);
      ReceivedSpan refused = await(receiver, s -> s.name().equals("hearth.tenancy.v1.TenancyService/GetOrg"));
      assertThat(refused.statusCode()).isEqualTo("STATUS_CODE_ERROR");
      assertThat(receiver.problems).isEmpty();
    } finally {
      dispatcher.detachAppender(appender);
      dispatcher.setLevel(before);
      appender.stop();
    }
  }

  @Test
  void aWriteToASharedProject_tracesTheOwnersPublish_andThePeersApply_inOneTrace() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver();
        LinkedNodes nodes = new LinkedNodes(tmp, o -> o.setTelemetry(telemetry(receiver, o.getFederation().getString("nodeId"))))) {
      // The first events after the share may reach b in its snapshot rather than as changes: post until one is applied.
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (receiver.spans.stream().noneMatch(s -> s.name().equals("federation.apply chat")) && System.nanoTime() < deadline) {
        nodes.post("traced across nodes");
        Thread.sleep(300);
      }

      ReceivedSpan apply = await(receiver, s -> s.name().equals("federation.apply chat"));
      assertThat(apply.service()).isEqualTo("b");
      assertThat(apply.kind()).isEqualTo("SPAN_KIND_CONSUMER");
      ReceivedSpan publish = await(receiver, s -> s.spanId().equals(apply.parentSpanId()));
      assertThat(publish.name()).isEqualTo("federation.publish chat");
      assertThat(publish.service()).isEqualTo("a");
      assertThat(publish.kind()).isEqualTo("SPAN_KIND_PRODUCER");
      assertThat(publish.attributes()).containsEntry("messaging.system", "nats");
      ReceivedSpan write = await(receiver, s -> s.spanId().equals(publish.parentSpanId()));
      assertThat(write.name()).isEqualTo("store.write chat");
      ReceivedSpan call = await(receiver, s -> s.spanId().equals(write.parentSpanId()));
      // The first change b applies is a post or, when it did not come in b's snapshot, the channel's creation:
      // either way the owner's call that wrote it, at the root of the trace.
      assertThat(call.name()).isIn("hearth.chat.v1.ChatService/PostMessage", "hearth.chat.v1.ChatService/CreateChannel");
      assertThat(call.service()).isEqualTo("a");
      assertThat(call.parentSpanId()).isEmpty();
      ReceivedSpan applied = await(receiver, s -> s.parentSpanId().equals(apply.spanId()));
      assertThat(applied.name()).isEqualTo("store.write chat");
      assertThat(applied.service()).isEqualTo("b");
      assertThat(List.of(write, publish, apply, applied)).extracting(ReceivedSpan::traceId).containsOnly(call.traceId());
    }
  }

  @Test
  void metricsOff_servesNoMetrics() throws Exception {
    try (TestNode node = TestNode.start(tmp.resolve("quiet"), o -> o.setMetrics(new JsonObject().put("enabled", false)))) {
      node.signUp("quiet@trace.test", "a-long-password-1");
      assertThat(node.rest.get("/metrics", null).status()).isEqualTo(404);
      assertThat(node.metrics().registry().getMeters()).isEmpty();
    }
  }

  private static ReceivedSpan await(OtlpReceiver receiver, Predicate<ReceivedSpan> which) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      Optional<ReceivedSpan> s = receiver.spans.stream().filter(which).findFirst();
      if (s.isPresent()) return s.get();
      Thread.sleep(50);
    }
    throw new AssertionError("no such span within 20 s; received: " + receiver.spans + "; problems: " + receiver.problems);
  }

  /** The node's JSON log format (logback.xml's "json" appender: LogstashEncoder), into memory. */
  private static OutputStreamAppender<ILoggingEvent> jsonAppender(ByteArrayOutputStream out) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    LogstashEncoder encoder = new LogstashEncoder();
    encoder.setContext(ctx);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(ctx);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    return appender;
  }
}
