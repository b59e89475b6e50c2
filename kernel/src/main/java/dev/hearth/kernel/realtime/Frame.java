package dev.hearth.kernel.realtime;

import dev.hearth.module.realtime.TopicEvent;
import io.vertx.core.json.JsonObject;

/**
 * One event, encoded once and shared by every subscriber of its topic: with a thousand subscribers
 * the JSON is built once, not a thousand times.
 *
 * @param sequence the store sequence of the change event it came from; 0 for an ephemeral event
 * @param json the WebSocket frame: {@code {"type":"event","topic","seq","event","data","ts"}}
 */
record Frame(String topic, long sequence, String type, JsonObject data, long timeMicros, String json) {

  static Frame of(TopicEvent event, long sequence, long timeMicros) {
    JsonObject frame = new JsonObject().put("type", "event").put("topic", event.topic());
    if (sequence > 0) frame.put("seq", sequence);
    frame.put("event", event.type()).put("data", event.data()).put("ts", timeMicros);
    return new Frame(event.topic(), sequence, event.type(), event.data(), timeMicros, frame.encode());
  }

  boolean ephemeral() {
    return sequence == 0;
  }
}
