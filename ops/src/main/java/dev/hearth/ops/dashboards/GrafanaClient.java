package dev.hearth.ops.dashboards;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;

/**
 * The few calls of Grafana's HTTP API that provisioning needs, over the Vert.x web client (no
 * Grafana client library: the Java one is unmaintained and brings old Jackson and OkHttp). A
 * service account token goes in {@code Authorization: Bearer}; it is never put in a message.
 */
final class GrafanaClient implements AutoCloseable {

  /** A failure to tell the user as it is (no stack trace): refused token, unreachable Grafana, an error answer. */
  static final class GrafanaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GrafanaException(String message) {
      super(message);
    }
  }

  private final WebClient client;
  private final URI base;
  private final String token;

  GrafanaClient(Vertx vertx, URI base, String token) {
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setUserAgent("hearth-ops"));
    this.base = base;
    this.token = token;
  }

  /** The uid of the folder titled {@code title}, created when there is none. */
  Future<JsonObject> ensureFolder(String title) {
    return send(request("GET", "/api/folders"), null, "listing folders").compose(list -> {
      for (Object f : list.toJsonArray()) {
        JsonObject folder = (JsonObject) f;
        if (title.equals(folder.getString("title"))) return Future.succeededFuture(folder.put("created", false));
      }
      return send(request("POST", "/api/folders"), new JsonObject().put("title", title), "creating folder '" + title + "'")
          .map(b -> b.toJsonObject().put("created", true));
    });
  }

  /** Creates or replaces {@code dashboard} in the folder: Grafana's answer ({@code uid}, {@code url}, {@code version}, {@code status}). */
  Future<JsonObject> putDashboard(JsonObject dashboard, String folderUid) {
    JsonObject copy = dashboard.copy();
    copy.putNull("id"); // matched by uid; an id from another Grafana would be refused
    JsonObject body = new JsonObject().put("dashboard", copy).put("folderUid", folderUid).put("overwrite", true)
        .put("message", "hearth ops dashboards push");
    return send(request("POST", "/api/dashboards/db"), body, "saving dashboard '" + dashboard.getString("title") + "'")
        .map(Buffer::toJsonObject);
  }

  private HttpRequest<Buffer> request(String method, String path) {
    int port = base.getPort() != -1 ? base.getPort() : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80;
    String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", ""); // Grafana under a sub-path
    return client.request(HttpMethod.valueOf(method), port, base.getHost(), prefix + path)
        .ssl("https".equalsIgnoreCase(base.getScheme()))
        .putHeader("Authorization", "Bearer " + token)
        .putHeader("Accept", "application/json")
        .timeout(30_000);
  }

  private Future<Buffer> send(HttpRequest<Buffer> request, JsonObject body, String what) {
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.recover(err -> Future.failedFuture(new GrafanaException("cannot reach Grafana at " + base + " (" + what + "): "
            + err.getMessage())))
        .compose(r -> {
          int s = r.statusCode();
          if (s >= 200 && s < 300) return Future.succeededFuture(r.body() == null ? Buffer.buffer("{}") : r.body());
          String detail = message(r.body());
          if (s == 401) return Future.failedFuture(new GrafanaException("Grafana at " + base + " refused the token (401) while "
              + what + ": give a service account token with --token or GRAFANA_TOKEN"));
          if (s == 403) return Future.failedFuture(new GrafanaException("the token may not do this (403) while " + what
              + ": the service account needs the Editor role (folders and dashboards)" + detail));
          return Future.failedFuture(new GrafanaException("Grafana answered " + s + " while " + what + detail));
        });
  }

  /** Grafana's error answers are {@code {"message": ...}}; a proxy's may be anything. */
  private static String message(Buffer body) {
    if (body == null || body.length() == 0) return "";
    try {
      String m = body.toJsonObject().getString("message");
      return m == null ? "" : ": " + m;
    } catch (RuntimeException notJson) {
      String text = body.toString();
      return ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
