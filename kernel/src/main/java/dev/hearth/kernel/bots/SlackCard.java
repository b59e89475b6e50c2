package dev.hearth.kernel.bots;

import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * A Slack/Mattermost message's attachments as one Adaptive Card: per attachment a container (its
 * {@code color} as the container's style) with {@code pretext}, {@code author_name}, {@code title}
 * (a link to {@code title_link}), {@code text}, {@code fields} as a fact set, {@code image_url} and
 * {@code footer}; {@code username} and {@code icon_url} head the card, since the message's author
 * stays the hook's bot.
 */
final class SlackCard {

  private SlackCard() {}

  static JsonObject of(String username, String iconUrl, JsonArray attachments) {
    if (attachments.size() > HookPayload.MAX_ATTACHMENTS) {
      throw ModuleException.badField("attachments", "has " + attachments.size() + "; the limit is " + HookPayload.MAX_ATTACHMENTS);
    }
    JsonArray body = new JsonArray();
    if (!username.isBlank() || !iconUrl.isEmpty()) body.add(header(username, iconUrl));
    for (int i = 0; i < attachments.size(); i++) {
      if (!(attachments.getValue(i) instanceof JsonObject a)) {
        throw ModuleException.badField("attachments[" + i + "]", "must be an object");
      }
      body.add(attachment(a, "attachments[" + i + "]."));
    }
    return new JsonObject().put("type", "AdaptiveCard").put("version", "1.5").put("body", body);
  }

  private static JsonObject header(String username, String iconUrl) {
    JsonArray columns = new JsonArray();
    if (!iconUrl.isEmpty()) {
      columns.add(new JsonObject().put("type", "Column").put("width", "auto").put("items", new JsonArray()
          .add(new JsonObject().put("type", "Image").put("url", iconUrl).put("size", "Small").put("altText", username))));
    }
    columns.add(new JsonObject().put("type", "Column").put("width", "stretch").put("verticalContentAlignment", "Center")
        .put("items", new JsonArray().add(text(username, true).put("weight", "Bolder"))));
    return new JsonObject().put("type", "ColumnSet").put("columns", columns);
  }

  private static JsonObject attachment(JsonObject a, String at) {
    JsonArray items = new JsonArray();
    String pretext = field(a, at, "pretext");
    String author = field(a, at, "author_name");
    String title = field(a, at, "title");
    String link = url(a, at, "title_link");
    String body = field(a, at, "text");
    String image = url(a, at, "image_url");
    String footer = field(a, at, "footer");
    if (!author.isEmpty()) items.add(text(author, false).put("size", "Small").put("isSubtle", true));
    if (!title.isEmpty()) {
      items.add(text(link.isEmpty() ? title : "[" + title.replace("]", "\\]") + "](" + link + ")", true)
          .put("weight", "Bolder").put("size", "Medium"));
    }
    if (!body.isEmpty()) items.add(text(body, true));
    JsonArray facts = facts(a, at);
    if (!facts.isEmpty()) items.add(new JsonObject().put("type", "FactSet").put("facts", facts));
    if (!image.isEmpty()) items.add(new JsonObject().put("type", "Image").put("url", image).put("altText", title.isEmpty() ? "image" : title));
    if (!footer.isEmpty()) items.add(text(footer, true).put("size", "Small").put("isSubtle", true));
    if (items.isEmpty()) items.add(text(field(a, at, "fallback"), true));
    JsonObject container = new JsonObject().put("type", "Container").put("style", style(a.getValue("color")))
        .put("items", items).put("separator", true);
    if (pretext.isEmpty()) return container;
    return new JsonObject().put("type", "Container").put("items", new JsonArray().add(text(pretext, true)).add(container));
  }

  private static JsonArray facts(JsonObject a, String at) {
    JsonArray out = new JsonArray();
    Object v = a.getValue("fields");
    if (v == null) return out;
    if (!(v instanceof JsonArray fields)) throw ModuleException.badField(at + "fields", "must be an array");
    if (fields.size() > HookPayload.MAX_FIELDS) {
      throw ModuleException.badField(at + "fields", "has " + fields.size() + "; the limit is " + HookPayload.MAX_FIELDS);
    }
    for (int i = 0; i < fields.size(); i++) {
      if (!(fields.getValue(i) instanceof JsonObject f)) throw ModuleException.badField(at + "fields[" + i + "]", "must be an object");
      String title = field(f, at + "fields[" + i + "].", "title");
      Object value = f.getValue("value");
      out.add(new JsonObject().put("title", title).put("value", value == null ? "" : String.valueOf(value)));
    }
    return out;
  }

  /** Slack's named colours, and any hex colour as an emphasis (cards have styles, not colours). */
  static String style(Object color) {
    if (!(color instanceof String c) || c.isBlank()) return "default";
    return switch (c.toLowerCase(Locale.ROOT)) {
      case "good" -> "good";
      case "warning" -> "warning";
      case "danger" -> "attention";
      default -> "emphasis";
    };
  }

  private static JsonObject text(String s, boolean wrap) {
    return new JsonObject().put("type", "TextBlock").put("text", s).put("wrap", wrap);
  }

  private static String field(JsonObject o, String at, String key) {
    Object v = o.getValue(key);
    if (v == null) return "";
    if (!(v instanceof String s)) throw ModuleException.badField(at + key, "must be a string");
    if (s.length() > HookPayload.MAX_TEXT) {
      throw ModuleException.badField(at + key, "is " + s.length() + " characters; the limit is " + HookPayload.MAX_TEXT);
    }
    return s;
  }

  private static String url(JsonObject o, String at, String key) {
    String v = field(o, at, key).trim();
    if (v.isEmpty()) return "";
    String lower = v.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("https://") || lower.startsWith("http://")) || v.length() > 2000) {
      throw ModuleException.badField(at + key, "must be an http(s) URL");
    }
    return v;
  }
}
