package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.ModuleJars;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** What the browser tests need from the rest of the build: the chat jar, the shell's npm scripts, Chromium. */
final class Browser {

  /** Where the shell's sources and its node_modules (playwright-core) are, after ui-schemas' build. */
  static final Path WEB = Path.of("..", "ui-schemas", "web").toAbsolutePath().normalize();
  static final String CHROMIUM = System.getenv().getOrDefault("HEARTH_CHROMIUM", "/usr/bin/chromium");

  /** The output and exit code of a finished script run. */
  record Result(int exitCode, String output) {}

  /**
   * One process to run in ui-schemas/web: {@code name} prefixes its output lines, {@code env} is added to its
   * environment (each job has its own: several scripts read the same variables with different values).
   */
  record Job(String name, List<String> command, Map<String, String> env) {

    /** {@code node --test} of one e2e script, as {@code npm run e2e -- <script>} runs it. */
    static Job script(String name, String script, Map<String, String> env) {
      return new Job(name, List.of("node", "--test", "--test-concurrency=1", "--test-reporter=spec", script), env);
    }
  }

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
   * Runs {@code jobs}, up to {@code concurrency} processes at once, in the order given (the longest first keeps
   * both cores busy to the end); each is killed after {@code timeoutSeconds}. Returns every job's result once all
   * have ended. Interrupted (a test's timeout), it kills the processes still running.
   */
  static Map<Job, Result> runAll(List<Job> jobs, int concurrency, long timeoutSeconds)
      throws IOException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      Map<Job, Future<Result>> started = new LinkedHashMap<>();
      for (Job job : jobs) {
        started.put(job, pool.submit(() -> run(job.command(), job.env(), timeoutSeconds, job.name())));
      }
      Map<Job, Result> results = new LinkedHashMap<>();
      for (Map.Entry<Job, Future<Result>> e : started.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException failed) {
          throw new IOException(e.getKey().name() + " could not run", failed.getCause());
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private static Result run(List<String> command, Map<String, String> env, long timeoutSeconds, String name)
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
    long started = System.nanoTime();
    Process p = pb.start();
    StringBuilder out = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(line -> {
          System.out.println("[" + name + "] " + line);
          synchronized (out) {
            out.append(line).append('\n');
          }
        });
      } catch (IOException e) {
        // the process ended; what was read is kept
      }
    }, "e2e-output");
    reader.start();
    boolean finished;
    try {
      finished = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw e;
    }
    if (!finished) p.descendants().forEach(ProcessHandle::destroyForcibly);
    if (!finished) p.destroyForcibly();
    reader.join(5_000);
    // For reading a run's log (which script took how long beside which); nothing asserts it.
    System.out.printf("[%s] ended after %d s, exit %s%n", name, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
        finished ? Integer.toString(p.exitValue()) : "killed");
    synchronized (out) {
      return new Result(finished ? p.exitValue() : -1, finished ? out.toString()
          : out + "\n(killed after " + timeoutSeconds + " s)");
    }
  }
}
