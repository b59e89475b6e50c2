package dev.hearth.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the Node scripts of the TypeScript client (clients/js), printing their output as it comes. */
final class ClientScripts {

  /** The package, built by the clients/js module earlier in the reactor. */
  static final Path CLIENT = Path.of("..", "clients", "js").toAbsolutePath().normalize();

  /** The output and exit code of a script; {@code exitCode} is -1 when it was stopped. */
  record Result(int exitCode, String output) {}

  private ClientScripts() {}

  /**
   * Runs {@code command} with {@code env} added, until it exits or {@code seconds} pass, or, when
   * {@code stopAt} is not empty, until the output holds each of its strings (for scripts that run until stopped).
   */
  static Result run(List<String> command, Map<String, String> env, long seconds, List<String> stopAt)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    StringBuilder out = new StringBuilder();
    Object seen = new Object();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(line -> {
          System.out.println("[" + command.get(command.size() - 1) + "] " + line);
          synchronized (seen) {
            out.append(line).append('\n');
            seen.notifyAll();
          }
        });
      } catch (IOException e) {
        // the process ended; what was read is kept
      }
    }, "script-output");
    reader.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (seen) {
      while (p.isAlive() && System.nanoTime() < deadline
          && (stopAt.isEmpty() || !stopAt.stream().allMatch(s -> out.indexOf(s) >= 0))) {
        seen.wait(200);
      }
    }
    boolean exited = !p.isAlive() || p.waitFor(1, TimeUnit.SECONDS);
    if (!exited) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    reader.join(5_000);
    synchronized (seen) {
      return new Result(exited ? p.exitValue() : -1, out.toString());
    }
  }
}
