package dev.hearth.kernel.store;

import dev.hearth.kernel.crypto.StoreKeys;
import java.util.List;
import java.util.Map;
import org.mapdb.BTreeMap;

/**
 * Moves stored values to the primary key after a rotation, a chunk at a time on the applier thread
 * (the only MapDB writer, so it never races a write). Its cursor lives in MapDB's meta map and is
 * committed with each checkpoint: after a crash it resumes where the last checkpoint left it.
 * Values with a newer pending change are skipped; that change is already under the new key.
 */
final class Reencryptor {

  static final String TARGET = "rekey.target";
  static final String COLLECTION = "rekey.collection";
  static final int CHUNK = 256;

  private final Engine engine;
  private String cursorKey;

  Reencryptor(Engine engine) {
    this.engine = engine;
  }

  boolean active() {
    return engine.state.meta(TARGET) != null;
  }

  /** Starts (or restarts) a pass for the current primary key. */
  void start() {
    engine.state.putMeta(TARGET, engine.keys.primaryKeyId() & 0xffffffffL);
    engine.state.putMeta(COLLECTION, 0);
    cursorKey = null;
  }

  /** Re-encrypts up to {@link #CHUNK} values; returns how many it rewrote. */
  int chunk() {
    StateDb state = engine.state;
    int target = (int) (long) state.meta(TARGET);
    List<String> colls = state.collections();
    int ci = (int) (long) state.meta(COLLECTION);
    int seen = 0;
    int rewritten = 0;
    while (ci < colls.size() && seen < CHUNK) {
      String coll = colls.get(ci);
      BTreeMap<String, byte[]> m = state.data(coll, false);
      Map<String, byte[]> tail = cursorKey == null ? m : m.tailMap(cursorKey, false);
      boolean finished = true;
      for (Map.Entry<String, byte[]> e : tail.entrySet()) {
        if (seen++ >= CHUNK) {
          finished = false;
          break;
        }
        cursorKey = e.getKey();
        StoredEntry se = StoredEntry.decode(e.getValue());
        if (StoreKeys.keyIdOf(se.ciphertext()) == target || engine.overlay.get(coll, e.getKey()) != null) {
          continue;
        }
        byte[] plain = engine.open(coll, e.getKey(), e.getValue());
        byte[] ct = engine.keys.encrypt(plain, engine.aad(coll, e.getKey()));
        m.put(e.getKey(), new StoredEntry(ct, se.tokens(), se.scope()).encode());
        rewritten++;
      }
      if (finished) {
        ci++;
        cursorKey = null;
        state.putMeta(COLLECTION, ci);
      }
    }
    if (ci >= colls.size()) {
      // A collection created during the pass can shift positions; finish only when nothing is left.
      if (countNotUnder(target) == 0) {
        state.removeMeta(TARGET);
        state.removeMeta(COLLECTION);
      } else {
        state.putMeta(COLLECTION, 0);
      }
    }
    return Math.max(rewritten, 1);
  }

  private long countNotUnder(int target) {
    long n = 0;
    for (String coll : engine.state.collections()) {
      for (byte[] v : engine.state.data(coll, false).values()) {
        if (StoreKeys.keyIdOf(StoredEntry.decode(v).ciphertext()) != target) {
          n++;
        }
      }
    }
    return n;
  }
}
