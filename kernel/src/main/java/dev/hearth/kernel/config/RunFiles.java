package dev.hearth.kernel.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The files a running node leaves in {@code <data>/run/} so local commands ({@code hearth keys})
 * can find and call it: {@code node.json} (pid, port) and {@code admin.token} (a local admin
 * credential, owner-only). Both are written atomically, the token first, so a reader that sees
 * {@code node.json} also finds the token. They are deleted on clean shutdown.
 */
public final class RunFiles {

  /** What {@code node.json} says about the running node. */
  public record Info(long pid, String host, int port) {}

  private final Path dir;

  public RunFiles(Path dataDir) {
    this.dir = dataDir.resolve("run");
  }

  public Path nodeFile() {
    return dir.resolve("node.json");
  }

  public Path tokenFile() {
    return dir.resolve("admin.token");
  }

  /** Writes both files; blocking. */
  public void write(Info info, String token) {
    try {
      Files.createDirectories(dir);
      writeAtomically(tokenFile(), token, true);
      JsonObject json = new JsonObject().put("pid", info.pid()).put("host", info.host()).put("port", info.port());
      writeAtomically(nodeFile(), json.encode(), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write run files in " + dir, e);
    }
  }

  /** The running node's info, or empty when {@code node.json} does not exist. */
  public Optional<Info> read() throws IOException {
    if (!Files.exists(nodeFile())) return Optional.empty();
    try {
      JsonObject json = new JsonObject(Files.readString(nodeFile()));
      return Optional.of(new Info(json.getLong("pid", -1L), json.getString("host", "127.0.0.1"), json.getInteger("port")));
    } catch (DecodeException | ClassCastException | NullPointerException e) {
      throw new IOException(nodeFile() + " is not a valid run file");
    }
  }

  public String readToken() throws IOException {
    return Files.readString(tokenFile(), StandardCharsets.UTF_8).trim();
  }

  /** Deletes the files, {@code node.json} first so nobody finds a node without its token. */
  public void delete() {
    try {
      Files.deleteIfExists(nodeFile());
      Files.deleteIfExists(tokenFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete run files in " + dir, e);
    }
  }

  private void writeAtomically(Path target, String content, boolean ownerOnly) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (ownerOnly && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      // Created with 0600 from the start: chmod after writing would leave a window where others can read it.
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
