package dev.hearth.kernel.notifications;

import dev.hearth.kernel.settings.QuietHours;
import dev.hearth.settings.v1.UserSettings;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Whether a user is to be told of a mention or direct message, from their own settings
 * (docs/notifications.md): not of their own messages; not when their level for the module is
 * {@code none} ({@code all}, {@code mentions} and no setting all notify of mentions and DMs); not
 * when it happened in their quiet hours; not while they have a realtime connection open (a web
 * shell or client is showing it to them).
 */
final class Decider {

  enum Verdict { NOTIFY, OWN, LEVEL_NONE, QUIET_HOURS, CONNECTED }

  private final Function<String, Optional<UserSettings>> settings;
  private final Predicate<String> connected;

  Decider(Function<String, Optional<UserSettings>> settings, Predicate<String> connected) {
    this.settings = settings;
    this.connected = connected;
  }

  Verdict decide(String userId, String authorId, String module, Instant at) {
    if (userId.equals(authorId)) return Verdict.OWN;
    UserSettings s = settings.apply(userId).orElse(UserSettings.getDefaultInstance());
    if ("none".equals(s.getNotificationsOrDefault(module, "mentions"))) return Verdict.LEVEL_NONE;
    QuietHours quiet = QuietHours.of(s);
    if (quiet != null && quiet.contains(at)) return Verdict.QUIET_HOURS;
    if (connected.test(userId)) return Verdict.CONNECTED;
    return Verdict.NOTIFY;
  }
}
