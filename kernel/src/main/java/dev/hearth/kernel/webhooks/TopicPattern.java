package dev.hearth.kernel.webhooks;

import dev.hearth.module.ModuleException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A webhook's choice of realtime topics: segments separated by '/', where {@code *} stands for one
 * whole segment and a last {@code **} for any rest (at least one segment). The first segment is a
 * module id, literally: it says which module store's change log the webhook follows.
 */
record TopicPattern(String text, List<String> segments) {

  private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

  /** @throws ModuleException INVALID_ARGUMENT naming {@code field} and what is wrong */
  static TopicPattern parse(String field, String text) {
    if (text == null || text.isBlank() || text.length() > 256) {
      throw ModuleException.badField(field, "a topic pattern is 1 to 256 characters, e.g. chat/channel/*");
    }
    List<String> segments = List.of(text.split("/", -1));
    if (segments.size() < 2) {
      throw ModuleException.badField(field, "'" + text + "' is not <module>/<topic>; e.g. chat/channel/*");
    }
    if (!MODULE.matcher(segments.get(0)).matches()) {
      throw ModuleException.badField(field, "'" + text + "' must start with a module id (e.g. chat/...), not '"
          + segments.get(0) + "'");
    }
    for (int i = 1; i < segments.size(); i++) {
      String s = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (s.equals("*") || (s.equals("**") && last)) continue;
      if (!SEGMENT.matcher(s).matches()) {
        throw ModuleException.badField(field, "'" + text + "': segment '" + s + "' is neither a name (letters, digits,"
            + " . _ : -), '*' for one segment, nor a last '**' for the rest");
      }
    }
    return new TopicPattern(text, segments);
  }

  String module() {
    return segments.get(0);
  }

  boolean matches(String topic) {
    String[] parts = topic.split("/", -1);
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      if (s.equals("**")) return parts.length > i;
      if (i >= parts.length) return false;
      if (!s.equals("*") && !s.equals(parts[i])) return false;
    }
    return parts.length == segments.size();
  }

  static boolean anyMatches(List<TopicPattern> patterns, String topic) {
    for (TopicPattern p : patterns) if (p.matches(topic)) return true;
    return false;
  }
}
