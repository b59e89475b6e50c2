package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.testing.ModuleJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the browser tests need from the rest of the build: the chat jar, the shell's npm scripts, Chromium. */
final class Browser {

  /** Where the shell's sources and its node_modules (playwright-core) are, after ui-schemas' build. */
  static final Path WEB = Path.of("..", "ui-schemas", "web").toAbsolutePath().normalize();
  static final String CHROMIUM = System.getenv().getOrDefault("HEARTH_CHROMIUM", "/usr/bin/chromium");
  /**
   * A script's limit: about 20 s each on an idle machine, but ChatInBrowserIT's (five tests, two of them capturing
   * four variants with axe) ran past 120 s at a load average of 40.
   */
  static final long TIMEOUT_SECONDS = 240;

  /** The output and exit code of a finished script run. */
  record Result(int exitCode, String output) {}

  private Browser() {}

  /**
   * Asserts the four screenshots tasks-kit's {@code capture()} takes of each of {@code names} are in
   * {@code shots}: {@code <name>-{desktop,phone}-{light,dark}.png}.
   */
  static void assertCaptured(Path shots, String... names) {
    for (String name : names) {
      for (String variant : List.of("desktop-light", "desktop-dark", "phone-light", "phone-dark")) {
        assertThat(shots.resolve(name + "-" + variant + ".png")).isNotEmptyFile();
      }
    }
  }

  /** The chat jar the reactor built before this module. */
  static Path chatJar() {
    return ModuleJars.built(Path.of("..", "module-chat", "target"), "hearth-module-chat");
  }

  /**
   * Runs {@code npm run e2e -- <script>} in ui-schemas/web with {@code env} added, prints its output
   * as it comes (so a hanging run still shows where it is) and returns it; killed after
   * {@link #TIMEOUT_SECONDS}. Each IT names its own script: each needs its own environment.
   *
   * @param script relative to ui-schemas/web, e.g. {@code e2e/chat.test.mjs}
   */
  static Result runE2e(String script, Map<String, String> env) throws IOException, InterruptedException {
    return run(List.of("npm", "run", "--silent", "e2e", "--", script), env, TIMEOUT_SECONDS);
  }

  /** Runs {@code npm run bench -- <args>} (the web client's benchmark) in ui-schemas/web with {@code env} added. */
  static Result runBench(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("npm", "run", "--silent", "bench", "--"));
    command.addAll(args);
    return run(command, env, TIMEOUT_SECONDS);
  }

  /**
   * Runs several scripts in one {@code node --test} process, up to {@code concurrency} at once (each
   * in its own browser, against the same node), killed after {@code timeoutSeconds}.
   */
  static Result runScripts(List<String> scripts, int concurrency, long timeoutSeconds, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=" + concurrency, "--test-reporter=spec"));
    command.addAll(scripts);
    return run(command, env, timeoutSeconds);
  }

  private static Result run(List<String> command, Map<String, String> env, long timeoutSeconds)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      throw new IllegalStateException(CHROMIUM + " is missing: install Debian's chromium package (.ci/run does) "
          + "or point HEARTH_CHROMIUM at a Chromium");
    }
    if (!Files.isDirectory(WEB.resolve("node_modules/playwright-core"))) {
      throw new IllegalStateException("build ui-schemas first: " + WEB + "/node_modules has no playwright-core");
    }
    ProcessBuilder pb = new ProcessBuilder(command).directory(WEB.toFile())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("HEARTH_CHROMIUM", CHROMIUM);
    Process p = pb.start();
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(line -> {
          System.out.println("[e2e] " + line);
          synchronized (out) {
            out.append(line).append('\n');
          }
        });
      } catch (IOException e) {
        // the process ended; what was read is kept
      }
    }, "e2e-output");
    reader.start();
    boolean finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!finished) p.descendants().forEach(ProcessHandle::destroyForcibly);
    if (!finished) p.destroyForcibly();
    reader.join(5_000);
    synchronized (out) {
      return new Result(finished ? p.exitValue() : -1, finished ? out.toString()
          : out + "\n(killed after " + timeoutSeconds + " s)");
    }
  }
}
