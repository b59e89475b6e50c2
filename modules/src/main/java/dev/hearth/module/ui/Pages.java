package dev.hearth.module.ui;

/**
 * A module's pages and strings for the web shell. A page is an Adaptive Card template (JSON, with
 * {@code ${...}} data bindings) shipped in the module's resources; the node validates it when it is
 * registered, serves it to clients, and forgets it when the module stops.
 *
 * @since 0.3
 */
public interface Pages {

  /**
   * Registers the page {@code name} from the resource {@code resourcePath} of the module's jar.
   *
   * @param name the page's name, {@code [a-z][a-z0-9-]*}; clients ask for {@code <moduleId>/<name>}
   * @param title what navigation shows for it: a key of the module's strings, or plain text
   * @throws dev.hearth.module.ModuleException INVALID_ARGUMENT when the resource is missing or is
   *     not a valid Adaptive Card, naming what is wrong
   */
  void page(String name, String title, String resourcePath);

  /**
   * Registers the module's strings: the resource {@code resourcePrefix + ".json"} of the jar is the
   * fallback (English), and {@code resourcePrefix + "_" + locale + ".json"} each further locale;
   * each is one flat JSON object of key to text. Pages and clients look texts up by key; a key
   * missing in a locale falls back to the default text.
   *
   * @param locales the further locales shipped, e.g. {@code "fr"}, {@code "de"}
   * @throws dev.hearth.module.ModuleException INVALID_ARGUMENT when a file is missing or malformed
   */
  void strings(String resourcePrefix, String... locales);
}
