package dev.hearth.kernel.files;

import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongFunction;

/**
 * One blob being written: plaintext chunks go through the size limits, the type check on the first
 * bytes and SHA-256, then straight into the encrypting channel; only ciphertext reaches the disk,
 * under {@code <blob id>.part} until {@link #complete} hands it to the blob store (the local one
 * renames it). Not thread-safe: one writer at a
 * time (the {@link BlobSink} chains its writes).
 */
final class BlobUpload {

  /** The most bytes a content may have, and the error to give past it (which limit, what sets it). */
  record Limits(long maxBytes, LongFunction<ModuleException> over) {}

  private final String blobId;
  private final Path part;
  private final Finish finish;
  private final FileChannel file;
  private final WritableByteChannel encrypting;
  private final Limits limits;
  private final ContentTypes types;
  private final MessageDigest sha;
  private final byte[] head = new byte[ContentTypes.SNIFF_BYTES];
  private int headLength;
  private boolean sniffed;
  private long size;
  private boolean closed;

  /** Stores the finished ciphertext file durably under the blob's key (may move it). */
  interface Finish {
    void put(Path part) throws IOException;
  }

  BlobUpload(String blobId, Path part, Finish finish, FileChannel file, WritableByteChannel encrypting, Limits limits,
      ContentTypes types) {
    this.blobId = blobId;
    this.part = part;
    this.finish = finish;
    this.file = file;
    this.encrypting = encrypting;
    this.limits = limits;
    this.types = types;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String blobId() {
    return blobId;
  }

  long size() {
    return size;
  }

  /** Encrypts and writes {@code bytes}; fails with the limit or type error before writing them. */
  void write(byte[] bytes) {
    if (size + bytes.length > limits.maxBytes()) throw limits.over().apply(size + bytes.length);
    if (!sniffed) {
      int n = Math.min(bytes.length, head.length - headLength);
      System.arraycopy(bytes, 0, head, headLength, n);
      headLength += n;
      if (headLength == head.length) sniff();
    }
    size += bytes.length;
    sha.update(bytes);
    try {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) encrypting.write(b);
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot write blob " + blobId, e);
    }
  }

  private void sniff() {
    sniffed = true;
    types.checkSniffed(head, headLength);
  }

  /**
   * Ends the content (short contents are sniffed now), makes it durable and gives it its final
   * name; returns its SHA-256.
   */
  byte[] complete() {
    if (!sniffed) sniff();
    try {
      encrypting.close(); // writes the last segment and its tag
      file.force(true);
      file.close();
      closed = true;
      finish.put(part);
      Files.deleteIfExists(part); // a store that copied it leaves it behind
    } catch (IOException | RuntimeException e) {
      abort();
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot finish blob " + blobId, e);
    }
    return sha.digest();
  }

  /** Drops what was written; idempotent, never throws. */
  void abort() {
    try {
      if (!closed) {
        closed = true;
        file.close(); // not the encrypting channel: closing it would write a final segment first
      }
      Files.deleteIfExists(part);
    } catch (IOException e) {
      // nothing to do: the .part file holds only ciphertext
    }
  }
}
