package dev.hearth.kernel.realtime;

import dev.hearth.module.realtime.TopicEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One event, encoded once and shared by every subscriber of its topic: with a thousand subscribers
 * the JSON is built once, not a thousand times, and the gRPC message once, when a stream first asks.
 */
final class Frame {

  private final String topic;
  private final long sequence;
  private final String type;
  private final JsonObject data;
  private final long timeMicros;
  private final String json;
  private volatile byte[] grpc;
  private volatile byte[] utf8;

  private Frame(String topic, long sequence, String type, JsonObject data, long timeMicros, String json) {
    this.topic = topic;
    this.sequence = sequence;
    this.type = type;
    this.data = data;
    this.timeMicros = timeMicros;
    this.json = json;
  }

  static Frame of(TopicEvent event, long sequence, long timeMicros) {
    JsonObject frame = new JsonObject().put("type", "event").put("topic", event.topic());
    if (sequence > 0) frame.put("seq", sequence);
    frame.put("event", event.type()).put("data", event.data()).put("ts", timeMicros);
    return new Frame(event.topic(), sequence, event.type(), event.data(), timeMicros, frame.encode());
  }

  String topic() {
    return topic;
  }

  /** The store sequence of the change event it came from; 0 for an ephemeral event. */
  long sequence() {
    return sequence;
  }

  String type() {
    return type;
  }

  JsonObject data() {
    return data;
  }

  long timeMicros() {
    return timeMicros;
  }

  /** The WebSocket frame: {@code {"type":"event","topic","seq","event","data","ts"}}. */
  String json() {
    return json;
  }

  /**
   * The WebSocket frame's bytes (UTF-8), made once for every subscriber: connections write them
   * without encoding the text again. Not to be modified.
   */
  byte[] utf8() {
    byte[] b = utf8;
    if (b == null) utf8 = b = json.getBytes(StandardCharsets.UTF_8); // a race: twice, equal
    return b;
  }

  /** The gRPC stream's message, made by {@code encoder} for the first stream that sends it. */
  byte[] grpc(Function<Frame, byte[]> encoder) {
    byte[] b = grpc;
    if (b == null) grpc = b = encoder.apply(this); // a race makes it twice, equal: harmless
    return b;
  }

  boolean ephemeral() {
    return sequence == 0;
  }
}
