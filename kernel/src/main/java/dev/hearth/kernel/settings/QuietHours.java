package dev.hearth.kernel.settings;

import dev.hearth.module.ModuleException;
import dev.hearth.settings.v1.UserSettings;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * A user's quiet hours: a daily span "HH:MM" to "HH:MM" in their time zone, which may wrap past
 * midnight (22:00 to 07:00). The start is in the span, the end is not; equal bounds are no span.
 */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {

  private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

  /** The user's quiet hours, or null when they set none. */
  public static QuietHours of(UserSettings s) {
    if (s.getQuietHoursStart().isEmpty() || s.getQuietHoursEnd().isEmpty()) return null;
    try {
      ZoneId zone = s.getTimeZone().isEmpty() ? ZoneOffset.UTC : ZoneId.of(s.getTimeZone());
      return new QuietHours(LocalTime.parse(s.getQuietHoursStart()), LocalTime.parse(s.getQuietHoursEnd()), zone);
    } catch (DateTimeException e) {
      return null; // checked when saved; a zone a later JDK dropped means none
    }
  }

  public boolean contains(Instant t) {
    LocalTime local = t.atZone(zone).toLocalTime();
    if (start.equals(end)) return false;
    return start.isBefore(end) ? !local.isBefore(start) && local.isBefore(end)
        : !local.isBefore(start) || local.isBefore(end);
  }

  static void checkTime(String field, String value) {
    if (!value.isEmpty() && !TIME.matcher(value).matches()) {
      throw ModuleException.badField(field, "'" + value + "' is not a time of day as HH:MM (00:00 to 23:59)")
          .localized("settings.timeOfDay", field, value);
    }
  }

  static void checkZone(String value) {
    if (value.isEmpty()) return;
    try {
      ZoneId.of(value);
    } catch (DateTimeException e) {
      throw ModuleException.badField("time_zone", "'" + value + "' is not a time zone id such as Europe/Moscow")
          .localized("settings.timeZone", value);
    }
  }

}
