package dev.hearth.module.files;

import java.util.Optional;

/**
 * The project files of the node, as a module may refer to them: chat messages and records attach
 * files by id, and a module checks an id here before it stores it, so an attachment always names a
 * file of the same project. Contents are not reachable through this interface; clients download
 * them from the node ({@code hearth.files.v1}), authorized by their role in the file's project.
 *
 * <p>Thread-safe; lookups read the node's store without blocking, so they may run on an event loop
 * (not inside a store transaction of the module: they are not part of it).
 *
 * @since 0.5
 */
public interface FileRefs {

  /**
   * The file {@code fileId} of project {@code projectId}; empty when there is none, when it is a
   * folder, or when it belongs to another project (whether it exists there is not told).
   */
  Optional<FileRef> find(String projectId, String fileId);

  /** Whether {@code fileId} is a file of {@code projectId}. */
  default boolean exists(String projectId, String fileId) {
    return find(projectId, fileId).isPresent();
  }

  /** No files at all: what contexts made outside a node (test doubles) return. */
  static FileRefs none() {
    return (projectId, fileId) -> Optional.empty();
  }
}
