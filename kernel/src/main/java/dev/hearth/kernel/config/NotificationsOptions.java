package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The config file's {@code notifications} section (docs/notifications.md); every key is optional.
 * Email digests run only when {@code email.smtp.host} is set; Web Push only when {@code push.enabled}.
 *
 * <pre>{@code
 * "notifications": {"email": {"digestMinutes": 15, "checkSeconds": 30,
 *   "smtp": {"host": "smtp.example.org", "port": 587, "tls": "starttls", "from": "Hearth <hearth@example.org>",
 *            "username": "hearth", "password": "..."}},
 *  "push": {"enabled": true, "subject": "mailto:admin@example.org", "ttlSeconds": 86400, "attempts": 5}}
 * }</pre>
 *
 * @param digestMinutes how long after a user's first missed mention or DM their digest is sent
 * @param checkMillis how often due digests are looked for ({@code checkSeconds}; tests may give
 *     {@code checkMillis} instead)
 * @param smtp where the mail goes; {@code null} when email is off
 * @param push Web Push; {@code null} when it is off
 * @param inbox whether users' mentions and direct messages are kept for the in-app list
 *     ({@code inbox.enabled}, on by default)
 */
public record NotificationsOptions(long digestMinutes, long checkMillis, Smtp smtp, Push push, boolean inbox) {

  static final Set<String> KEYS = Set.of("email", "push", "inbox");
  static final Set<String> INBOX_KEYS = Set.of("enabled");
  static final Set<String> PUSH_KEYS = Set.of("enabled", "subject", "ttlSeconds", "attempts", "retryMillis");
  static final Set<String> EMAIL_KEYS = Set.of("digestMinutes", "checkSeconds", "checkMillis", "smtp");
  static final Set<String> SMTP_KEYS = Set.of("host", "port", "tls", "from", "username", "password");

  /**
   * The SMTP server. {@code tls}: {@code none} (plain; only for a server on the same host),
   * {@code starttls} (required, the default) or {@code tls} (implicit TLS, port 465). The password
   * is never logged or shown by {@link #toJson}.
   */
  public record Smtp(String host, int port, String tls, String from, String username, String password) {

    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + " tls=" + tls + " from=" + from + " username=" + username
          + (password == null ? "" : " password=(set)") + "]";
    }
  }

  /**
   * Web Push (RFC 8030/8291/8292). {@code subject} is the VAPID {@code sub} claim ("mailto:..." or
   * "https://..."), by which a push service can reach the node's operator; {@code null} leaves it out.
   * {@code ttlSeconds}: how long a push service keeps a message for a device that is offline.
   * {@code attempts}: sends of one push to one device before it is given up (a 404/410 answer ends
   * the device's subscription at once); {@code retryMillis}: the first delay between attempts, doubling.
   */
  public record Push(String subject, long ttlSeconds, int attempts, long retryMillis) {

    public Push {
      if (subject != null && !subject.startsWith("mailto:") && !subject.startsWith("https://")) {
        throw new IllegalArgumentException("notifications.push.subject must start with mailto: or https:// ('" + subject + "')");
      }
      if (ttlSeconds < 0 || ttlSeconds > 28 * 24 * 3600) {
        throw new IllegalArgumentException("notifications.push.ttlSeconds must be 0 to 2419200 (" + ttlSeconds + ")");
      }
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException("notifications.push.attempts must be 1 to 20 (" + attempts + ")");
      }
      if (retryMillis < 10 || retryMillis > 3_600_000) {
        throw new IllegalArgumentException("notifications.push.retryMillis must be 10 to 3600000 (" + retryMillis + ")");
      }
    }
  }

  public NotificationsOptions {
    if (digestMinutes < 1 || digestMinutes > 7 * 24 * 60) {
      throw new IllegalArgumentException("notifications.email.digestMinutes must be 1 to 10080 (" + digestMinutes + ")");
    }
    if (checkMillis < 50 || checkMillis > 3_600_000) {
      throw new IllegalArgumentException("notifications.email.checkSeconds must be at most 3600 (checkMillis at least 50)");
    }
  }

  public static NotificationsOptions defaults() {
    return from(new JsonObject());
  }

  public boolean emailEnabled() {
    return smtp != null;
  }

  public boolean pushEnabled() {
    return push != null;
  }

  /** Reads the section; unknown keys and values of the wrong type are refused with a message that names them. */
  public static NotificationsOptions from(JsonObject json) {
    unknown("notifications", json, KEYS);
    JsonObject email = object(json, "email", "notifications.email");
    unknown("notifications.email", email, EMAIL_KEYS);
    JsonObject smtp = email.containsKey("smtp") ? object(email, "smtp", "notifications.email.smtp") : null;
    try {
      long check = email.containsKey("checkMillis") ? email.getLong("checkMillis")
          : email.getLong("checkSeconds", 30L) * 1000;
      return new NotificationsOptions(email.getLong("digestMinutes", 15L), check, smtp == null ? null : smtp(smtp),
          push(object(json, "push", "notifications.push")), inbox(object(json, "inbox", "notifications.inbox")));
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("notifications: digestMinutes, checkSeconds, smtp.port, push.ttlSeconds, "
          + "push.attempts and push.retryMillis are whole numbers, push.enabled and inbox.enabled true or false, the others strings");
    }
  }

  private static boolean inbox(JsonObject i) {
    unknown("notifications.inbox", i, INBOX_KEYS);
    return i.getBoolean("enabled", true);
  }

  private static Push push(JsonObject p) {
    unknown("notifications.push", p, PUSH_KEYS);
    if (!p.getBoolean("enabled", false)) return null;
    return new Push(p.getString("subject"), p.getLong("ttlSeconds", 86_400L), p.getInteger("attempts", 5),
        p.getLong("retryMillis", 2_000L));
  }

  private static Smtp smtp(JsonObject s) {
    unknown("notifications.email.smtp", s, SMTP_KEYS);
    String host = s.getString("host", "");
    if (host.isBlank()) throw new IllegalArgumentException("notifications.email.smtp.host is required");
    String tls = s.getString("tls", "starttls");
    if (!Set.of("none", "starttls", "tls").contains(tls)) {
      throw new IllegalArgumentException("notifications.email.smtp.tls must be none, starttls or tls ('" + tls + "')");
    }
    int port = s.getInteger("port", tls.equals("tls") ? 465 : 587);
    if (port < 1 || port > 65_535) throw new IllegalArgumentException("notifications.email.smtp.port must be 1 to 65535");
    String from = s.getString("from", "");
    if (from.isBlank() || !from.contains("@")) {
      throw new IllegalArgumentException("notifications.email.smtp.from must be an address (\"Hearth <hearth@example.org>\")");
    }
    String user = s.getString("username");
    String password = s.getString("password");
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("notifications.email.smtp: username and password go together");
    }
    return new Smtp(host, port, tls, from, user, password);
  }

  private static JsonObject object(JsonObject json, String key, String name) {
    Object v = json.getValue(key);
    if (v == null) return new JsonObject();
    if (!(v instanceof JsonObject o)) throw new IllegalArgumentException(name + " must be a JSON object");
    return o;
  }

  private static void unknown(String section, JsonObject json, Set<String> known) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) throw new IllegalArgumentException("unknown " + section + " setting '" + key + "'; known: " + known);
    }
  }

  /** The section as configured, for the start-up log line: the SMTP password shows only as set. */
  public static JsonObject redacted(JsonObject section) {
    JsonObject copy = section.copy();
    JsonObject email = copy.getValue("email") instanceof JsonObject e ? e : null;
    JsonObject smtp = email != null && email.getValue("smtp") instanceof JsonObject s ? s : null;
    if (smtp != null && smtp.containsKey("password")) smtp.put("password", "(set)");
    return copy;
  }
}
