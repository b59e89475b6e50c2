package dev.hearth.ops.bench;

import dev.hearth.kernel.config.StoreOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code hearth bench store}: every contender, one after another in this JVM, at every size. Each
 * contender gets a fresh directory, is prefilled to the size, measured, closed and deleted before
 * the next one starts, so they see the same machine and never share the page cache's attention.
 */
final class StoreBench {

  /** What to run. {@code dir} is where the temporary stores go (null: ./target or the system temp). */
  record Config(List<Integer> sizes, List<Integer> writers, List<Integer> readThreads, int mixedWriters,
      Duration duration, Duration warmup, int valueBytes, Path dir, List<String> contenders,
      JsonObject hearthOptions) {

    JsonObject toJson() {
      return new JsonObject().put("sizes", new JsonArray(new ArrayList<>(sizes)))
          .put("writers", new JsonArray(new ArrayList<>(writers)))
          .put("readThreads", new JsonArray(new ArrayList<>(readThreads))).put("mixedWriters", mixedWriters)
          .put("durationMs", duration.toMillis()).put("warmupMs", warmup.toMillis())
          .put("valueBytes", valueBytes).put("contenders", new JsonArray(new ArrayList<>(contenders)))
          .put("hearthOptions", StoreOptions.from(hearthOptions).toJson())
          .put("cores", Runtime.getRuntime().availableProcessors())
          .put("java", System.getProperty("java.version"))
          .put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
    }
  }

  private static final int PREFILL_BATCH = 5000;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

  private final Config config;
  private final PrintWriter log;
  private final long began = System.nanoTime();

  StoreBench(Config config, PrintWriter log) {
    this.config = config;
    this.log = log;
  }

  /** Runs everything; {@code onSize} sees each size's results as soon as they are complete. */
  Results.Report run(Consumer<Results.Size> onSize) throws IOException {
    Sealer sealer = Sealer.create();
    Path root = Files.createTempDirectory(Files.createDirectories(baseDir()), "hearth-bench-");
    log("stores under %s", root);
    byte[][] pool = Workload.randomPool(config.valueBytes(), 42);
    List<Results.Size> sizes = new ArrayList<>();
    try {
      for (int size : config.sizes()) {
        Results.Size s = new Results.Size(size, new ArrayList<>());
        for (String name : config.contenders()) {
          Path dir = Files.createDirectories(root.resolve(size + "-" + name));
          try {
            Contender c = Contender.create(name, sealer, StoreOptions.from(config.hearthOptions()));
            s.runs().add(runOne(c, size, new Workload(pool), dir));
          } finally {
            deleteTree(dir);
          }
        }
        sizes.add(s);
        onSize.accept(s);
      }
    } finally {
      deleteTree(root);
    }
    return new Results.Report(config, sizes);
  }

  private Path baseDir() {
    if (config.dir() != null) {
      return config.dir();
    }
    Path target = Path.of("target");
    return Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir"));
  }

  private Results.Run runOne(Contender c, int size, Workload w, Path dir) {
    Results.Run run = new Results.Run(c.name(), size);
    String at = c.name() + " @ " + String.format("%,d", size);
    System.gc();
    run.loadAtStart = loadAverage();
    try {
      c.open(dir);
      prefill(c, size, w, run, at);
      for (int writers : config.writers()) {
        if (!config.warmup().isZero()) {
          log("%s: warm-up, %s, %d ms", at, plural(writers, "writer"), config.warmup().toMillis());
          run.records += Measure.writes(c, w, writers, config.warmup()).count();
        }
        log("%s: durable writes, %s, %d ms", at, plural(writers, "writer"), config.duration().toMillis());
        Results.Writes r = Measure.writes(c, w, writers, config.duration());
        run.records += r.count();
        run.writes.add(r);
        log("%s:   %,.0f writes/s, p50 %.3f p99 %.3f p99.9 %.3f max %.3f ms", at, r.perSecond(),
            r.p50Ms(), r.p99Ms(), r.p999Ms(), r.maxMs());
      }
      for (int threads : config.readThreads()) {
        log("%s: random reads, %s, %d ms", at, plural(threads, "thread"), config.duration().toMillis());
        Results.Reads r = Measure.reads(c, w, threads, config.duration());
        run.reads.add(r);
        log("%s:   %,.0f reads/s", at, r.perSecond());
      }
      log("%s: scans of the newest 50, %d ms", at, config.duration().toMillis());
      run.scansPerSecond = Measure.scans(c, config.duration(), run.records);
      log("%s:   %,.0f scans/s", at, run.scansPerSecond);
      if (config.mixedWriters() > 0) {
        log("%s: random reads during %s, %d ms", at, plural(config.mixedWriters(), "writer"), config.duration().toMillis());
        Results.Mixed m = Measure.mixed(c, w, config.mixedWriters(), config.duration());
        run.records += m.writeCount();
        run.mixed = m;
        log("%s:   %,.0f reads/s, p50 %.3f p99 %.3f p99.9 %.3f max %.3f ms; %,.0f writes/s meanwhile", at,
            m.readsPerSecond(), m.readP50Ms(), m.readP99Ms(), m.readP999Ms(), m.readMaxMs(), m.writesPerSecond());
      }
    } catch (Throwable e) {
      run.error = describe(e);
      log("%s: FAILED: %s", at, run.error);
      Throwable cause = e instanceof Phase.Failure && e.getCause() != null ? e.getCause() : e;
      cause.printStackTrace(log);
      log.flush();
    }
    close(c, run, at);
    run.diskBytes = diskBytes(dir);
    return run;
  }

  private void prefill(Contender c, int size, Workload w, Results.Run run, String at) throws Exception {
    log("%s: prefill %,d records", at, size);
    long t0 = System.nanoTime();
    long lastLog = t0;
    while (w.prefilled() < size) {
      c.putBatch(w.nextPrefill(Math.min(PREFILL_BATCH, size - w.prefilled())));
      run.records = w.prefilled();
      long now = System.nanoTime();
      if (now - lastLog > 2_000_000_000L) {
        log("%s:   prefill %,d / %,d (%,.0f records/s)", at, w.prefilled(), size, w.prefilled() / ((now - t0) / 1e9));
        lastLog = now;
      }
    }
    run.prefillPerSecond = size / ((System.nanoTime() - t0) / 1e9);
    log("%s:   prefilled in %.1f s (%,.0f records/s)", at, (System.nanoTime() - t0) / 1e9, run.prefillPerSecond);
  }

  /** Closes on another thread, so a store that hangs on close is reported instead of hanging the run. */
  private void close(Contender c, Results.Run run, String at) {
    Throwable[] error = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        c.close();
      } catch (Throwable e) {
        error[0] = e;
      }
    }, c.name() + "-close");
    t.setDaemon(true);
    t.start();
    try {
      t.join(CLOSE_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String problem = t.isAlive() ? "close did not return within " + CLOSE_TIMEOUT.toSeconds() + " s"
        : error[0] != null ? "close failed: " + describe(error[0]) : null;
    if (problem != null) {
      run.error = run.error == null ? problem : run.error + "; " + problem;
      log("%s: %s", at, problem);
    }
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static String describe(Throwable e) {
    return e instanceof Phase.Failure ? e.getMessage() : e.toString();
  }

  private void log(String format, Object... args) {
    log.printf("[%7.1fs] %s%n", (System.nanoTime() - began) / 1e9, String.format(format, args));
    log.flush();
  }

  private static Double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long diskBytes(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException | UncheckedIOException e) {
      return -1;
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
