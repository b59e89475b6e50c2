package dev.hearth.kernel.backup;

import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import dev.hearth.kernel.store.LogFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a backup chain without restoring it: every file is there with its size and SHA-256, each
 * store's log files hold exactly the frames (afterSeq, lastSeq] without a gap, each incremental
 * continues its parent, and, given the master key, every frame decrypts with the backup's keysets.
 * Collects every problem instead of stopping at the first.
 */
public final class Verifier {

  private final BackupTarget target;
  private final MasterKey masterKey;
  private final Progress progress;

  /** @param masterKey null to check structure and checksums only */
  public Verifier(BackupTarget target, MasterKey masterKey, Progress progress) {
    this.target = target;
    this.masterKey = masterKey;
    this.progress = progress;
  }

  public JsonObject verify(String backupId) throws IOException {
    List<Manifest> chain = Chain.of(target, backupId);
    List<String> problems = new ArrayList<>();
    Path work = Files.createTempDirectory("hearth-verify-");
    long events = 0;
    try {
      Map<String, Long> reached = new HashMap<>();
      for (Manifest m : chain) {
        progress.step("checking backup " + m.id());
        Path root = work.resolve(m.id());
        for (Manifest.FileEntry f : m.allFiles()) {
          Path local = root.resolve(f.path());
          try {
            target.download(m.id(), f.path(), local);
            if (Files.size(local) != f.bytes() || !Digests.sha256(local).equals(f.sha256())) {
              problems.add(m.id() + "/" + f.path() + ": does not match its manifest");
            }
          } catch (IOException e) {
            problems.add(m.id() + "/" + f.path() + ": missing (" + e.getMessage() + ")");
          }
        }
        for (Manifest.StoreEntry s : m.stores()) {
          long expectedAfter = reached.getOrDefault(s.name(), 0L);
          if (s.afterSeq() != expectedAfter) {
            problems.add(m.id() + ": store " + s.name() + " starts after sequence " + s.afterSeq()
                + " but its chain reaches " + expectedAfter);
          }
          Path logDir = root.resolve("stores").resolve(s.name()).resolve("log");
          long[] next = {s.afterSeq() + 1};
          int[] tailCrc = {0};
          try {
            LogFiles.frames(logDir, 0, Long.MAX_VALUE, f -> {
              if (f.firstSeq() != next[0]) {
                problems.add(m.id() + ": store " + s.name() + " has sequence " + f.firstSeq() + " where " + next[0]
                    + " was expected");
              }
              next[0] = f.lastSeq() + 1;
              tailCrc[0] = f.crc();
            });
          } catch (RuntimeException e) {
            problems.add(m.id() + ": store " + s.name() + ": " + e.getMessage());
          }
          if (next[0] - 1 != s.lastSeq()) {
            problems.add(m.id() + ": store " + s.name() + " holds sequences up to " + (next[0] - 1)
                + ", its manifest says " + s.lastSeq());
          } else if (!s.files().isEmpty() && (tailCrc[0] & 0xffffffffL) != s.tailCrc()) {
            problems.add(m.id() + ": store " + s.name() + ": its last frame is not the one the manifest names");
          }
          reached.put(s.name(), s.lastSeq());
        }
      }
      if (masterKey != null && problems.isEmpty()) {
        try {
          events = decryptAll(chain, work);
        } catch (RuntimeException e) {
          problems.add("decryption failed: " + e.getMessage());
        }
      }
    } finally {
      FolderTarget.deleteTree(work);
    }
    Manifest last = chain.get(chain.size() - 1);
    JsonObject out = new JsonObject().put("backup", last.id())
        .put("chain", new JsonArray(chain.stream().map(Manifest::id).toList()))
        .put("ok", problems.isEmpty()).put("problems", new JsonArray(problems))
        .put("decrypted", masterKey != null && problems.isEmpty());
    if (masterKey != null && problems.isEmpty()) out.put("events", events);
    return out;
  }

  /** Puts each store's chain of log files together and decrypts every frame with the backup's keysets. */
  private long decryptAll(List<Manifest> chain, Path work) throws IOException {
    Manifest last = chain.get(chain.size() - 1);
    Path joined = work.resolve(".joined");
    FolderTarget.copyTree(work.resolve(last.id()).resolve("keys"), joined.resolve("keys"));
    KeyVault vault = KeyVault.open(joined.resolve("keys"), masterKey);
    long events = 0;
    for (Manifest.StoreEntry s : last.stores()) {
      Path logDir = joined.resolve("stores").resolve(s.name()).resolve("log");
      Files.createDirectories(logDir);
      for (Manifest m : chain) {
        Path from = work.resolve(m.id()).resolve("stores").resolve(s.name()).resolve("log");
        for (Path seg : LogFiles.segments(from)) {
          Files.copy(seg, logDir.resolve(seg.getFileName().toString()));
        }
      }
      progress.step("decrypting store " + s.name());
      events += LogFiles.decryptAll(logDir, s.name(), vault.forStore(s.name()));
    }
    return events;
  }
}
