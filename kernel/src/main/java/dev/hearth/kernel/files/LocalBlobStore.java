package dev.hearth.kernel.files;

import dev.hearth.kernel.crypto.Files8;
import dev.hearth.kernel.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Blobs in the node's own directory, {@code <data>/blobs/<org id>/<blob id>}: the default
 * ({@code files.blobs} unset or {@code local}), the layout a single node always had. A finished
 * upload is renamed into place and its directory synced.
 */
public final class LocalBlobStore implements BlobStore {

  private final Path root;

  public LocalBlobStore(Path root) {
    this.root = root;
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public void put(String key, Path file) throws IOException {
    Path target = path(key);
    Files.createDirectories(target.getParent());
    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    Files8.syncDir(target.getParent());
  }

  @Override
  public InputStream get(String key, long offset) throws IOException {
    SeekableByteChannel ch = Files.newByteChannel(path(key), StandardOpenOption.READ);
    ch.position(offset);
    return Channels.newInputStream(ch);
  }

  @Override
  public long size(String key) throws IOException {
    try {
      return Files.size(path(key));
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(path(key));
  }

  @Override
  public SeekableByteChannel open(String key) throws IOException {
    return Files.newByteChannel(path(key), StandardOpenOption.READ);
  }

  private Path path(String key) {
    // Keys are <org id>/<blob id>, both checked ids (Blobs.key): never a way out of the root.
    return root.resolve(key);
  }
}
