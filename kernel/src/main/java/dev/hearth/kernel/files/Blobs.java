package dev.hearth.kernel.files;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.PrfSet;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.spi.BlobStore;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Ids;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * File contents, each encrypted with Tink streaming
 * AEAD (AES256_GCM_HKDF_1MB: 1 MiB segments, so memory stays flat whatever the size and any range
 * decrypts without reading what precedes it). The keyset is the named keyset {@code blobs}, wrapped
 * by the master key like the stores' keysets; the associated data names the org and the blob id, so
 * a blob copied to another name or org does not decrypt.
 *
 * <p>Blob ids are random, so a file name says nothing about its content. Equal contents are found
 * through a dedupe token: a PRF ({@code blob-dedupe} keyset) of the org id and the content's SHA-256,
 * kept only inside the encrypted {@code files} store. Tokens of different orgs are unrelated, so
 * nothing about content can be compared across orgs.
 *
 * <p>Where the ciphertext lives is the {@link BlobStore} {@code files.blobs} chose, under the key
 * {@code <org id>/<blob id>}: {@code <data>/blobs/<org id>/<blob id>} by default ({@link
 * LocalBlobStore}), or a JetStream object store or an S3 bucket shared by the processes of a cluster.
 * Either way an upload is encrypted as it comes into {@code <data>/blobs/<org id>/<blob id>.part} and
 * handed to the store once complete, so nothing leaves the process in clear.
 *
 * <p>Blocking: call from worker threads.
 */
final class Blobs {

  private static final Pattern SAFE_ID = Pattern.compile("[0-9a-f-]{8,64}");

  private final Path root;
  private final BlobStore store;
  private final StreamingAead aead;
  private final PrfSet dedupe;

  /**
   * @param blobsDir where uploads are written while they come ({@code .part}), and the blobs
   *     themselves when {@code store} is the local directory
   */
  Blobs(Path blobsDir, BlobStore store, KeyVault vault) {
    this.root = blobsDir;
    this.store = store;
    try {
      StreamingAeadConfig.register();
      KeysetHandle blobs = vault.loadOrCreateKeyset("blobs", PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
      this.aead = blobs.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
      KeysetHandle prf = vault.loadOrCreateKeyset("blob-dedupe", PredefinedPrfParameters.HMAC_SHA256_PRF);
      this.dedupe = prf.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
      Files.createDirectories(root);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up blob storage in " + blobsDir, e);
    }
  }

  /** Starts writing a new blob of {@code orgId} under a temporary name (its bytes encrypted as they come). */
  BlobUpload begin(String orgId, BlobUpload.Limits limits, ContentTypes types) {
    String blobId = Ids.next();
    Path dir = orgDir(orgId);
    Path part = dir.resolve(blobId + ".part");
    try {
      Files.createDirectories(dir);
      FileChannel file = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        return new BlobUpload(blobId, part, p -> store.put(key(orgId, blobId), p), file,
            aead.newEncryptingChannel(unclosable(file), associatedData(orgId, blobId)), limits, types);
      } catch (GeneralSecurityException | IOException e) {
        file.close();
        Files.deleteIfExists(part);
        throw e;
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot start a blob in " + dir, e);
    }
  }

  /**
   * The file as a channel whose close does nothing: closing the encrypting channel writes the last
   * segment and would close the file too, before {@link BlobUpload#complete} could fsync it.
   */
  private static WritableByteChannel unclosable(FileChannel file) {
    return new WritableByteChannel() {
      @Override public int write(ByteBuffer src) throws IOException {
        return file.write(src);
      }

      @Override public boolean isOpen() {
        return file.isOpen();
      }

      @Override public void close() {}
    };
  }

  /** The dedupe token of a content of {@code orgId} whose SHA-256 is {@code sha256}, as hex. */
  String dedupeToken(String orgId, byte[] sha256) {
    byte[] org = orgId.getBytes(StandardCharsets.UTF_8);
    byte[] input = new byte[4 + org.length + sha256.length];
    input[0] = (byte) (org.length >>> 24);
    input[1] = (byte) (org.length >>> 16);
    input[2] = (byte) (org.length >>> 8);
    input[3] = (byte) org.length;
    System.arraycopy(org, 0, input, 4, org.length);
    System.arraycopy(sha256, 0, input, 4 + org.length, sha256.length);
    try {
      return HexFormat.of().formatHex(dedupe.computePrimary(input, 16));
    } catch (GeneralSecurityException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "dedupe token failed", e);
    }
  }

  /** The plaintext of a blob as a seekable channel: position it to read a range. Close it after. */
  SeekableByteChannel open(String orgId, String blobId) {
    String key = key(orgId, blobId);
    try {
      SeekableByteChannel cipher = store.open(key);
      try {
        return aead.newSeekableDecryptingChannel(cipher, associatedData(orgId, blobId));
      } catch (GeneralSecurityException | IOException e) {
        cipher.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      throw new ModuleException(ModuleException.Code.DATA_LOSS, "blob " + key + " is missing from " + store.describe());
    } catch (GeneralSecurityException | IOException e) {
      throw new ModuleException(ModuleException.Code.DATA_LOSS, "blob " + blobId + " cannot be opened: " + e.getMessage());
    }
  }

  /** Removes a blob; a missing one is fine (a crash between the store write and this). */
  void delete(String orgId, String blobId) {
    try {
      store.delete(key(orgId, blobId));
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot delete blob " + blobId, e);
    }
  }

  /**
   * Deletes what no entry can reach: temp files of uploads a stop cut short, and blob files no blob
   * record names (a crash between a blob's rename and its store write, or between a delete's write
   * and the file's removal). Only at start, while no upload runs. Blobs in a shared store (JetStream,
   * S3) are left alone: another process may be between a blob's upload and its store write.
   *
   * @param known {@code <org id>/<blob id>} of every blob record
   * @return how many files were deleted
   */
  int sweep(Set<String> known) {
    int deleted = 0;
    try (var orgs = Files.newDirectoryStream(root, Files::isDirectory)) {
      for (Path org : orgs) {
        try (var files = Files.newDirectoryStream(org, Files::isRegularFile)) {
          for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.endsWith(".part") || (store instanceof LocalBlobStore && !known.contains(org.getFileName() + "/" + name))) {
              Files.deleteIfExists(f);
              deleted++;
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot sweep blob storage in " + root, e);
    }
    return deleted;
  }

  /** Whether the blobs are in a store every process of a cluster reaches (JetStream, S3), not this process's directory. */
  boolean shared() {
    return !(store instanceof LocalBlobStore);
  }

  /** Where the blobs are, for logs. */
  String describe() {
    return store.describe();
  }

  /** The store's key of a blob: {@code <org id>/<blob id>}. */
  static String key(String orgId, String blobId) {
    return checked(orgId) + "/" + checked(blobId);
  }

  /** Releases the store's connections. */
  void close() {
    store.close();
  }

  private Path orgDir(String orgId) {
    return root.resolve(checked(orgId));
  }

  private static String checked(String id) {
    if (id == null || !SAFE_ID.matcher(id).matches()) throw new IllegalArgumentException("not an id: " + id);
    return id;
  }

  private static byte[] associatedData(String orgId, String blobId) {
    return ("hearth/blob/" + orgId + "/" + blobId).getBytes(StandardCharsets.UTF_8);
  }
}
