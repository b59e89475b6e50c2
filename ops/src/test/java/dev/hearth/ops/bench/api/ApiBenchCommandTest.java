package dev.hearth.ops.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hearth.ops.OpsMain;
import dev.hearth.ops.bench.Units;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code hearth bench api} without a node: options, durations, the table and JSON, exit codes. */
class ApiBenchCommandTest {

  @Test
  void defaults() {
    ApiBench.Config c = parse();
    assertThat(c.url()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    assertThat(c.users()).isEqualTo(20);
    assertThat(c.concurrency()).isEqualTo(16);
    assertThat(c.duration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.warmup()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.scenarios()).containsExactly(Scenario.HEALTH, Scenario.READ, Scenario.LOGIN);
    assertThat(c.needsUsers()).isTrue();
  }

  @Test
  void options_areParsed_andScenariosKeepTheirOrderOnce() {
    ApiBench.Config c = parse("--url", "http://10.0.0.5:18181/", "--users", "2k", "--concurrency", "4",
        "--duration", "1.5s", "--warmup", "0", "--scenarios", "login, HEALTH,login");
    assertThat(c.url().getPort()).isEqualTo(18181);
    assertThat(c.users()).isEqualTo(2000);
    assertThat(c.concurrency()).isEqualTo(4);
    assertThat(c.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.warmup()).isZero();
    assertThat(c.scenarios()).containsExactly(Scenario.LOGIN, Scenario.HEALTH);
    assertThat(parse("--scenarios", "health").needsUsers()).isFalse();
  }

  @Test
  void durations() {
    Units.DurationConverter d = new Units.DurationConverter();
    assertThat(d.convert("300ms")).isEqualTo(Duration.ofMillis(300));
    assertThat(d.convert("20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(d.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(d.convert(" 7 ")).isEqualTo(Duration.ofSeconds(7));
    assertThat(ApiBench.human(Duration.ofSeconds(20))).isEqualTo("20 s");
    assertThat(ApiBench.human(Duration.ofMillis(1500))).isEqualTo("1500 ms");
  }

  @Test
  void badOptions_areUsageErrors() {
    for (String[] args : List.of(new String[] {"--scenarios", "health,write"}, new String[] {"--url", "ftp://host"},
        new String[] {"--url", "localhost:8080"}, new String[] {"--concurrency", "0"}, new String[] {"--duration", "0"},
        new String[] {"--duration", "soon"}, new String[] {"--warmup", "-1s"}, new String[] {"--users", "0"})) {
      StringWriter err = new StringWriter();
      int code = new CommandLine(new ApiBenchCommand()).setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
          .execute(args);
      assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(2);
    }
  }

  @Test
  void help_saysWhatItMeasures_andHowToStartTheNode() {
    StringWriter out = new StringWriter();
    int code = new CommandLine(new OpsMain()).setOut(new PrintWriter(out)).execute("bench", "api", "--help");
    assertThat(code).isZero();
    String help = out.toString().replaceAll("\\s+", " ");
    assertThat(help).contains("--url", "--users", "--concurrency", "--duration", "--warmup", "--scenarios", "--json",
        "GET /health", "/v1/orgs/{id}", "/v1/auth/log-in", "p99.9", "\"authAttemptsPerAddress\": 1000000", "more than 1% errors");
  }

  @Test
  void table_showsEveryColumn_andRatiosToTheHealthBaseline() {
    ApiResults.Report report = report(run("health", 100, 1_000, Map.of()), run("login", 10, 10_000, Map.of()));
    String table = ApiTable.of(report);
    assertThat(table.lines().findFirst().orElseThrow().split("\\s{2,}|\\s(?=p\\d)"))
        .extracting(String::trim).containsSubsequence("scenario", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms",
            "p99.9 ms", "max ms", "errors", "p50/health", "p99/health");
    String health = row(table, "health");
    String login = row(table, "login");
    assertThat(health).contains(" 100 ", " 1.00 ", "1.00x");
    assertThat(login).contains(" 10.0 ", "10.0x");
    assertThat(table).contains("RESULT: OK").doesNotContain("errors, ");
    assertThat(report.p50VsHealth(report.runs().get(1))).isCloseTo(10.0, within(0.01));
    assertThat(report.failed()).isFalse();
  }

  @Test
  void moreThanOnePercentErrors_failsTheRun_andNames429AsTheRateLimit() {
    ApiResults.Report ok = report(run("login", 990, 1_000, Map.of("HTTP 500", 10L)));
    assertThat(ok.failed()).as("exactly 1%").isFalse();
    ApiResults.Report bad = report(run("health", 100, 500, Map.of()), run("login", 90, 1_000, Map.of("HTTP 429", 10L)));
    assertThat(bad.failed()).isTrue();
    assertThat(bad.problems()).singleElement().asString().contains("login", "10.00%");
    String table = ApiTable.of(bad);
    assertThat(table).contains("errors, login: HTTP 429 x10", "authAttemptsPerAddress", "RESULT: FAILED");
    JsonObject json = bad.toJson();
    assertThat(json.getBoolean("failed")).isTrue();
    JsonObject login = json.getJsonArray("scenarios").getJsonObject(1);
    assertThat(login.getJsonObject("errorsByKind").getLong("HTTP 429")).isEqualTo(10L);
    assertThat(login.getDouble("errorRate")).isEqualTo(0.1);
    assertThat(login.getDouble("p50VsHealth")).isEqualTo(2.0);
  }

  @Test
  void json_hasConfigAndEveryFigure_andNoRatiosWithoutHealth() {
    JsonObject json = report(run("read", 50, 2_000, Map.of())).toJson();
    assertThat(json.getString("benchmark")).isEqualTo("api");
    assertThat(json.getJsonObject("config").fieldNames()).contains("url", "users", "concurrency", "durationMs", "warmupMs", "scenarios");
    JsonObject read = json.getJsonArray("scenarios").getJsonObject(0);
    assertThat(read.fieldNames()).contains("scenario", "concurrency", "requests", "errors", "errorRate", "errorsByKind",
        "seconds", "perSecond", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs", "meanMs", "p50VsHealth", "p99VsHealth");
    assertThat(read.getLong("requests")).isEqualTo(50L);
    assertThat(read.getDouble("perSecond")).isEqualTo(50.0);
    assertThat(read.getDouble("p50Ms")).isEqualTo(2.0);
    assertThat(read.getValue("p50VsHealth")).isNull();
  }

  @Test
  void noNodeAtTheUrl_exitsWith3() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    StringWriter err = new StringWriter();
    int code = new CommandLine(new ApiBenchCommand()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
        .execute("--url", "http://127.0.0.1:" + port, "--scenarios", "health", "--duration", "100ms", "--warmup", "0");
    assertThat(code).as(err.toString()).isEqualTo(3);
    assertThat(err.toString()).contains("no node answers at");
  }

  @Test
  void nonSuccessAnswers_areCountedAsErrors_againstAStubServer() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      AtomicLong n = new AtomicLong();
      // The first answer (the bench's probe) is 200; then every fourth request is a 503.
      HttpServer server = vertx.createHttpServer()
          .requestHandler(req -> req.response().setStatusCode(n.getAndIncrement() % 4 == 3 ? 503 : 200).end("{}"))
          .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = new CommandLine(new ApiBenchCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
          .execute("--url", "http://127.0.0.1:" + server.actualPort(), "--scenarios", "health", "--concurrency", "3",
              "--duration", "300ms", "--warmup", "0", "--json");
      assertThat(code).as(err.toString()).isEqualTo(1);
      JsonObject health = new JsonObject(out.toString()).getJsonArray("scenarios").getJsonObject(0);
      assertThat(health.getLong("requests")).isPositive();
      assertThat(health.getJsonObject("errorsByKind").getLong("HTTP 503")).isPositive();
      assertThat(health.getDouble("errorRate")).isBetween(0.15, 0.35);
      assertThat(health.getString("firstError")).startsWith("HTTP 503");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static ApiBench.Config parse(String... args) {
    ApiBenchCommand cmd = new ApiBenchCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.config();
  }

  /** A scenario answered {@code count} times in one second, every latency {@code micros}. */
  private static ApiResults.Run run(String name, int count, long micros, Map<String, Long> errors) {
    Histogram h = new Histogram(ClosedLoop.MAX_MICROS, 3);
    h.recordValueWithCount(micros, count);
    return ApiResults.Run.of(name, 2, h, errors, errors.isEmpty() ? null : errors.keySet().iterator().next() + " {}", 1.0, 0.5);
  }

  private static ApiResults.Report report(ApiResults.Run... runs) {
    ApiBench.Config config = new ApiBench.Config(URI.create("http://127.0.0.1:8080"), 2, 2, Duration.ofSeconds(1),
        Duration.ZERO, List.of(Scenario.HEALTH, Scenario.READ, Scenario.LOGIN));
    return new ApiResults.Report(config, 0.5, List.of(runs));
  }

  private static String row(String table, String scenario) {
    return table.lines().filter(l -> l.startsWith(scenario + " ")).findFirst().orElseThrow(() -> new AssertionError(table));
  }
}
