package dev.hearth.kernel.store;

import org.mapdb.BTreeMap;

/** Puts one change into the MapDB maps and keeps the collection's blind index in step. */
final class Applying {

  private static final byte[] EMPTY = new byte[0];

  private Applying() {}

  static void apply(StateDb state, String collection, String key, Pending p) {
    BTreeMap<String, byte[]> data = state.data(collection, true);
    byte[] old = p.isDelete() ? data.remove(key) : data.put(key, p.stored);
    if (old != null && hasTokens(old)) {
      BTreeMap<String, byte[]> idx = state.index(collection, true);
      for (StoredEntry.Token t : StoredEntry.decode(old).tokens()) {
        idx.remove(StoredEntry.indexKey(t.index(), t.token(), key));
      }
    }
    if (!p.isDelete() && !p.entry.tokens().isEmpty()) {
      BTreeMap<String, byte[]> idx = state.index(collection, true);
      for (StoredEntry.Token t : p.entry.tokens()) {
        idx.put(StoredEntry.indexKey(t.index(), t.token(), key), EMPTY);
      }
    }
  }

  /** Reads the token count of an encoded entry without copying its ciphertext. */
  static boolean hasTokens(byte[] stored) {
    int ctLen = ((stored[0] & 0xff) << 24) | ((stored[1] & 0xff) << 16) | ((stored[2] & 0xff) << 8) | (stored[3] & 0xff);
    int at = 4 + ctLen;
    return ((stored[at] & 0xff) << 8 | (stored[at + 1] & 0xff)) != 0;
  }
}
