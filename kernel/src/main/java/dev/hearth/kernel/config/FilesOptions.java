package dev.hearth.kernel.config;

import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tunables of project files, from the config file's {@code files} section; every key is optional.
 *
 * @param maxFileBytes the largest file an upload may make ({@code files.maxFileBytes})
 * @param allowedTypes content-type patterns ({@code image/*}, {@code application/pdf}, {@code *}{@code /*});
 *     both the declared type and the type sniffed from the first bytes must match one
 * @param defaultProjectQuotaBytes a project's quota until an admin sets its own
 * @param blobs where contents live ({@code files.blobs}: {@code type} {@code local}, the default,
 *     {@code nats} or {@code s3}, and that type's settings; docs/files.md#where-blobs-live)
 */
public record FilesOptions(long maxFileBytes, List<String> allowedTypes, long defaultProjectQuotaBytes,
    JsonObject blobs) {

  /** The settings each {@code files.blobs.type} takes (besides {@code type}). */
  public static final Map<String, List<String>> BLOB_SETTINGS = Map.of(
      "local", List.of(),
      "nats", List.of("natsUrls", "bucket", "replicas"),
      "s3", List.of("endpoint", "region", "bucket", "pathStyle", "accessKeyIdFile", "secretAccessKeyFile"));

  // An allowedTypes entry: type/subtype, type/*, type/prefix* or */*.
  private static final Pattern PATTERN = Pattern.compile("\\*/\\*|[a-z0-9][a-z0-9!#$&^_.+-]*/([a-z0-9!#$&^_.+-]*\\*?)");

  /** 4 GiB: a 2 GB file fits with room; contents are streamed, so the size costs no memory. */
  public static final long DEFAULT_MAX_FILE_BYTES = 4L << 30;
  /** 10 GiB per project. */
  public static final long DEFAULT_PROJECT_QUOTA_BYTES = 10L << 30;
  /** Everything but what a browser or an OS would run: executables are refused by their magic bytes. */
  public static final List<String> DEFAULT_ALLOWED_TYPES = List.of("image/*", "audio/*", "video/*", "text/*",
      "application/pdf", "application/json", "application/zip", "application/gzip", "application/octet-stream",
      "application/vnd.openxmlformats-officedocument.*", "application/vnd.oasis.opendocument.*", "application/msword",
      "application/vnd.ms-excel", "application/vnd.ms-powerpoint");

  public FilesOptions {
    if (maxFileBytes < 1) throw new IllegalArgumentException("files: maxFileBytes must be at least 1, not " + maxFileBytes);
    if (defaultProjectQuotaBytes < 0) {
      throw new IllegalArgumentException("files: defaultProjectQuotaBytes must not be negative, not " + defaultProjectQuotaBytes);
    }
    allowedTypes = List.copyOf(allowedTypes);
    for (String t : allowedTypes) checkPattern(t);
    blobs = blobs == null ? new JsonObject().put("type", "local") : blobs.copy();
    checkBlobs(blobs);
  }

  public FilesOptions(long maxFileBytes, List<String> allowedTypes, long defaultProjectQuotaBytes) {
    this(maxFileBytes, allowedTypes, defaultProjectQuotaBytes, null);
  }

  /** The blob store's type: {@code local}, {@code nats} or {@code s3}. */
  public String blobsType() {
    return blobs.getString("type");
  }

  private static void checkBlobs(JsonObject blobs) {
    if (!blobs.containsKey("type")) blobs.put("type", "local");
    if (!(blobs.getValue("type") instanceof String type) || !BLOB_SETTINGS.containsKey(type)) {
      throw new InvalidOptionException("files.blobs.type", "'" + blobs.getValue("type") + "' is not a blob store; one of "
          + BLOB_SETTINGS.keySet().stream().sorted().toList());
    }
    for (String key : blobs.fieldNames()) {
      if (!key.equals("type") && !BLOB_SETTINGS.get(type).contains(key)) {
        throw new InvalidOptionException("files.blobs." + key, "is no setting of a " + type + " blob store; known: "
            + BLOB_SETTINGS.get(type));
      }
    }
  }

  private static void checkPattern(String pattern) {
    if (pattern == null || !PATTERN.matcher(pattern).matches()) {
      throw new IllegalArgumentException("files: allowedTypes entry '" + pattern
          + "' is not a content-type pattern (type/subtype, type/*, type/prefix* or */*)");
    }
  }

  public static FilesOptions defaults() {
    return new FilesOptions(DEFAULT_MAX_FILE_BYTES, DEFAULT_ALLOWED_TYPES, DEFAULT_PROJECT_QUOTA_BYTES);
  }

  /** @throws IllegalArgumentException naming the bad key */
  public static FilesOptions from(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!List.of("maxFileBytes", "allowedTypes", "defaultProjectQuotaBytes", "blobs").contains(key)) {
        throw new IllegalArgumentException("unknown files tunable '" + key
            + "'; known: [maxFileBytes, allowedTypes, defaultProjectQuotaBytes, blobs]");
      }
    }
    List<String> types = DEFAULT_ALLOWED_TYPES;
    Object t = json.getValue("allowedTypes");
    if (t != null) {
      if (!(t instanceof JsonArray a) || a.stream().anyMatch(x -> !(x instanceof String))) {
        throw new IllegalArgumentException("files: allowedTypes must be an array of content-type patterns");
      }
      types = a.stream().map(String.class::cast).toList();
    }
    Object b = json.getValue("blobs");
    if (b != null && !(b instanceof JsonObject)) {
      throw new InvalidOptionException("files.blobs", "must be an object with a type (local, nats or s3) and its settings");
    }
    return new FilesOptions(number(json, "maxFileBytes", DEFAULT_MAX_FILE_BYTES), types,
        number(json, "defaultProjectQuotaBytes", DEFAULT_PROJECT_QUOTA_BYTES), (JsonObject) b);
  }

  private static long number(JsonObject json, String key, long fallback) {
    Object v = json.getValue(key);
    if (v == null) return fallback;
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new IllegalArgumentException("files: " + key + " must be a whole number of bytes");
    }
    return ((Number) v).longValue();
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxFileBytes", maxFileBytes).put("allowedTypes", new JsonArray(allowedTypes))
        .put("defaultProjectQuotaBytes", defaultProjectQuotaBytes).put("blobs", blobs.copy());
  }
}
