package dev.hearth.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A test node's files on disk: copying its stores to a second node, and looking for plaintext in what it stored. */
public final class NodeFiles {

  private NodeFiles() {}

  /** Every regular file under {@code root}; none when it does not exist. */
  public static List<Path> regularFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) return List.of();
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  /** Copies a stopped node's directory {@code from} to {@code to}, without {@code data/blobs} and lock files. */
  public static void copyWithoutBlobs(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path rel = from.relativize(p);
        if (rel.startsWith("data/blobs") || rel.toString().endsWith(".lock")) continue;
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) Files.createDirectories(dest);
        else Files.copy(p, dest);
      }
    }
  }

  /** Whether {@code needle} occurs in {@code file}'s bytes. */
  public static boolean contains(Path file, byte[] needle) throws IOException {
    byte[] hay = Files.readAllBytes(file);
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return true;
    }
    return false;
  }
}
