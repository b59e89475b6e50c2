package dev.hearth.ops.crash;

/**
 * One key a write changes. {@code value} is the full payload text of a put, {@code null} for a
 * delete; {@code digest} is what the ack file and the model keep ({@code null} for a delete).
 */
record Change(String collection, String key, String value, String digest) {

  static Change put(String collection, String key, String value) {
    return new Change(collection, key, value, Payload.parse(value).sha());
  }

  static Change delete(String collection, String key) {
    return new Change(collection, key, null, null);
  }

  /** A change known only by its digest, as read back from an ack file. */
  static Change recorded(String collection, String key, String digest) {
    return new Change(collection, key, null, digest);
  }

  boolean isDelete() {
    return digest == null;
  }

  /** {@code collection/key}: how the model and the log fold name a key. */
  String path() {
    return path(collection, key);
  }

  static String path(String collection, String key) {
    return collection + "/" + key;
  }
}
