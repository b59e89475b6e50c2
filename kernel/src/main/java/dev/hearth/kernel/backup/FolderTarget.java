package dev.hearth.kernel.backup;

import dev.hearth.kernel.crypto.Files8;
import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backups in a local folder, one sub-folder per backup. A backup is staged in
 * {@code .<id>.partial} beside the others and renamed into place once complete, so a crash
 * mid-backup leaves only a partial folder that is never listed (and is removed by the next backup).
 */
public final class FolderTarget implements BackupTarget {

  private final Path dir;

  public FolderTarget(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  @Override
  public String describe() {
    return dir.toString();
  }

  @Override
  public List<String> ids() throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isRegularFile(p.resolve("manifest.json")))
          .map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
    }
  }

  @Override
  public Manifest manifest(String id) throws IOException {
    Path file = folder(id).resolve("manifest.json");
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException("no backup '" + id + "' in " + dir);
    }
    return Manifest.fromJson(new JsonObject(Files.readString(file)));
  }

  @Override
  public Path stagingDir(String id) throws IOException {
    Files.createDirectories(dir);
    removePartials();
    Path staging = dir.resolve("." + id + ".partial");
    Files.createDirectories(staging);
    return staging;
  }

  @Override
  public void upload(String id, Path staged) throws IOException {
    Path dest = folder(id);
    if (staged.getParent() != null && staged.getParent().equals(dir)) {
      Files.move(staged, dest, StandardCopyOption.ATOMIC_MOVE);
    } else {
      copyTree(staged, dest);
    }
    Files8.syncDir(dir);
  }

  @Override
  public void download(String id, String path, Path dest) throws IOException {
    Files.createDirectories(dest.getParent());
    Files.copy(resolve(id, path), dest, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The file itself, for readers that need no copy (verification). */
  Path resolve(String id, String path) {
    Path p = folder(id).resolve(path).normalize();
    if (!p.startsWith(folder(id))) {
      throw new IllegalArgumentException("path " + path + " leaves backup " + id);
    }
    return p;
  }

  @Override
  public void delete(String id) throws IOException {
    deleteTree(folder(id));
  }

  private Path folder(String id) {
    if (!id.matches("[0-9A-Za-z._-]+") || id.startsWith(".")) {
      throw new IllegalArgumentException("'" + id + "' is not a backup id");
    }
    return dir.resolve(id);
  }

  private void removePartials() throws IOException {
    List<Path> partials = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".partial")).forEach(partials::add);
    }
    for (Path p : partials) deleteTree(p);
  }

  static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
        Files.createDirectories(to.resolve(from.relativize(d).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.REPLACE_EXISTING);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes a folder and everything in it (staged backups, verification scratch). */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
