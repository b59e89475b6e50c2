package dev.hearth.module.ui;

import java.util.Map;

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
  default void page(String name, String title, String resourcePath) {
    page(name, title, resourcePath, PageData.of());
  }

  /**
   * Registers the page {@code name} from a resource of the module's jar, with the data it shows.
   *
   * @throws dev.hearth.module.ModuleException INVALID_ARGUMENT as {@link #page(String, String, String)}
   * @since 0.4
   */
  void page(String name, String title, String resourcePath, PageData data);

  /**
   * Registers the page {@code name} from card JSON the module holds as text rather than as a jar
   * resource (a module that builds its pages from a definition, say).
   *
   * @throws dev.hearth.module.ModuleException INVALID_ARGUMENT when the text is not a valid Adaptive Card
   * @since 0.4
   */
  void card(String name, String title, String cardJson, PageData data);

  /**
   * Registers the module's strings from tables it holds: {@code fallback} (English) and one table
   * per further locale. Like {@link #strings(String, String...)}, once per module.
   *
   * @since 0.4
   */
  void strings(Map<String, String> fallback, Map<String, Map<String, String>> locales);

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
