package dev.hearth.chat;

import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Chat's own input checks (ids, plain text and limits are the SDK's {@link Fields}): every failure
 * is INVALID_ARGUMENT naming the request field at fault.
 */
final class Checks {

  private static final Pattern OPAQUE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  static final int MAX_TEXT = 4000;
  static final int MAX_ATTACHMENTS = 10;
  static final int MAX_MENTIONS = 50;
  static final int MAX_NAME = 80;
  static final int MAX_TOPIC = 250;

  private Checks() {}

  /** PUBLIC or PRIVATE: left out, a channel would be public without anyone having chosen so. */
  static Visibility visibility(Visibility v) {
    if (v == Visibility.PUBLIC || v == Visibility.PRIVATE) return v;
    throw ModuleException.badField("visibility", "is required: PUBLIC or PRIVATE").localized("chat.visibilityRequired");
  }

  static List<String> attachments(List<String> values) {
    if (values.size() > MAX_ATTACHMENTS) {
      throw ModuleException.badField("attachment_file_ids", "at most " + MAX_ATTACHMENTS + " attachments");
    }
    for (String v : values) {
      if (!OPAQUE.matcher(v).matches()) {
        throw ModuleException.badField("attachment_file_ids", "'" + Fields.abbreviate(v) + "' is not a file id ([A-Za-z0-9_-]{1,64})");
      }
    }
    return List.copyOf(new LinkedHashSet<>(values));
  }

  static String clientMessageId(String value) {
    if (!value.isEmpty() && !OPAQUE.matcher(value).matches()) {
      throw ModuleException.badField("client_message_id", "must match [A-Za-z0-9_-]{1,64}");
    }
    return value;
  }

  /** Message text: may be empty only when {@code emptyAllowed} (a post with attachments). */
  static String text(String value, boolean emptyAllowed) {
    if (value.isBlank() && !emptyAllowed) {
      throw ModuleException.badField("text", "is empty; a message needs text or an attachment")
          .localized("chat.emptyText");
    }
    if (value.length() > MAX_TEXT) {
      throw ModuleException.badField("text", "is " + value.length() + " characters; the limit is " + MAX_TEXT)
          .localized("chat.longText", value.length(), MAX_TEXT);
    }
    return value.isBlank() ? "" : value;
  }

  static final int MAX_CARD = 16_000;

  /**
   * An optional Adaptive Card: one JSON object of type AdaptiveCard, bounded. The shell renders it
   * with the same renderer as pages (no script, no raw HTML); incoming webhooks send cards the node's
   * CardValidator passed.
   */
  static String card(String value) {
    if (value.isEmpty()) return "";
    if (value.length() > MAX_CARD) {
      throw ModuleException.badField("card_json", "is " + value.length() + " characters; the limit is " + MAX_CARD);
    }
    JsonObject card;
    try {
      card = new JsonObject(value);
    } catch (RuntimeException e) {
      throw ModuleException.badField("card_json", "is not a JSON object");
    }
    if (!"AdaptiveCard".equals(card.getValue("type"))) {
      throw ModuleException.badField("card_json", "must have \"type\": \"AdaptiveCard\"");
    }
    return value;
  }

  static String name(String value) {
    String v = value.strip();
    if (v.isEmpty() || v.length() > MAX_NAME) {
      throw ModuleException.badField("name", "needs 1 to " + MAX_NAME + " characters")
          .localized("field.range", "name", 1, MAX_NAME);
    }
    return v;
  }

  static String topic(String value) {
    if (value.length() > MAX_TOPIC) throw ModuleException.badField("topic", "at most " + MAX_TOPIC + " characters");
    return value.strip();
  }

  static String emoji(String value) {
    if (value.isEmpty() || value.length() > 64 || value.codePoints().anyMatch(Character::isWhitespace)) {
      throw ModuleException.badField("emoji", "needs 1 to 64 characters without spaces");
    }
    return value;
  }
}
