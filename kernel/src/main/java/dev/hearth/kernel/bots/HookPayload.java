package dev.hearth.kernel.bots;

import dev.hearth.module.ModuleException;
import dev.hearth.ui.CardValidator;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What an incoming webhook's body asks to post: Hearth's own {@code {"text", "card"}} or the
 * Slack/Mattermost payload ({@code text}, {@code username}, {@code icon_url}, {@code attachments}),
 * whose attachments become one Adaptive Card. Keys neither format knows (Slack's {@code channel},
 * {@code icon_emoji}, {@code mrkdwn} …) are ignored, as Slack does, so existing integrations work;
 * every card, given or made, must pass the {@link CardValidator}.
 */
record HookPayload(String text, String cardJson) {

  static final int MAX_TEXT = 4000;
  static final int MAX_ATTACHMENTS = 20;
  static final int MAX_FIELDS = 50;

  static HookPayload of(JsonObject body) {
    String text = string(body, "text");
    if (text.length() > MAX_TEXT) {
      throw ModuleException.badField("text", "is " + text.length() + " characters; the limit is " + MAX_TEXT);
    }
    Object card = body.getValue("card");
    JsonArray attachments = array(body, "attachments");
    if (card != null && attachments != null) {
      throw ModuleException.badField("card", "give a card or Slack attachments, not both");
    }
    JsonObject made = null;
    if (card != null) {
      if (!(card instanceof JsonObject c)) throw ModuleException.badField("card", "must be an Adaptive Card object");
      made = c;
    } else if (attachments != null && !attachments.isEmpty() || body.containsKey("username") || body.containsKey("icon_url")) {
      made = SlackCard.of(string(body, "username"), url(body, "icon_url"), attachments == null ? new JsonArray() : attachments);
    }
    if (text.isBlank() && attachments != null) text = fallback(attachments);
    if (text.isBlank() && made == null) {
      throw ModuleException.badField("text", "is empty; a message needs text, attachments or a card");
    }
    String json = "";
    if (made != null) {
      json = made.encode();
      CardValidator.validate(card != null ? "card" : "attachments", json.getBytes(StandardCharsets.UTF_8));
    }
    return new HookPayload(text.isBlank() ? "" : text, json);
  }

  /** Slack's fallback texts, for clients (and notifications) that show no card. */
  private static String fallback(JsonArray attachments) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < attachments.size(); i++) {
      if (attachments.getValue(i) instanceof JsonObject a) {
        String f = string(a, "fallback");
        if (f.isBlank()) f = string(a, "title");
        if (!f.isBlank()) b.append(b.length() > 0 ? "\n" : "").append(f);
      }
    }
    return b.length() > MAX_TEXT ? b.substring(0, MAX_TEXT) : b.toString();
  }

  static String string(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) return "";
    if (!(v instanceof String s)) throw ModuleException.badField(key, "must be a string");
    return s;
  }

  static JsonArray array(JsonObject o, String key) {
    Object v = o.getValue(key);
    if (v == null) return null;
    if (!(v instanceof JsonArray a)) throw ModuleException.badField(key, "must be an array");
    return a;
  }

  /** An http(s) URL or empty: a card's image or link never points at another scheme. */
  static String url(JsonObject o, String key) {
    String v = string(o, key).trim();
    if (v.isEmpty()) return "";
    String lower = v.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("https://") || lower.startsWith("http://")) || v.length() > 2000) {
      throw ModuleException.badField(key, "must be an http(s) URL");
    }
    return v;
  }
}
