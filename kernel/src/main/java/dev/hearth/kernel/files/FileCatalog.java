package dev.hearth.kernel.files;

import dev.hearth.kernel.files.proto.BlobRecord;
import dev.hearth.kernel.files.proto.EntryRecord;
import dev.hearth.kernel.files.proto.UsageRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The metadata of project files in the node's {@code files} store; every change is one scoped
 * write (the project id), so it is a change event like any other.
 *
 * <pre>
 * entries/&lt;entry id&gt;                      EntryRecord (blind index "name": project/parent/lower-cased name)
 * children/&lt;project&gt;/&lt;parent|root&gt;/&lt;id&gt;   the entry id: a folder's listing, oldest first
 * blobs/&lt;org&gt;/&lt;dedupe token&gt;              BlobRecord: the stored content and how many entries use it
 * usage/&lt;project&gt;                          UsageRecord: bytes used, the project's own quota
 * </pre>
 *
 * Names live only inside encrypted values and as blind-index tokens: keys hold ids alone.
 */
final class FileCatalog {

  static final String ROOT = "root";
  private static final int MAX_NAME = 255;

  final Collection<EntryRecord> entries;
  final Collection<String> children;
  final Collection<BlobRecord> blobs;
  final Collection<UsageRecord> usage;
  private final Store store;

  FileCatalog(Store store) {
    this.store = store;
    this.entries = store.collection(CollectionSpec.of("entries", Codec.of(EntryRecord.parser()))
        .withIndex(BlindIndex.of("name", e -> nameTerm(e.getProjectId(), e.getParentId(), e.getName()))));
    this.children = store.collection(CollectionSpec.of("children", Codec.utf8()));
    this.blobs = store.collection(CollectionSpec.of("blobs", Codec.of(BlobRecord.parser())));
    this.usage = store.collection(CollectionSpec.of("usage", Codec.of(UsageRecord.parser())));
  }

  /** What an upload committed: the new entry, and a blob file to delete when equal content was there already. */
  record Committed(EntryRecord entry, String redundantBlobId) {}

  /** What a delete freed: the blob file to delete, if no entry uses it any more. */
  record Deleted(String orgId, String freedBlobId) {}

  // ---- reads

  /** The entry {@code id} of {@code projectId}; NOT_FOUND otherwise (another project's is not found either). */
  EntryRecord get(String projectId, String id) {
    return entries.get(id).filter(e -> e.getProjectId().equals(projectId))
        .orElseThrow(() -> ModuleException.notFound("no file or folder " + id + " in project " + projectId));
  }

  List<EntryRecord> list(String projectId, String parentId, String after, int limit) {
    String prefix = childPrefix(projectId, parentId);
    List<Entry<String>> page = children.scan(prefix + after, prefix + "~", limit + 1, false);
    return page.stream().filter(e -> !e.key().equals(prefix + after)).limit(limit)
        .map(e -> entries.get(e.value()).orElse(null)).filter(Objects::nonNull).toList();
  }

  /** {@code <org id>/<blob id>} of every stored blob, read page by page. */
  Set<String> blobFiles() {
    Set<String> out = new HashSet<>();
    String from = null;
    while (true) {
      List<Entry<BlobRecord>> page = blobs.scan(from, null, 1000, false); // from is inclusive: seen twice, a set keeps one
      for (Entry<BlobRecord> e : page) {
        out.add(e.key().substring(0, e.key().indexOf('/')) + "/" + e.value().getBlobId());
      }
      if (page.size() < 1000) return out;
      from = page.get(page.size() - 1).key();
    }
  }

  UsageRecord usage(String projectId) {
    return usage.get(projectId).orElse(UsageRecord.getDefaultInstance());
  }

  // ---- writes

  Future<EntryRecord> createFolder(String actor, String orgId, String projectId, String parentId, String name) {
    String checkedName = checkName(name);
    return store.write(actor, projectId, tx -> {
      checkParent(tx, projectId, parentId);
      checkFree(tx, projectId, parentId, checkedName, null);
      long now = nowMicros();
      EntryRecord e = EntryRecord.newBuilder().setId(Ids.next()).setProjectId(projectId).setOrgId(orgId)
          .setParentId(parentId).setName(checkedName).setFolder(true).setCreatedBy(actor)
          .setCreatedAtMicros(now).setUpdatedAtMicros(now).build();
      put(tx, e);
      return e;
    });
  }

  /**
   * Records an uploaded content as a new file: the name and parent checked again, the quota checked
   * against usage at this moment (uploads run in parallel), and the blob shared when the org already
   * stores equal content. Idempotent by the entry's id: a commit a cluster's front retries after a
   * timeout (docs/cluster.md#files) answers the file its first try made.
   */
  Future<Committed> commitUpload(String actor, EntryRecord file, String dedupeToken, String newBlobId, long quotaBytes) {
    return store.write(actor, file.getProjectId(), tx -> {
      Optional<EntryRecord> done = tx.get(entries, file.getId());
      if (done.isPresent()) {
        EntryRecord e = done.get();
        if (!e.getProjectId().equals(file.getProjectId()) || !e.getSha256().equals(file.getSha256())) {
          throw new ModuleException(ModuleException.Code.ALREADY_EXISTS, "entry " + file.getId() + " exists already");
        }
        // Committed before: the new blob is redundant unless it is the one the entry uses.
        boolean ours = tx.get(blobs, e.getBlobKey()).map(b -> b.getBlobId().equals(newBlobId)).orElse(false);
        return new Committed(e, ours ? null : newBlobId);
      }
      checkParent(tx, file.getProjectId(), file.getParentId());
      checkFree(tx, file.getProjectId(), file.getParentId(), file.getName(), null);
      UsageRecord used = tx.get(usage, file.getProjectId()).orElse(UsageRecord.getDefaultInstance());
      if (used.getUsedBytes() + file.getSize() > quotaBytes) {
        throw Quotas.overQuota(file.getProjectId(), quotaBytes, used.getUsedBytes(), file.getSize());
      }
      tx.put(usage, file.getProjectId(), used.toBuilder().setUsedBytes(used.getUsedBytes() + file.getSize()).build());
      String blobKey = file.getOrgId() + "/" + dedupeToken;
      Optional<BlobRecord> existing = tx.get(blobs, blobKey);
      String redundant = null;
      if (existing.isPresent()) {
        tx.put(blobs, blobKey, existing.get().toBuilder().setRefs(existing.get().getRefs() + 1).build());
        redundant = newBlobId;
      } else {
        tx.put(blobs, blobKey, BlobRecord.newBuilder().setBlobId(newBlobId).setSize(file.getSize()).setRefs(1).build());
      }
      EntryRecord e = file.toBuilder().setBlobKey(blobKey).build();
      put(tx, e);
      return new Committed(e, redundant);
    });
  }

  Future<EntryRecord> rename(String actor, String projectId, String id, String name) {
    String checkedName = checkName(name);
    return store.write(actor, projectId, tx -> {
      EntryRecord e = inTx(tx, projectId, id);
      checkFree(tx, projectId, e.getParentId(), checkedName, id);
      EntryRecord renamed = e.toBuilder().setName(checkedName).setUpdatedAtMicros(nowMicros()).build();
      tx.put(entries, id, renamed);
      return renamed;
    });
  }

  Future<EntryRecord> move(String actor, String projectId, String id, String parentId) {
    return store.write(actor, projectId, tx -> {
      EntryRecord e = inTx(tx, projectId, id);
      checkParent(tx, projectId, parentId);
      // Walking up from the new parent must not meet the entry: a folder cannot go below itself.
      for (String p = parentId; !p.isEmpty(); p = tx.get(entries, p).map(EntryRecord::getParentId).orElse("")) {
        if (p.equals(id)) throw ModuleException.badField("parent_id", "a folder cannot move into itself or below itself");
      }
      checkFree(tx, projectId, parentId, e.getName(), id);
      tx.delete(children, childKey(projectId, e.getParentId(), id));
      EntryRecord moved = e.toBuilder().setParentId(parentId).setUpdatedAtMicros(nowMicros()).build();
      put(tx, moved);
      return moved;
    });
  }

  Future<Deleted> delete(String actor, String projectId, String id) {
    return store.write(actor, projectId, tx -> {
      EntryRecord e = inTx(tx, projectId, id);
      if (e.getFolder()) {
        String prefix = childPrefix(projectId, id);
        if (!tx.scan(children, prefix, prefix + "~", 1, false).isEmpty()) {
          throw ModuleException.failedPrecondition("folder " + id + " is not empty; delete what it holds first");
        }
      }
      tx.delete(entries, id);
      tx.delete(children, childKey(projectId, e.getParentId(), id));
      if (e.getFolder()) return new Deleted(e.getOrgId(), null);
      UsageRecord used = tx.get(usage, projectId).orElse(UsageRecord.getDefaultInstance());
      tx.put(usage, projectId, used.toBuilder().setUsedBytes(Math.max(0, used.getUsedBytes() - e.getSize())).build());
      BlobRecord blob = tx.get(blobs, e.getBlobKey()).orElse(null);
      if (blob == null) return new Deleted(e.getOrgId(), null);
      if (blob.getRefs() > 1) {
        tx.put(blobs, e.getBlobKey(), blob.toBuilder().setRefs(blob.getRefs() - 1).build());
        return new Deleted(e.getOrgId(), null);
      }
      tx.delete(blobs, e.getBlobKey());
      return new Deleted(e.getOrgId(), blob.getBlobId());
    });
  }

  Future<UsageRecord> setQuota(String actor, String projectId, long quotaBytes) {
    return store.write(actor, projectId, tx -> {
      UsageRecord u = tx.get(usage, projectId).orElse(UsageRecord.getDefaultInstance()).toBuilder()
          .setQuotaBytes(quotaBytes).build();
      tx.put(usage, projectId, u);
      return u;
    });
  }

  // ---- helpers

  private void put(Tx tx, EntryRecord e) {
    tx.put(entries, e.getId(), e);
    tx.put(children, childKey(e.getProjectId(), e.getParentId(), e.getId()), e.getId());
  }

  private EntryRecord inTx(Tx tx, String projectId, String id) {
    return tx.get(entries, id).filter(e -> e.getProjectId().equals(projectId))
        .orElseThrow(() -> ModuleException.notFound("no file or folder " + id + " in project " + projectId));
  }

  /** The parent must be a folder of the same project, or empty (the root). */
  void checkParent(Tx tx, String projectId, String parentId) {
    if (parentId.isEmpty()) return;
    EntryRecord p = tx.get(entries, parentId).filter(e -> e.getProjectId().equals(projectId))
        .orElseThrow(() -> noFolder("parent_id", parentId, projectId));
    if (!p.getFolder()) throw ModuleException.badField("parent_id", parentId + " is a file, not a folder");
  }

  /** Checked before the upload streams, so a taken name costs no bytes; the commit checks again. */
  void checkParentAndName(String projectId, String parentId, String name) {
    if (!parentId.isEmpty()) {
      EntryRecord p = entries.get(parentId).filter(e -> e.getProjectId().equals(projectId))
          .orElseThrow(() -> noFolder("folder_id", parentId, projectId));
      if (!p.getFolder()) throw ModuleException.badField("folder_id", parentId + " is a file, not a folder");
    }
    if (!entries.findKeys("name", nameTerm(projectId, parentId, name), 1).isEmpty()) throw taken(name);
  }

  /** An unknown folder and another project's look the same (NOT_FOUND), as docs/files.md says of every entry. */
  private static ModuleException noFolder(String field, String id, String projectId) {
    return ModuleException.notFound(field + ": no folder " + id + " in project " + projectId).detail("field", field);
  }

  private void checkFree(Tx tx, String projectId, String parentId, String name, String self) {
    for (String k : tx.findKeys(entries, "name", nameTerm(projectId, parentId, name), 2)) {
      if (!k.equals(self)) throw taken(name);
    }
  }

  private static ModuleException taken(String name) {
    return new ModuleException(ModuleException.Code.ALREADY_EXISTS, "the folder already holds an entry named '" + name + "'")
        .detail("field", "name");
  }

  /** 1 to 255 characters, no '/', no control characters, not '.' or '..'; kept as given. */
  static String checkName(String name) {
    if (name == null || name.isBlank()) throw ModuleException.badField("name", "is required");
    if (name.length() > MAX_NAME) throw ModuleException.badField("name", "is longer than " + MAX_NAME + " characters");
    if (name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0
        || name.chars().anyMatch(Character::isISOControl)) {
      throw ModuleException.badField("name", "'" + name.replaceAll("\\p{Cntrl}", "?")
          + "' is not a file name (no '/', '\\\\', control characters, '.' or '..')");
    }
    return name;
  }

  static String nameTerm(String projectId, String parentId, String name) {
    return projectId + "/" + (parentId.isEmpty() ? ROOT : parentId) + "/" + name.toLowerCase(Locale.ROOT);
  }

  static String childPrefix(String projectId, String parentId) {
    return projectId + "/" + (parentId.isEmpty() ? ROOT : parentId) + "/";
  }

  private static String childKey(String projectId, String parentId, String id) {
    return childPrefix(projectId, parentId) + id;
  }

  private static long nowMicros() {
    return System.currentTimeMillis() * 1000;
  }
}
