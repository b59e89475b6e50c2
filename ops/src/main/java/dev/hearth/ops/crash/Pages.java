package dev.hearth.ops.crash;

import dev.hearth.module.store.Entry;
import java.util.List;
import java.util.function.Consumer;

/** Walks a whole collection in pages, so the verifier never holds every value at once. */
final class Pages {

  private Pages() {}

  /**
   * Calls {@code action} with every entry of {@code collection} in key order. A scan that goes
   * backwards is reported as {@link Kind#READ_MISMATCH} and ends the walk; exceptions from the
   * store (a value that fails to decrypt) propagate.
   */
  static void forEach(Observed store, String collection, Findings findings, Consumer<Entry<String>> action) {
    String from = null;
    String previous = null;
    while (true) {
      List<Entry<String>> page = store.scan(collection, from, LogFold.PAGE);
      for (Entry<String> e : page) {
        if (previous != null && e.key().compareTo(previous) <= 0) {
          findings.add(Kind.READ_MISMATCH, "scan of " + collection + " returned '" + e.key()
              + "' after '" + previous + "'");
          return;
        }
        previous = e.key();
        action.accept(e);
      }
      if (page.size() < LogFold.PAGE) {
        return;
      }
      from = previous + '\0';
    }
  }
}
