package dev.hearth.kernel.spi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where backups are kept: a local folder ({@link FolderTarget}) or, through {@link TargetProvider}s
 * on the class path, a remote store (federation's NATS JetStream object store). A backup is staged
 * in a local folder first and then {@link #upload}ed; its manifest goes last, so a backup is listed
 * only once every file of it is there.
 */
public interface BackupTarget extends AutoCloseable {

  /** The target as a user names it (no credentials). */
  String describe();

  /** The ids of the complete backups (those with a manifest), oldest first. */
  List<String> ids() throws IOException;

  Manifest manifest(String id) throws IOException;

  /** Stores the staged backup folder {@code staged} (which holds {@code manifest.json}) as backup {@code id}. */
  void upload(String id, Path staged) throws IOException;

  /** Copies file {@code path} of backup {@code id} to {@code dest}. */
  void download(String id, String path, Path dest) throws IOException;

  /**
   * A new empty folder to stage backup {@code id} in before {@link #upload}; by default a temporary
   * folder (everything in it is encrypted already: frames, wrapped keysets, blobs).
   */
  default Path stagingDir(String id) throws IOException {
    return Files.createTempDirectory("hearth-backup-");
  }

  /** Removes backup {@code id}. */
  void delete(String id) throws IOException;

  @Override
  default void close() throws IOException {}
}
