package dev.hearth.kernel.spi;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one backup holds ({@code <id>/manifest.json}), written last: a backup without its manifest
 * is incomplete and never used. A full backup holds every store's change log up to {@code lastSeq};
 * an incremental one the frames after its parent's {@code lastSeq} of each store, and the blobs its
 * chain does not have yet. Keysets (still wrapped by the master key) are in every backup: they only
 * ever gain keys.
 *
 * @param id time-sortable name, {@code yyyyMMdd'T'HHmmssSSS'Z'-full|-incr}
 * @param parent the backup this one continues; null for a full backup
 */
public record Manifest(
    int format, String id, Kind kind, String parent, String createdAt, List<StoreEntry> stores,
    List<FileEntry> keys, List<FileEntry> blobs) {

  public static final int FORMAT = 1;

  /** Full, or incremental on top of a parent. */
  public enum Kind {
    FULL, INCREMENTAL;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One file of the backup, relative to its folder, with its size and SHA-256. */
  public record FileEntry(String path, long bytes, String sha256) {
    JsonObject toJson() {
      return new JsonObject().put("path", path).put("bytes", bytes).put("sha256", sha256);
    }

    static FileEntry fromJson(JsonObject j) {
      return new FileEntry(j.getString("path"), j.getLong("bytes"), j.getString("sha256"));
    }
  }

  /**
   * One store's part: its events ({@code afterSeq}, {@code lastSeq}], in {@code files} (none when
   * nothing changed since the parent). {@code tailCrc} is the CRC of the frame ending at
   * {@code lastSeq}: the next incremental continues this chain only if the store's log still has
   * that very frame there (a node restored to an earlier point has a different one).
   */
  public record StoreEntry(String name, long afterSeq, long lastSeq, long tailCrc, List<FileEntry> files) {
    JsonObject toJson() {
      return new JsonObject().put("name", name).put("afterSeq", afterSeq).put("lastSeq", lastSeq)
          .put("tailCrc", tailCrc).put("files", fileArray(files));
    }

    static StoreEntry fromJson(JsonObject j) {
      return new StoreEntry(j.getString("name"), j.getLong("afterSeq"), j.getLong("lastSeq"),
          j.getLong("tailCrc", 0L), fileList(j.getJsonArray("files")));
    }
  }

  public boolean full() {
    return kind == Kind.FULL;
  }

  public StoreEntry store(String name) {
    return stores.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  /** Every file of the backup: logs, keysets, blobs. */
  public List<FileEntry> allFiles() {
    List<FileEntry> all = new ArrayList<>(keys);
    stores.forEach(s -> all.addAll(s.files()));
    all.addAll(blobs);
    return all;
  }

  public long bytes() {
    return allFiles().stream().mapToLong(FileEntry::bytes).sum();
  }

  public JsonObject toJson() {
    JsonArray st = new JsonArray();
    stores.forEach(s -> st.add(s.toJson()));
    return new JsonObject().put("format", format).put("id", id).put("kind", kind.json()).put("parent", parent)
        .put("createdAt", createdAt).put("stores", st).put("keys", fileArray(keys)).put("blobs", fileArray(blobs))
        .put("bytes", bytes());
  }

  public static Manifest fromJson(JsonObject j) {
    int format = j.getInteger("format", 0);
    if (format != FORMAT) {
      throw new IllegalArgumentException("backup manifest format " + format + " is not " + FORMAT);
    }
    List<StoreEntry> stores = new ArrayList<>();
    j.getJsonArray("stores").forEach(o -> stores.add(StoreEntry.fromJson((JsonObject) o)));
    return new Manifest(format, j.getString("id"), Kind.valueOf(j.getString("kind").toUpperCase(Locale.ROOT)),
        j.getString("parent"), j.getString("createdAt"), stores, fileList(j.getJsonArray("keys")),
        fileList(j.getJsonArray("blobs", new JsonArray())));
  }

  private static JsonArray fileArray(List<FileEntry> files) {
    JsonArray a = new JsonArray();
    files.forEach(f -> a.add(f.toJson()));
    return a;
  }

  private static List<FileEntry> fileList(JsonArray a) {
    List<FileEntry> out = new ArrayList<>();
    a.forEach(o -> out.add(FileEntry.fromJson((JsonObject) o)));
    return out;
  }
}
