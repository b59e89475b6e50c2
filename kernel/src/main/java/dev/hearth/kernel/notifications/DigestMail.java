package dev.hearth.kernel.notifications;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The text of a digest email, from {@code digest_<language>.properties} beside this class (UTF-8
 * {@link MessageFormat} patterns; English when the language has none): a subject with the count, one
 * line per notice (when, who, where), the message's text under it when the notice carries it, and a
 * footer that says why the email came and where to turn it off.
 */
final class DigestMail {

  record Rendered(String subject, String text) {}

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private static final Map<String, Properties> TEMPLATES = new ConcurrentHashMap<>();

  private DigestMail() {}

  static Rendered render(String language, ZoneId zone, List<Notice> notices, Function<String, String> userName,
      Function<String, String> projectName) {
    Properties t = templates(language);
    Locale locale = Locale.forLanguageTag(language);
    StringBuilder text = new StringBuilder(format(t, "intro", locale, notices.size())).append("\n\n");
    for (Notice n : notices) {
      String when = WHEN.format(Instant.ofEpochMilli(n.atMillis()).atZone(zone));
      String who = userName.apply(n.authorId());
      String project = projectName.apply(n.projectId());
      String line = Notice.DIRECT.equals(n.kind())
          ? format(t, "direct", locale, when, who, project)
          : n.channelName().isEmpty() ? format(t, "mentionUnnamed", locale, when, who, project)
          : format(t, "mention", locale, when, who, n.channelName(), project);
      text.append("- ").append(line).append('\n');
      if (!n.text().isEmpty()) {
        for (String l : n.text().strip().split("\n", -1)) text.append("    > ").append(l).append('\n');
      }
    }
    text.append('\n').append(format(t, "times", locale, zone.getId())).append('\n');
    text.append('\n').append(format(t, "footer", locale)).append('\n');
    return new Rendered(format(t, "subject", locale, notices.size()), text.toString());
  }

  /** A Web Push's title and body in {@code language}: who and where; the text when the notice carries it. */
  static Rendered push(String language, Notice n, String who, String project) {
    Properties t = templates(language);
    Locale locale = Locale.forLanguageTag(language);
    String title = Notice.DIRECT.equals(n.kind()) ? format(t, "pushDirect", locale, who)
        : n.channelName().isEmpty() ? format(t, "pushMentionUnnamed", locale, who)
        : format(t, "pushMention", locale, who, n.channelName());
    String body = n.text().isEmpty() ? format(t, "pushBody", locale, project) : n.text().strip();
    return new Rendered(title, body);
  }

  private static String format(Properties t, String key, Locale locale, Object... args) {
    String pattern = t.getProperty(key);
    if (pattern == null) throw new IllegalStateException("digest template has no key " + key);
    return new MessageFormat(pattern, locale).format(args);
  }

  static Properties templates(String language) {
    return TEMPLATES.computeIfAbsent(language, l -> {
      Properties p = load(l);
      return p != null ? p : load("en");
    });
  }

  private static Properties load(String language) {
    try (InputStream in = DigestMail.class.getResourceAsStream("digest_" + language + ".properties")) {
      if (in == null) return null;
      Properties p = new Properties();
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
