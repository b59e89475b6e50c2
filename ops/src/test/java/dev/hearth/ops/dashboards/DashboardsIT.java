package dev.hearth.ops.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.ops.metrics.VictoriaMetricsProcess;
import dev.hearth.ops.testing.LinkedNodes;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of every dashboard against what live nodes export: two federated nodes with the chat
 * module (a owns a shared project, b replicates it), chat traffic, then (1) each metric name in
 * each panel's and variable's PromQL must be in the union of both nodes' {@code /metrics}, and (2) a
 * real VictoriaMetrics scraping both must answer each query without an error.
 */
class DashboardsIT {

  @TempDir static Path tmp;
  private static LinkedNodes nodes;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void traffic() throws Exception {
    nodes = new LinkedNodes(tmp, o -> {});
    for (int i = 0; i < 5; i++) nodes.post("message " + i);
    nodes.a.rest.get("/v1/orgs/unknown", nodes.alice); // an error, so code!="OK" series exist
    System.gc(); // jvm_gc_pause_seconds appears after the first collection
    LinkedNodes.eventually("b replicated the shared project",
        () -> metrics(nodes.b.port()).contains("hearth_federation_replication_lag_seconds{"));
  }

  @AfterAll
  static void stop() {
    if (nodes != null) nodes.close();
  }

  @Test
  void everyDashboardQuery_readsOnlyMetricsTheNodesExport() throws Exception {
    Set<String> exported = new TreeSet<>(names(metrics(nodes.a.port())));
    exported.addAll(names(metrics(nodes.b.port())));
    List<String> unknown = new ArrayList<>();
    int checked = 0;
    for (Dashboards.Dashboard d : Dashboards.builtIn()) {
      for (Dashboards.Query q : d.queries()) {
        for (String name : PromQlNames.of(q.expr())) {
          checked++;
          if (!exported.contains(name)) unknown.add(d.file() + " " + q.where() + ": " + name + " in " + q.expr());
        }
      }
    }
    assertThat(checked).isGreaterThan(40);
    assertThat(unknown).as("metric names the nodes do not export (they export %s)", exported).isEmpty();
  }

  @Test
  void everyDashboardQuery_runsInVictoriaMetrics_scrapingTheNodes() throws Exception {
    try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.start(tmp.resolve("vm"),
        List.of("127.0.0.1:" + nodes.a.port(), "127.0.0.1:" + nodes.b.port()), Duration.ofMillis(500))) {
      for (int i = 0; i < 5; i++) {
        nodes.post("scraped " + i);
        Thread.sleep(400); // spread over scrapes, so rates have two samples
      }
      LinkedNodes.eventually("VictoriaMetrics holds a few scrapes of both nodes",
          () -> vm.value("count(count_over_time(process_uptime_seconds[1m]) > 3)").orElse(0) == 2);
      List<String> failed = new ArrayList<>();
      int withData = 0;
      int total = 0;
      for (Dashboards.Dashboard d : Dashboards.builtIn()) {
        for (Dashboards.Query q : d.queries()) {
          total++;
          String promql = grafanaToPromQl(q.expr());
          JsonObject answer = vm.query(promql);
          if (!"success".equals(answer.getString("status"))) {
            failed.add(d.file() + " " + q.where() + ": " + promql + " -> " + answer.encode());
          } else if (!answer.getJsonObject("data").getJsonArray("result").isEmpty()) {
            withData++;
          }
        }
      }
      assertThat(failed).as(vm.logTail()).isEmpty();
      // Not all can have data (no forwarded writes, maybe no errors on b), but most must.
      assertThat(withData).as("queries with data, of %d", total).isGreaterThan(total * 3 / 4);
    }
  }

  /** What Grafana would send: variables set to match everything, {@code label_values(m, l)} as a series query of m. */
  static String grafanaToPromQl(String expr) {
    Matcher lv = Pattern.compile("^label_values\\((.+),\\s*(\\w+)\\)$").matcher(expr.trim());
    if (lv.matches()) return "count by (" + lv.group(2) + ") (" + lv.group(1) + ")";
    return expr.replace("$__rate_interval", "1m").replace("${instance}", ".*").replace("$instance", ".*");
  }

  private static String metrics(int port) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** The sample names of a Prometheus text exposition (histogram series are listed as _bucket, _count, _sum). */
  static Set<String> names(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') end++;
      names.add(line.substring(0, end));
    }
    return names;
  }
}
