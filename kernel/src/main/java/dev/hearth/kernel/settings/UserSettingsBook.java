package dev.hearth.kernel.settings;

import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.ReadCache;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Tx;
import dev.hearth.settings.v1.UserSettings;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Users' own settings in the kernel store: {@code user_settings: userId → UserSettings} (without
 * {@code effective_language}, which belongs to a request), unscoped like the account. Read on every
 * call that needs them (the language of each request), so a change applies to the next request.
 */
public final class UserSettingsBook {

  private final HearthStore store;
  private final Collection<UserSettings> settings;
  /** Read for the language of every call: cached while the kernel store is unchanged. */
  private final ReadCache<UserSettings> reads;

  public UserSettingsBook(HearthStore kernel) {
    this.store = kernel;
    this.settings = kernel.collection(CollectionSpec.of("user_settings", Codec.of(UserSettings.parser())));
    this.reads = ReadCache.of(kernel, settings);
  }

  /** The user's stored settings, empty when they never saved any. */
  public Optional<UserSettings> get(String userId) {
    return userId == null || userId.isEmpty() ? Optional.empty() : reads.get(userId);
  }

  /** The user's own language tag, "" when they follow the request's. */
  public String language(String userId) {
    return get(userId).map(UserSettings::getLanguage).orElse("");
  }

  /** Whether the user ever saved a setting. */
  public boolean has(String userId) {
    return settings.get(userId).isPresent();
  }

  /** Removes the user's settings in {@code tx} (their account was deleted). */
  public void delete(Tx tx, String userId) {
    tx.delete(settings, userId);
  }

  /** Applies {@code change} to the user's settings in one write. */
  public Future<UserSettings> update(String userId, UnaryOperator<UserSettings> change) {
    return store.write(userId, tx -> {
      UserSettings next = change.apply(tx.get(settings, userId).orElse(UserSettings.getDefaultInstance()));
      tx.put(settings, userId, next);
      return next;
    });
  }
}
