package dev.hearth.kernel.webhooks;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A shell hook: runs an executable from the node's {@code webhooks.shellHooks.dir} with the delivery's
 * JSON on stdin and {@code HEARTH_DELIVERY}, {@code HEARTH_TOPIC}, {@code HEARTH_SIGNATURE} in its
 * environment; exit 0 is a delivery. No shell is involved and no argument is passed, so nothing in an
 * event can become a command. The file is resolved again at each attempt, so a hook whose file was
 * removed from the directory (or the directory from the config) stops working.
 */
final class CommandTarget implements Target {

  private final WorkerExecutor workers;
  private final Path dir;
  private final String command;
  private final long timeoutMillis;

  CommandTarget(WorkerExecutor workers, Path dir, String command, long timeoutMillis) {
    this.workers = workers;
    this.dir = dir;
    this.command = command;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * The executable {@code command} names in {@code dir}, or why there is none. Its real path must
   * be directly in the directory's real path, so links out of it do not count.
   */
  static Path resolve(Path dir, String command) throws IOException {
    if (dir == null) throw new IOException("shell hooks are off on this node (webhooks.shellHooks.dir is unset)");
    if (command == null || !command.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")) {
      throw new IOException("'" + command + "' is not a file name (letters, digits, . _ -; no '/', not starting with '.')");
    }
    Path realDir = dir.toRealPath();
    Path file = realDir.resolve(command).toRealPath();
    if (!file.getParent().equals(realDir) || !Files.isRegularFile(file) || !Files.isExecutable(file)) {
      throw new IOException(command + " is not an executable file in " + dir);
    }
    return file;
  }

  @Override
  public Future<Attempt> send(String deliveryId, String topic, byte[] body, String signature) {
    return workers.executeBlocking(() -> run(deliveryId, topic, body, signature), false)
        .otherwise(err -> Attempt.failed(err.getMessage() == null ? err.toString() : err.getMessage()));
  }

  private Attempt run(String deliveryId, String topic, byte[] body, String signature) throws Exception {
    Path file;
    try {
      file = resolve(dir, command);
    } catch (IOException e) {
      return Attempt.failed(e.getMessage());
    }
    // stderr to a file, not a pipe: a hook that hangs must not hang the reader past the timeout.
    Path errors = Files.createTempFile("hearth-shell-hook", ".err");
    try {
      return run(file, errors, deliveryId, topic, body, signature);
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  private Attempt run(Path file, Path errors, String deliveryId, String topic, byte[] body, String signature)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(file.toString()).directory(file.getParent().toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile());
    pb.environment().clear(); // the node's environment may hold its passphrase
    pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
    pb.environment().put("HEARTH_DELIVERY", deliveryId);
    pb.environment().put("HEARTH_TOPIC", topic);
    pb.environment().put("HEARTH_SIGNATURE", signature);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(body);
    } catch (IOException ignored) {
      // the hook did not read its input; its exit code decides
    }
    if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      return Attempt.failed(command + " did not finish within " + timeoutMillis + " ms");
    }
    int code = p.exitValue();
    if (code == 0) return new Attempt(true, 0, "");
    byte[] err;
    try (InputStream e = Files.newInputStream(errors)) {
      err = e.readNBytes(300);
    }
    String tail = new String(err, StandardCharsets.UTF_8).strip();
    return new Attempt(false, code, command + " exited with " + code + (tail.isEmpty() ? "" : ": " + tail));
  }
}
