package dev.hearth.kernel.backup;

import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import dev.hearth.kernel.store.LogFiles;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Restores a backup chain into a data directory: the change-log frames of each store, the wrapped
 * keysets and the blobs, each checked against the manifest's SHA-256. Only logs are restored: the
 * node rebuilds each store's state from its log when it next opens it. A point-in-time restore
 * cuts each log after the chosen sequence (decrypting the one frame that holds it, so it needs the
 * master key the backup was taken with).
 *
 * <p>The caller makes sure no store it restores is open: the CLI checks the data directory's lock;
 * the running node closes the one store it restores first.
 */
public final class Restorer {

  private final BackupTarget target;
  private final Path dataDir;
  private final Supplier<MasterKey> masterKey;
  private final Progress progress;

  /** @param masterKey asked only for a point-in-time restore */
  public Restorer(BackupTarget target, Path dataDir, Supplier<MasterKey> masterKey, Progress progress) {
    this.target = target;
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.masterKey = masterKey;
    this.progress = progress;
  }

  public JsonObject restore(RestorePlan plan) throws IOException {
    List<Manifest> chain = Chain.of(target, plan.backupId());
    Manifest last = chain.get(chain.size() - 1);
    List<String> stores = new ArrayList<>();
    if (plan.store() != null) {
      if (last.store(plan.store()) == null) {
        throw ModuleException.notFound("backup " + last.id() + " has no store '" + plan.store() + "'; it has "
            + String.join(", ", last.stores().stream().map(Manifest.StoreEntry::name).toList()));
      }
      if (plan.toSequence() > last.store(plan.store()).lastSeq()) {
        throw ModuleException.notFound("backup " + last.id() + " holds store " + plan.store() + " up to sequence "
            + last.store(plan.store()).lastSeq() + ", not " + plan.toSequence());
      }
      stores.add(plan.store());
      moveAside(plan.store());
    } else {
      requireEmpty();
      last.stores().forEach(s -> stores.add(s.name()));
    }
    restoreKeys(last, plan.store());
    if (plan.store() == null) {
      restoreBlobs(chain);
    }
    Map<String, Long> restoredTo = new LinkedHashMap<>();
    KeyVault vault = plan.pointInTime() ? KeyVault.open(dataDir.resolve("keys"), masterKey.get()) : null;
    for (String name : stores) {
      Path logDir = dataDir.resolve("stores").resolve(name).resolve("log");
      Files.createDirectories(logDir);
      long end = 0;
      for (Manifest m : chain) {
        Manifest.StoreEntry e = m.store(name);
        if (e == null) continue;
        for (Manifest.FileEntry f : e.files()) {
          fetch(m, f, logDir.resolve(Path.of(f.path()).getFileName().toString()));
        }
        end = Math.max(end, e.lastSeq());
      }
      if (vault != null) {
        end = cut(name, logDir, vault, plan, end);
      }
      restoredTo.put(name, end);
      progress.step("store " + name + ": restored up to sequence " + end);
    }
    JsonArray st = new JsonArray();
    restoredTo.forEach((n, s) -> st.add(new JsonObject().put("name", n).put("lastSequence", s)));
    return new JsonObject().put("backup", last.id())
        .put("chain", new JsonArray(chain.stream().map(Manifest::id).toList()))
        .put("dataDir", dataDir.toString()).put("stores", st)
        .put("note", "each store rebuilds its state from the restored change log when the node opens it");
  }

  private long cut(String name, Path logDir, KeyVault vault, RestorePlan plan, long end) throws IOException {
    var keys = vault.forStore(name);
    long at = plan.toSequence() > 0 ? plan.toSequence()
        : LogFiles.lastSequenceAt(logDir, name, keys, toMicros(plan.toTime()));
    if (at >= end) return end;
    if (at == 0) {
      for (Path seg : LogFiles.segments(logDir)) Files.delete(seg);
      return 0;
    }
    LogFiles.cutAfter(logDir, name, keys, at);
    return at;
  }

  private static long toMicros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  private void restoreKeys(Manifest last, String onlyStore) throws IOException {
    Path keys = dataDir.resolve("keys");
    Files.createDirectories(keys);
    for (Manifest.FileEntry f : last.keys()) {
      String file = Path.of(f.path()).getFileName().toString();
      Path dest = keys.resolve(file);
      if (onlyStore != null) {
        // Keysets only gain keys, so the node's own is at least as complete; take the backup's only
        // when the node has lost it.
        boolean storesOwn = file.equals(onlyStore + ".aead.json") || file.equals(onlyStore + ".prf.json");
        if (!storesOwn || Files.exists(dest)) continue;
      }
      fetch(last, f, dest);
    }
  }

  private void restoreBlobs(List<Manifest> chain) throws IOException {
    int n = 0;
    for (Manifest m : chain) {
      for (Manifest.FileEntry f : m.blobs()) {
        fetch(m, f, dataDir.resolve(f.path()));
        if (++n % 100 == 0) progress.step("blobs: " + n + " restored");
      }
    }
  }

  private void fetch(Manifest m, Manifest.FileEntry f, Path dest) throws IOException {
    Path normal = dest.toAbsolutePath().normalize();
    if (!normal.startsWith(dataDir)) {
      throw new ModuleException(ModuleException.Code.DATA_LOSS, "backup " + m.id() + " names a file outside the data directory: " + f.path());
    }
    Files.createDirectories(normal.getParent());
    target.download(m.id(), f.path(), normal);
    String sha = Digests.sha256(normal);
    if (!sha.equals(f.sha256()) || Files.size(normal) != f.bytes()) {
      Files.delete(normal);
      throw new ModuleException(ModuleException.Code.DATA_LOSS, "file " + f.path() + " of backup " + m.id()
          + " does not match its manifest (SHA-256 " + sha + ", expected " + f.sha256() + ")");
    }
  }

  private void requireEmpty() throws IOException {
    if (!Files.exists(dataDir)) return;
    try (Stream<Path> s = Files.list(dataDir)) {
      // The lock file is the restoring command's own (it holds the lock against a node starting meanwhile).
      if (s.anyMatch(p -> !p.getFileName().toString().equals(".lock"))) {
        throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "data directory " + dataDir
            + " is not empty: a whole-node restore goes into an empty directory (or restore one store with --store)");
      }
    }
  }

  /** The store's current files are kept, not deleted: moved to {@code <data>/replaced/<store>-<time>/}. */
  private void moveAside(String store) throws IOException {
    Path current = dataDir.resolve("stores").resolve(store);
    if (!Files.exists(current)) return;
    Path aside = dataDir.resolve("replaced").resolve(store + "-" + Instant.now().toString().replace(':', '-'));
    Files.createDirectories(aside.getParent());
    Files.move(current, aside);
    progress.step("store " + store + ": its current files moved to " + dataDir.relativize(aside));
  }
}
