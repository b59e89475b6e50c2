package dev.hearth.kernel.settings;

import dev.hearth.kernel.i18n.Locales;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.settings.v1.*;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code hearth.settings.v1.SettingsService}: the caller's own language, theme and notification
 * settings (levels per module, quiet hours). Every method acts on the caller's own record only: there
 * is no user id in a request, so nobody reads or changes another's settings.
 */
public final class SettingsApi {

  static final List<String> THEMES = List.of("system", "light", "dark");
  static final List<String> LEVELS = List.of("all", "mentions", "none");

  private final UserSettingsBook book;
  private final Supplier<String> defaultLanguage;
  private final BooleanSupplier federation;
  private final BooleanSupplier cluster;

  /**
   * @param federation whether the node serves federation at the moment of the call
   * @param cluster whether it serves the cluster's placement (it is a process of a cluster)
   */
  public SettingsApi(UserSettingsBook book, Supplier<String> defaultLanguage, BooleanSupplier federation,
      BooleanSupplier cluster) {
    this.book = book;
    this.defaultLanguage = defaultLanguage;
    this.federation = federation;
    this.cluster = cluster;
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(SettingsProto.getDescriptor().findServiceByName("SettingsService"))
        .unary("Get", GetRequest.getDefaultInstance(), (call, r) ->
            Future.succeededFuture(view(book.get(call.userId()).orElse(UserSettings.getDefaultInstance()), call)))
        .unary("Update", UpdateRequest.getDefaultInstance(), this::update)
        .unary("GetOptions", GetOptionsRequest.getDefaultInstance(), (call, r) -> Future.succeededFuture(
            Options.newBuilder().addAllLanguages(Locales.TAGS).addAllThemes(THEMES).addAllNotificationLevels(LEVELS)
                .setDefaultLanguage(defaultLanguage.get()).setFederation(federation.getAsBoolean())
                .setCluster(cluster.getAsBoolean()).build()))
        .build();
  }

  private Future<UserSettings> update(Call call, UpdateRequest r) {
    if (r.hasLanguage() && !r.getLanguage().isEmpty() && Locales.supported(r.getLanguage()).isEmpty()) {
      throw oneOf("language", Locales.TAGS + " or empty");
    }
    if (r.hasTheme() && !THEMES.contains(r.getTheme())) throw oneOf("theme", THEMES.toString());
    for (Map.Entry<String, String> n : r.getNotificationsMap().entrySet()) {
      if (n.getKey().isBlank() || n.getKey().length() > 64) {
        throw ModuleException.badField("notifications", "a module id of 1 to 64 characters is needed")
            .localized("field.range", "notifications", 1, 64);
      }
      if (!n.getValue().isEmpty() && !LEVELS.contains(n.getValue())) throw oneOf("notifications", LEVELS.toString());
    }
    if (r.hasQuietHoursStart()) QuietHours.checkTime("quiet_hours_start", r.getQuietHoursStart());
    if (r.hasQuietHoursEnd()) QuietHours.checkTime("quiet_hours_end", r.getQuietHoursEnd());
    if (r.hasTimeZone()) QuietHours.checkZone(r.getTimeZone());
    return book.update(call.userId(), old -> {
      UserSettings.Builder b = old.toBuilder();
      if (r.hasLanguage()) b.setLanguage(Locales.supported(r.getLanguage()).map(l -> l.getLanguage()).orElse(""));
      if (r.hasTheme()) b.setTheme(r.getTheme());
      r.getNotificationsMap().forEach((module, level) -> {
        if (level.isEmpty()) b.removeNotifications(module);
        else b.putNotifications(module, level);
      });
      if (r.hasQuietHoursStart()) b.setQuietHoursStart(r.getQuietHoursStart());
      if (r.hasQuietHoursEnd()) b.setQuietHoursEnd(r.getQuietHoursEnd());
      if (r.hasTimeZone()) b.setTimeZone(r.getTimeZone());
      // Checked on the merged settings: one bound alone would mean nothing.
      if (b.getQuietHoursStart().isEmpty() != b.getQuietHoursEnd().isEmpty()) {
        String missing = b.getQuietHoursStart().isEmpty() ? "quiet_hours_start" : "quiet_hours_end";
        throw ModuleException.badField(missing, "quiet hours need both a start and an end (or neither)")
            .localized("settings.quietHoursPair", missing);
      }
      return b.build();
    }).map(saved -> {
      // The setting just saved decides this answer's language too.
      String effective = saved.getLanguage().isEmpty() ? call.locale().getLanguage() : saved.getLanguage();
      return view(saved, call).toBuilder().setEffectiveLanguage(effective).build();
    });
  }

  private static ModuleException oneOf(String field, String allowed) {
    return ModuleException.badField(field, "must be one of " + allowed).localized("field.oneOf", field, allowed);
  }

  private static UserSettings view(UserSettings stored, Call call) {
    UserSettings.Builder b = stored.toBuilder().setEffectiveLanguage(call.locale().getLanguage());
    if (b.getTheme().isEmpty()) b.setTheme("system");
    return b.build();
  }
}
