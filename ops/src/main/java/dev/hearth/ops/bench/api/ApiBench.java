package dev.hearth.ops.bench.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code hearth bench api}: checks the node answers, sets up the users, then each scenario in turn. */
final class ApiBench {

  /** The config file content a node needs for a load run (log-in and sign-up are limited per address). */
  static final String RELAXED_CONFIG = "{\"identity\": {\"authAttemptsPerAddress\": 1000000}}";
  static final String RATE_LIMIT_HINT = "start the node with --config FILE, FILE containing " + RELAXED_CONFIG;
  /** Extra time an access token must stay valid after a scenario's planned end. */
  private static final Duration TOKEN_MARGIN = Duration.ofSeconds(60);

  /** What to run; validated by {@link ApiBenchCommand#config()}. */
  record Config(URI url, int users, int concurrency, Duration duration, Duration warmup, List<Scenario> scenarios) {

    boolean needsUsers() {
      return scenarios.stream().anyMatch(Scenario::needsUsers);
    }

    JsonObject toJson() {
      JsonArray names = new JsonArray();
      scenarios.forEach(s -> names.add(s.label()));
      return new JsonObject().put("url", url.toString()).put("users", users).put("concurrency", concurrency)
          .put("durationMs", duration.toMillis()).put("warmupMs", warmup.toMillis()).put("scenarios", names);
    }
  }

  private final Config config;
  private final PrintWriter err;

  ApiBench(Config config, PrintWriter err) {
    this.config = config;
    this.err = err;
  }

  ApiResults.Report run() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Http http = new Http(vertx, config.url(), config.concurrency())) {
      NodeProbe.health(http, config.url());
      List<BenchUser> users = List.of();
      double setupSeconds = 0;
      if (config.needsUsers()) {
        err.printf("setup: signing up %d users at %s (random bench-*@bench.test emails), one org each%n",
            config.users(), config.url());
        err.flush();
        long t0 = System.nanoTime();
        users = BenchUsers.create(http, config.users(), err);
        setupSeconds = (System.nanoTime() - t0) / 1e9;
        err.printf("setup: done in %.1f s%n", setupSeconds);
      }
      List<ApiResults.Run> runs = new ArrayList<>();
      for (Scenario s : config.scenarios()) {
        if (s == Scenario.READ) {
          long until = System.nanoTime() + config.warmup().plus(config.duration()).plus(TOKEN_MARGIN).toNanos();
          BenchUsers.refresh(http, users, until, err);
        }
        Double load = loadAverage();
        err.printf("%s: %d in flight, %s warmup, then %s measured%s%n", s.label(), config.concurrency(),
            human(config.warmup()), human(config.duration()), load == null ? "" : String.format(" (load average %.2f)", load));
        err.flush();
        ApiResults.Run r = new ClosedLoop(vertx, http, s, users).run(config.concurrency(), config.warmup(), config.duration(), load);
        err.printf("%s: %,d requests, %,.0f/s, p50 %.3f ms, p99 %.3f ms, %,d errors%s%n", s.label(), r.requests(),
            r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors(), r.errors() > 0 ? " " + r.errorsByKind() : "");
        err.flush();
        runs.add(r);
      }
      return new ApiResults.Report(config, setupSeconds, runs);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }


  /** The machine's 1-minute load average, if known: the client shares the machine it measures on. */
  static Double loadAverage() {
    double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return l < 0 ? null : Math.round(l * 100) / 100.0;
  }

  static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
