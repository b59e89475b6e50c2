package dev.hearth.kernel.store;

import dev.hearth.kernel.spi.ReplicaChange;
import dev.hearth.kernel.spi.ScopeContent;
import dev.hearth.kernel.spi.ScopeDigest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeSet;

/**
 * Lists the entries of one scope for snapshots and digests. There is no scope index yet
 * (federation.md §1 plans {@code s.<scope>...} rows): this reads every collection through the
 * merged read path, overlay over MapDB, a chunk at a time so the applier is never held off for
 * long. Fuzzy, not a consistent cut: changes made while it runs may or may not be in it.
 */
final class ScopeScan {

  static final int CHUNK = 1024;

  private ScopeScan() {}

  static ScopeContent content(Engine engine, String scope) {
    // Read before the scan, and only what readers can already see: the writer moves visibleSeq
    // after a batch is in the overlay, so every change at or before it is found by the scan below
    // (in the overlay or, once applied, in MapDB). The log's lastSequence() could name a batch
    // that is fsynced but not yet in the overlay, and appliedSeq() would be needlessly old.
    long after = engine.visibleSeq;
    TreeSet<String> colls = new TreeSet<>(engine.state.collections());
    colls.addAll(engine.overlay.collections());
    List<ReplicaChange> out = new ArrayList<>();
    for (String coll : colls) {
      if (coll.startsWith("view.") || coll.startsWith(HearthStore.FED_PREFIX)) {
        continue; // derived or node-local: never part of a scope's data
      }
      String from = null;
      while (true) {
        List<Resolved> chunk = chunk(engine, coll, from);
        for (Resolved r : chunk) {
          if (scope.equals(StoredEntry.scopeOf(r.stored()))) {
            out.add(ReplicaChange.put(coll, r.key(), engine.plain(coll, r)));
          }
        }
        if (chunk.size() < CHUNK) {
          break;
        }
        // The smallest key after the last one: scans start inclusive.
        from = chunk.get(chunk.size() - 1).key() + '\0';
      }
    }
    return new ScopeContent(after, out);
  }

  private static List<Resolved> chunk(Engine engine, String coll, String from) {
    // The overlay is copied before MapDB is read, as in CollectionImpl.scan: a change moving to
    // MapDB meanwhile is seen in one place or both, never in neither.
    NavigableMap<String, Pending> pending = engine.overlay.snapshot(coll, from, null, CHUNK, false);
    engine.mapLock.readLock().lock();
    try {
      return MergedScan.scan(List.of(pending), engine.data(coll), from, null, CHUNK, false);
    } finally {
      engine.mapLock.readLock().unlock();
    }
  }

  /**
   * SHA-256 over, per entry in order: u32 length | collection UTF-8 | u32 length | key UTF-8 |
   * SHA-256(value).
   */
  static ScopeDigest digest(ScopeContent content) {
    MessageDigest all = sha256();
    MessageDigest one = sha256();
    for (ReplicaChange e : content.entries()) {
      field(all, e.collection().getBytes(StandardCharsets.UTF_8));
      field(all, e.key().getBytes(StandardCharsets.UTF_8));
      all.update(one.digest(e.value()));
    }
    return new ScopeDigest(HexFormat.of().formatHex(all.digest()), content.entries().size(), content.afterSeq());
  }

  private static void field(MessageDigest md, byte[] b) {
    md.update(ByteBuffer.allocate(4).putInt(b.length).array());
    md.update(b);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
