package dev.hearth.kernel.webhooks;

import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A slash command answered by a shell hook (docs/bots.md): the executable of the node's
 * {@code webhooks.shellHooks.dir} that a sys-admin named, run as a webhook's shell hook is (no shell,
 * no arguments, an environment of only {@code PATH} and {@code HEARTH_SIGNATURE}, the call's JSON on
 * stdin), except that its stdout is the answer, read up to {@link CommandCaller#MAX_ANSWER_BYTES},
 * and a person is waiting: the same timeout as an HTTP endpoint's. Blocking: run on a worker.
 */
final class ShellCommands {

  private ShellCommands() {}

  /** The answer of {@code file} (a name in {@code dir}, resolved again now) to {@code body}. */
  static byte[] run(Path dir, String file, String command, String signature, byte[] body, long timeoutMillis) throws Exception {
    Path exe;
    try {
      exe = CommandTarget.resolve(dir, file);
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "/" + command + " cannot run (" + e.getMessage() + "); nothing was posted");
    }
    // stdout to a file, not a pipe: a hook that floods or hangs must not hang the reader past the timeout.
    Path out = Files.createTempFile("hearth-command", ".out");
    try {
      ProcessBuilder pb = new ProcessBuilder(exe.toString()).directory(exe.getParent().toFile())
          .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().clear(); // the node's environment may hold its passphrase
      pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
      pb.environment().put("HEARTH_SIGNATURE", signature);
      Process p = pb.start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(body);
      } catch (IOException ignored) {
        // the hook did not read its input; its exit code and output decide
      }
      if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new ModuleException(ModuleException.Code.UNAVAILABLE,
            "/" + command + " did not answer within " + timeoutMillis / 1000.0 + " s; nothing was posted");
      }
      if (p.exitValue() != 0) {
        throw new ModuleException(ModuleException.Code.UNAVAILABLE,
            "/" + command + " exited with " + p.exitValue() + "; nothing was posted");
      }
      try (InputStream answer = Files.newInputStream(out)) {
        byte[] bytes = answer.readNBytes(CommandCaller.MAX_ANSWER_BYTES + 1);
        if (bytes.length > CommandCaller.MAX_ANSWER_BYTES) {
          throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED,
              "/" + command + " answered more than " + CommandCaller.MAX_ANSWER_BYTES / 1024 + " KiB; nothing was posted");
        }
        return bytes;
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
