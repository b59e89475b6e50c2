package dev.hearth.kernel.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A range read over MapDB merged with layers of pending changes (a transaction's own, its batch's,
 * the durable-but-unapplied overlay). A higher layer hides lower ones and MapDB; deletes hide keys.
 */
final class MergedScan {

  private MergedScan() {}

  /** @param layers highest precedence first; each already limited to the range or not */
  static List<Resolved> scan(List<NavigableMap<String, Pending>> layers, NavigableMap<String, byte[]> db,
      String from, String to, int limit, boolean descending) {
    TreeMap<String, Pending> pending = new TreeMap<>();
    for (int i = layers.size() - 1; i >= 0; i--) {
      NavigableMap<String, Pending> l = layers.get(i);
      if (l != null && !l.isEmpty()) {
        pending.putAll(Ranges.sub(l, from, to));
      }
    }
    NavigableMap<String, Pending> p = descending ? pending.descendingMap() : pending;
    Iterator<Map.Entry<String, Pending>> pi = p.entrySet().iterator();
    Iterator<Map.Entry<String, byte[]>> di;
    if (db == null) {
      di = Collections.emptyIterator();
    } else {
      NavigableMap<String, byte[]> r = Ranges.sub(db, from, to);
      di = (descending ? r.descendingMap() : r).entrySet().iterator();
    }
    List<Resolved> out = new ArrayList<>(Math.min(limit, 256));
    Map.Entry<String, Pending> pe = next(pi);
    Map.Entry<String, byte[]> de = next(di);
    while (out.size() < limit && (pe != null || de != null)) {
      int c;
      if (pe == null) {
        c = 1;
      } else if (de == null) {
        c = -1;
      } else {
        c = pe.getKey().compareTo(de.getKey());
        if (descending) {
          c = -c;
        }
      }
      if (c <= 0) {
        if (!pe.getValue().isDelete()) {
          out.add(new Resolved(pe.getKey(), pe.getValue().plain, pe.getValue().stored));
        }
        if (c == 0) {
          de = next(di);
        }
        pe = next(pi);
      } else {
        out.add(new Resolved(de.getKey(), null, de.getValue()));
        de = next(di);
      }
    }
    return out;
  }

  private static <T> T next(Iterator<T> it) {
    return it.hasNext() ? it.next() : null;
  }
}
