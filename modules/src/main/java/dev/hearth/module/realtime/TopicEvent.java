package dev.hearth.module.realtime;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One event as realtime clients receive it: on which topic, what happened, and its data.
 *
 * @param topic the topic, {@code <moduleId>/...}
 * @param type what happened, e.g. {@code message.created}; clients dispatch on it
 * @param data the event's data as clients see it; never secrets, only what every subscriber of the
 *     topic may read
 * @since 0.3
 */
public record TopicEvent(String topic, String type, JsonObject data) {

  public TopicEvent {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }
}
