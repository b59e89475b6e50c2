package dev.hearth.kernel.backup;

import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A backup with its parents: the full backup it starts from first, then each incremental in order. */
public final class Chain {

  private Chain() {}

  /** The chain ending at backup {@code id}; the newest backup when {@code id} is null. */
  public static List<Manifest> of(BackupTarget target, String id) throws IOException {
    List<String> ids = target.ids();
    if (ids.isEmpty()) {
      throw ModuleException.notFound("there is no backup in " + target.describe());
    }
    String at = id == null ? ids.get(ids.size() - 1) : id;
    if (!ids.contains(at)) {
      throw ModuleException.notFound("there is no backup '" + at + "' in " + target.describe());
    }
    List<Manifest> chain = new ArrayList<>();
    Manifest m = target.manifest(at);
    chain.add(m);
    while (!m.full()) {
      if (m.parent() == null || !ids.contains(m.parent())) {
        throw new ModuleException(ModuleException.Code.DATA_LOSS, "backup " + m.id() + " continues backup "
            + m.parent() + ", which is not in " + target.describe());
      }
      m = target.manifest(m.parent());
      chain.add(m);
    }
    Collections.reverse(chain);
    return chain;
  }

  /** Blob paths held by the chain ending at {@code last}. */
  static Set<String> blobs(BackupTarget target, Manifest last) throws IOException {
    Set<String> out = new HashSet<>();
    for (Manifest m : of(target, last.id())) {
      m.blobs().forEach(b -> out.add(b.path()));
    }
    return out;
  }

  /**
   * Keeps the newest {@code keepFull} full backups and the incrementals on top of them; deletes
   * the older ones. Returns the ids deleted.
   */
  public static List<String> retain(BackupTarget target, int keepFull) throws IOException {
    if (keepFull < 1) {
      throw ModuleException.invalidArgument("keep must be at least 1, was " + keepFull);
    }
    List<String> ids = target.ids();
    List<String> fulls = new ArrayList<>();
    for (String id : ids) {
      if (target.manifest(id).full()) fulls.add(id);
    }
    if (fulls.size() <= keepFull) return List.of();
    String oldestKept = fulls.get(fulls.size() - keepFull);
    List<String> deleted = new ArrayList<>();
    for (String id : ids) {
      if (id.compareTo(oldestKept) < 0) {
        target.delete(id);
        deleted.add(id);
      }
    }
    return deleted;
  }
}
