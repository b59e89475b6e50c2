package dev.hearth.kernel.i18n;

import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error messages in the caller's language: a {@link ModuleException} with a message key is answered
 * with the key's text in {@code i18n/errors_<lang>.properties} of the failing module (its class
 * loader), else in the kernel's {@code dev/hearth/kernel/i18n/errors_<lang>.properties}, else in
 * English as thrown. Files are UTF-8 {@link MessageFormat} patterns.
 */
public final class ErrorMessages {

  private static final Logger log = LoggerFactory.getLogger(ErrorMessages.class);
  static final String MODULE_BUNDLE = "i18n/errors";
  static final String KERNEL_BUNDLE = "dev/hearth/kernel/i18n/errors";

  // Weak keys: a module's class loader must be collectable once the module is unloaded.
  private static final Map<ClassLoader, Map<String, Properties>> CACHE = new WeakHashMap<>();

  private ErrorMessages() {}

  /**
   * {@code e} with its message in {@code locale}; {@code e} itself when it has no key, the locale is
   * English (the thrown message is the English text), or no bundle has the key.
   *
   * @param moduleLoader the class loader of the module whose method failed (the kernel's for its own)
   */
  public static ModuleException localize(ModuleException e, ClassLoader moduleLoader, Locale locale) {
    String key = e.messageKey();
    if (key == null || locale == null || locale.getLanguage().equals("en")) return e;
    String pattern = find(moduleLoader, MODULE_BUNDLE, locale, key);
    if (pattern == null) pattern = find(ErrorMessages.class.getClassLoader(), KERNEL_BUNDLE, locale, key);
    if (pattern == null) return e;
    String text;
    try {
      text = new MessageFormat(pattern, locale).format(e.messageArgs());
    } catch (IllegalArgumentException bad) {
      log.warn("bad translation of {} ({}): {}", key, locale, bad.getMessage());
      return e;
    }
    ModuleException out = new ModuleException(e.code(), text).localized(key, e.messageArgs());
    e.details().forEach(out::detail);
    return out;
  }

  /** The text of {@code key} in one language's bundle, or {@code null}. */
  public static String find(ClassLoader loader, String base, Locale locale, String key) {
    if (loader == null) return null;
    return bundle(loader, base + "_" + locale.getLanguage() + ".properties").getProperty(key);
  }

  private static Properties bundle(ClassLoader loader, String path) {
    synchronized (CACHE) {
      return CACHE.computeIfAbsent(loader, l -> new HashMap<>()).computeIfAbsent(path, p -> load(loader, p));
    }
  }

  private static Properties load(ClassLoader loader, String path) {
    Properties p = new Properties();
    try (InputStream in = loader.getResourceAsStream(path)) {
      if (in != null) p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      log.warn("cannot read {}: {}", path, e.toString());
    }
    return p;
  }
}
