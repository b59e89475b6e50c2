package dev.hearth.ops.dashboards;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hearth ops dashboards push}: creates or replaces Hearth's dashboards in a Grafana. */
@Command(
    name = "push",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Creates or replaces Hearth's Grafana dashboards (node overview, modules, federation) in a folder of a"
          + " Grafana, through its HTTP API: the folder is created when missing, each dashboard is saved with"
          + " overwrite (matched by its uid), so pushing again updates them.",
      "The dashboards query a Prometheus-type data source chosen on the dashboard (VictoriaMetrics works).",
      "JSON result on stdout, progress on stderr. Exit code 0 when every dashboard was saved, 1 when Grafana"
          + " refused the token, could not be reached or refused a dashboard, 2 for a bad option."
    })
public final class PushCommand implements Callable<Integer> {

  static final String TOKEN_ENV = "GRAFANA_TOKEN";

  @Spec
  CommandSpec spec;

  @Option(names = "--grafana-url", paramLabel = "URL", required = true,
      description = "Grafana's address, e.g. http://localhost:3000 (a sub-path such as https://host/grafana works).")
  String grafanaUrl;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "A Grafana service account token (Editor). Better in the environment variable " + TOKEN_ENV
          + ", which `ps` does not show.")
  String token;

  @Option(names = "--folder", paramLabel = "TITLE", defaultValue = "Hearth",
      description = "The folder the dashboards go in; created when missing. Default: ${DEFAULT-VALUE}.")
  String folder;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Push the *.json dashboards of DIR instead of the ones built into hearth (ops/dashboards).")
  Path dir;

  /** The environment, replaceable in tests. */
  Map<String, String> env = System.getenv();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI url = url();
    String secret = token != null && !token.isBlank() ? token.trim() : env.getOrDefault(TOKEN_ENV, "").trim();
    if (secret.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no Grafana token: give --token or set " + TOKEN_ENV);
    }
    if (folder.isBlank()) throw new ParameterException(spec.commandLine(), "--folder must not be empty");
    List<Dashboards.Dashboard> dashboards;
    try {
      dashboards = dir != null ? Dashboards.in(dir) : Dashboards.builtIn();
    } catch (IOException | IllegalArgumentException e) {
      err.println("hearth ops dashboards push: " + e.getMessage());
      err.flush();
      return 1;
    }
    Vertx vertx = Vertx.vertx();
    try (GrafanaClient grafana = new GrafanaClient(vertx, url, secret)) {
      JsonObject result = new JsonObject().put("grafana", url.toString());
      JsonObject f = await(grafana.ensureFolder(folder));
      result.put("folder", new JsonObject().put("title", folder).put("uid", f.getString("uid")).put("created", f.getBoolean("created")));
      err.printf("folder '%s' (uid %s)%s%n", folder, f.getString("uid"), f.getBoolean("created") ? " created" : "");
      err.flush();
      JsonArray saved = new JsonArray();
      for (Dashboards.Dashboard d : dashboards) {
        JsonObject r = await(grafana.putDashboard(d.json(), f.getString("uid")));
        saved.add(new JsonObject().put("file", d.file()).put("uid", r.getString("uid", d.uid())).put("title", d.title())
            .put("version", r.getValue("version")).put("url", r.getString("url")).put("status", r.getString("status")));
        err.printf("%s: saved as '%s', version %s%n", d.file(), d.title(), r.getValue("version"));
        err.flush();
      }
      out.println(result.put("dashboards", saved).encodePrettily());
      out.flush();
      return 0;
    } catch (GrafanaClient.GrafanaException e) {
      err.println("hearth ops dashboards push: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private URI url() {
    try {
      URI u = new URI(grafanaUrl.trim());
      if (u.getScheme() != null && u.getScheme().matches("(?i)https?") && u.getHost() != null && u.getUserInfo() == null) return u;
    } catch (URISyntaxException ignored) {
      // said below
    }
    throw new ParameterException(spec.commandLine(), "--grafana-url '" + grafanaUrl
        + "' must be http(s)://HOST[:PORT][/PATH] (no user:password; the token authenticates)");
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception c) throw c;
      throw e;
    }
  }
}
