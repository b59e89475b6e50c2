package dev.hearth.kernel.spi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the contents of project files live (docs/files.md#where-blobs-live): objects under keys
 * {@code <org id>/<blob id>}, whose bytes are already encrypted (Tink streaming AEAD) before they
 * reach a store, so a store sees ciphertext only. The node's own directory by default; the JetStream
 * object store or an S3-compatible service ({@code files.blobs}) when several processes must read and
 * write the same files.
 *
 * <p>Blocking: the node calls it from its files worker pool. Implementations are thread-safe.
 */
public interface BlobStore extends AutoCloseable {

  /** Where the blobs are, for logs and errors (no credentials). */
  String describe();

  /**
   * Stores the finished ciphertext in {@code file} under {@code key}, durably before it returns. The
   * store may move the file (the local directory renames it) or copy it; the caller deletes what is
   * left of it.
   */
  void put(String key, Path file) throws IOException;

  /**
   * The ciphertext of {@code key} from byte {@code offset} on; close it after.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such blob
   */
  InputStream get(String key, long offset) throws IOException;

  /** The ciphertext's size in bytes, or -1 when there is no such blob. */
  long size(String key) throws IOException;

  /** Whether there is a blob under {@code key}. */
  default boolean exists(String key) throws IOException {
    return size(key) >= 0;
  }

  /** Removes the blob; a missing one is fine. */
  void delete(String key) throws IOException;

  /**
   * The ciphertext as a seekable channel (what streaming AEAD decrypts a range from); close it after.
   * By default built on {@link #get} and {@link #size}: a seek re-opens the stream where it points.
   *
   * @throws java.nio.file.NoSuchFileException when there is no such blob
   */
  default SeekableByteChannel open(String key) throws IOException {
    long size = size(key);
    if (size < 0) throw new NoSuchFileException(key);
    return new BlobChannel(this, key, size);
  }

  /** Releases connections; the node calls it when it closes. */
  @Override
  default void close() {}
}
