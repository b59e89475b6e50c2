package dev.hearth.kernel.i18n;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The languages the node answers in, and the one place that picks one for a request: the user's own
 * setting, else the best match of the request's {@code Accept-Language} (RFC 4647 lookup, so
 * {@code ru-RU} finds {@code ru}), else the node's default.
 */
public final class Locales {

  /** Language tags the node has strings and error messages for; English is the fallback of every text. */
  public static final List<String> TAGS = List.of("en", "ru");

  private static final List<Locale> SUPPORTED = TAGS.stream().map(Locale::forLanguageTag).toList();

  private Locales() {}

  /** The supported locale for a tag such as {@code ru} or {@code ru-RU}, if the node has one. */
  public static Optional<Locale> supported(String tag) {
    if (tag == null || tag.isBlank()) return Optional.empty();
    return fromHeader(tag);
  }

  /**
   * @param userLanguage the caller's own setting ("" or {@code null} when they have none)
   * @param acceptLanguage the request's {@code Accept-Language} header, or {@code null}
   * @param nodeDefault the node's default tag
   */
  public static Locale resolve(String userLanguage, String acceptLanguage, String nodeDefault) {
    return resolve(userLanguage, acceptLanguage, () -> nodeDefault);
  }

  /** As above, reading the node's default only when neither the user nor the header decides. */
  public static Locale resolve(String userLanguage, String acceptLanguage, Supplier<String> nodeDefault) {
    return supported(userLanguage)
        .or(() -> fromHeader(acceptLanguage))
        .or(() -> supported(nodeDefault.get()))
        .orElse(Locale.ENGLISH);
  }

  private static Optional<Locale> fromHeader(String header) {
    if (header == null || header.isBlank()) return Optional.empty();
    Optional<Locale> known = MATCHED.get(header);
    if (known != null) return known;
    Optional<Locale> matched;
    try {
      matched = Optional.ofNullable(Locale.lookup(Locale.LanguageRange.parse(header), SUPPORTED));
    } catch (IllegalArgumentException malformed) {
      matched = Optional.empty(); // a bad header is no reason to fail the call
    }
    if (header.length() <= MAX_CACHED_HEADER) {
      if (MATCHED.size() >= MAX_CACHED) MATCHED.clear();
      MATCHED.put(header, matched);
    }
    return matched;
  }

  /**
   * Parsed tags and headers: every call resolves its language (a user's tag, the node default, the
   * request's header), and RFC 4647 parsing and lookup cost more than the rest of that; clients send
   * few distinct headers. Bounded: a client sending a new header each time only empties it.
   */
  private static final Map<String, Optional<Locale>> MATCHED = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 256;
  private static final int MAX_CACHED_HEADER = 200;
}
