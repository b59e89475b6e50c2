package dev.hearth.kernel.store;

import java.util.NavigableMap;

/** Half-open key ranges with optional bounds. */
final class Ranges {

  private Ranges() {}

  static <V> NavigableMap<String, V> sub(NavigableMap<String, V> m, String from, String to) {
    if (from == null && to == null) {
      return m;
    }
    if (from == null) {
      return m.headMap(to, false);
    }
    if (to == null) {
      return m.tailMap(from, true);
    }
    if (from.compareTo(to) >= 0) {
      return m.subMap(from, true, from, false);
    }
    return m.subMap(from, true, to, false);
  }
}
