package dev.hearth.ops.dashboards;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Grafana dashboards kept in the repository ({@code ops/dashboards/*.json}, also packed into the
 * ops jar under {@code dashboards/}): Grafana dashboard JSON whose panels query a Prometheus-type
 * data source chosen by the {@code datasource} variable, so VictoriaMetrics serves them as well.
 */
public final class Dashboards {

  /** The dashboards in the jar; {@code DashboardsTest} checks the folder holds exactly these. */
  public static final List<String> BUILT_IN = List.of("node-overview.json", "modules.json", "federation.json");

  /** One dashboard file. */
  public record Dashboard(String file, JsonObject json) {
    public String uid() {
      return json.getString("uid");
    }

    public String title() {
      return json.getString("title");
    }

    /** Every PromQL query it runs: each panel's targets, then each query variable's. */
    public List<Query> queries() {
      List<Query> out = new ArrayList<>();
      for (Object p : json.getJsonArray("panels", new JsonArray())) {
        JsonObject panel = (JsonObject) p;
        for (Object t : panel.getJsonArray("targets", new JsonArray())) {
          String expr = ((JsonObject) t).getString("expr");
          if (expr != null && !expr.isBlank()) out.add(new Query(file, "panel '" + panel.getString("title") + "'", expr));
        }
      }
      for (Object v : json.getJsonObject("templating", new JsonObject()).getJsonArray("list", new JsonArray())) {
        JsonObject var = (JsonObject) v;
        if ("query".equals(var.getString("type"))) {
          Object q = var.getValue("query");
          String expr = q instanceof JsonObject o ? o.getString("query") : (String) q;
          if (expr != null) out.add(new Query(file, "variable '" + var.getString("name") + "'", expr));
        }
      }
      return out;
    }
  }

  /** A query and where it is, for messages. */
  public record Query(String file, String where, String expr) {}

  private Dashboards() {}

  /** The dashboards packed in the jar. */
  public static List<Dashboard> builtIn() {
    List<Dashboard> out = new ArrayList<>();
    for (String name : BUILT_IN) {
      try (InputStream in = Dashboards.class.getResourceAsStream("/dashboards/" + name)) {
        if (in == null) throw new IllegalStateException("dashboards/" + name + " is not in the ops jar (rebuild ops)");
        out.add(parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Every {@code *.json} in {@code dir}, by name. */
  public static List<Dashboard> in(Path dir) throws IOException {
    List<Dashboard> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        out.add(parse(f.getFileName().toString(), Files.readString(f)));
      }
    }
    if (out.isEmpty()) throw new IOException("no *.json dashboards in " + dir);
    return out;
  }

  static Dashboard parse(String file, String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + " is not a JSON object: " + e.getMessage(), e);
    }
    if (json.getString("uid") == null || json.getString("title") == null) {
      throw new IllegalArgumentException(file + " has no uid or title: not a Grafana dashboard");
    }
    return new Dashboard(file, json);
  }
}
