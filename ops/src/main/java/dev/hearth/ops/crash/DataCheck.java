package dev.hearth.ops.crash;

import dev.hearth.module.store.Entry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The collections against the model and against the log fold: every value decrypts and is intact,
 * every key holds what its last durable write put there (or is absent after a delete), nothing else
 * exists, and point reads agree with scans.
 */
final class DataCheck {

  private final Observed store;
  private final Model model;
  private final Findings findings;
  private final Set<Long> lost;

  DataCheck(Observed store, Model model, Findings findings, Set<Long> lost) {
    this.store = store;
    this.model = model;
    this.findings = findings;
    this.lost = lost;
  }

  /**
   * @param firstPendingRun keys last written by this run or later are also read one by one; older
   *     keys are sampled, since each cycle writes only a small part of the store
   */
  void run(LogFold fold, int firstPendingRun) {
    Map<String, String> scanned = new HashMap<>();
    Set<String> unscannable = new HashSet<>();
    for (String collection : Workload.COLLECTIONS) {
      try {
        Pages.forEach(store, collection, findings, e -> check(collection, e, fold, scanned));
      } catch (RuntimeException e) {
        findings.add(Kind.DECRYPT_FAILED, "scanning " + collection + " threw", e);
        unscannable.add(collection);
        checkByPointReads(collection, fold, scanned);
      }
    }
    model.keys().forEach((path, want) -> {
      if (want.digest() != null && !scanned.containsKey(path) && !unscannable.contains(collectionOf(path))) {
        lost.add(want.opId());
        findings.add(Kind.LOST_ACK, path + " is missing; " + OpId.describe(want.opId()) + " put it there");
      }
    });
    fold.state.forEach((path, digest) -> {
      if (!scanned.containsKey(path) && !unscannable.contains(collectionOf(path))) {
        findings.add(Kind.LOG_MISMATCH, path + " is live in the log but missing from the store");
      }
    });
    pointReads(scanned, unscannable, firstPendingRun);
  }

  private static String collectionOf(String path) {
    return path.substring(0, path.indexOf('/'));
  }

  private void check(String collection, Entry<String> e, LogFold fold, Map<String, String> scanned) {
    String path = Change.path(collection, e.key());
    Payload p;
    try {
      p = Payload.parse(e.value());
    } catch (RuntimeException ex) {
      scanned.put(path, "corrupt");
      findings.add(Kind.PAYLOAD_CORRUPT, path + ": " + ex.getMessage());
      return;
    }
    scanned.put(path, p.sha());
    if (!p.collection().equals(collection) || !p.key().equals(e.key()) || !e.key().startsWith("w" + p.writer() + "-")) {
      findings.add(Kind.PAYLOAD_CORRUPT, path + " holds the value written for " + p.collection() + "/" + p.key()
          + " by " + p.origin());
      return;
    }
    String inLog = fold.state.get(path);
    if (!p.sha().equals(inLog)) {
      findings.add(Kind.LOG_MISMATCH, path + " holds the value of " + p.origin() + " but folding the log gives "
          + (inLog == null ? "no value" : "another value (" + inLog + ")"));
    }
    Model.KeyState want = model.keys().get(path);
    if (want == null) {
      findings.add(Kind.STATE_MISMATCH, path + " exists (value of " + p.origin() + ") but no durable write made it");
    } else if (p.sha().equals(want.digest())) {
      return;
    } else if (p.order() < want.order()) {
      lost.add(want.opId());
      findings.add(Kind.LOST_ACK, path + " holds the older value of " + p.origin() + "; the "
          + (want.digest() == null ? "delete" : "put") + " of " + OpId.describe(want.opId()) + " is lost");
    } else {
      findings.add(Kind.STATE_MISMATCH, path + " holds the value of " + p.origin() + " but must hold "
          + (want.digest() == null ? "nothing (deleted by " : "the value of (") + OpId.describe(want.opId()) + ")");
    }
  }

  /**
   * When a collection cannot be scanned, every key the model knows in it is read on its own: an
   * unreadable value is {@link Kind#DECRYPT_FAILED}, a readable one gets the same checks as in a scan.
   */
  private void checkByPointReads(String collection, LogFold fold, Map<String, String> scanned) {
    model.keys().forEach((path, want) -> {
      if (!collectionOf(path).equals(collection)) {
        return;
      }
      String key = path.substring(collection.length() + 1);
      Optional<String> got;
      try {
        got = store.get(collection, key);
      } catch (RuntimeException ex) {
        scanned.put(path, "unreadable");
        findings.add(Kind.DECRYPT_FAILED, "get(" + path + ") threw", ex);
        return;
      }
      if (got.isPresent()) {
        check(collection, new Entry<>(key, got.get()), fold, scanned);
      } else if (want.digest() != null) {
        lost.add(want.opId());
        findings.add(Kind.LOST_ACK, path + " is missing; " + OpId.describe(want.opId()) + " put it there");
      }
    });
  }

  private void pointReads(Map<String, String> scanned, Set<String> unscannable, int firstPendingRun) {
    int[] n = {0};
    model.keys().forEach((path, want) -> {
      if (unscannable.contains(collectionOf(path))) {
        return; // already read one by one
      }
      boolean recent = (want.order() >>> 32) >= firstPendingRun;
      if (!recent && (n[0]++ % 50) != 0) {
        return;
      }
      int slash = path.indexOf('/');
      Optional<String> got;
      try {
        got = store.get(path.substring(0, slash), path.substring(slash + 1));
      } catch (RuntimeException ex) {
        findings.add(Kind.DECRYPT_FAILED, "get(" + path + ") threw", ex);
        return;
      }
      String viaGet = got.map(v -> {
        try {
          return Payload.parse(v).sha();
        } catch (RuntimeException ex) {
          return "corrupt";
        }
      }).orElse(null);
      String viaScan = scanned.get(path);
      if (!Objects.equals(viaGet, viaScan)) {
        findings.add(Kind.READ_MISMATCH, "get(" + path + ") gives " + (viaGet == null ? "nothing" : viaGet)
            + ", a scan gives " + (viaScan == null ? "nothing" : viaScan));
      }
    });
  }
}
