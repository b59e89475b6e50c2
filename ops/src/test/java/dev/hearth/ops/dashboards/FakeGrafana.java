package dev.hearth.ops.dashboards;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Grafana cannot run here (it is not in Debian's packages), so this plays the part of its HTTP API
 * for the calls {@code push} makes, checking them as Grafana 10/11 does: {@code Authorization:
 * Bearer <token>} (else 401 {@code {"message":"invalid API key"}}), {@code GET /api/folders},
 * {@code POST /api/folders {"title"}}, and {@code POST /api/dashboards/db} with a {@code dashboard}
 * object (uid, title, no id of another instance), a known {@code folderUid} and {@code overwrite}
 * (without it, saving an existing uid is 412 "version-mismatch"/"name-exists" in Grafana).
 * Anything else answers 404, a bad body 400, so an unexpected call fails the test.
 */
final class FakeGrafana implements AutoCloseable {

  record Request(String method, String path, String authorization, JsonObject body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final Map<String, JsonObject> folders = new ConcurrentHashMap<>();
  final Map<String, JsonObject> dashboards = new ConcurrentHashMap<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final String token;

  FakeGrafana(String token) throws Exception {
    this.token = token;
    this.server = vertx.createHttpServer().requestHandler(r -> r.body().onSuccess(b -> {
      JsonObject body = b.length() == 0 ? null : b.toJsonObject();
      requests.add(new Request(r.method().name(), r.path(), r.getHeader("Authorization"), body));
      handle(r, body);
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void handle(HttpServerRequest r, JsonObject body) {
    if (!("Bearer " + token).equals(r.getHeader("Authorization"))) {
      answer(r, 401, new JsonObject().put("message", "invalid API key"));
      return;
    }
    String route = r.method().name() + " " + r.path();
    switch (route) {
      case "GET /api/folders" -> {
        JsonArray list = new JsonArray();
        folders.values().forEach(list::add);
        answer(r, 200, list);
      }
      case "POST /api/folders" -> {
        if (body == null || body.getString("title", "").isBlank()) {
          answer(r, 400, new JsonObject().put("message", "folder title cannot be empty"));
          return;
        }
        String uid = "f" + (folders.size() + 1);
        JsonObject f = new JsonObject().put("id", folders.size() + 1).put("uid", uid).put("title", body.getString("title"));
        folders.put(uid, f);
        answer(r, 200, f);
      }
      case "POST /api/dashboards/db" -> saveDashboard(r, body);
      default -> answer(r, 404, new JsonObject().put("message", "Not found"));
    }
  }

  private void saveDashboard(HttpServerRequest r, JsonObject body) {
    JsonObject d = body == null ? null : body.getJsonObject("dashboard");
    if (d == null || d.getString("uid") == null || d.getString("title") == null || !(d.getValue("panels") instanceof JsonArray)) {
      answer(r, 400, new JsonObject().put("message", "bad request data"));
      return;
    }
    if (d.getValue("id") != null) {
      answer(r, 404, new JsonObject().put("message", "Dashboard not found")); // Grafana's answer to an unknown id
      return;
    }
    if (!folders.containsKey(body.getString("folderUid", ""))) {
      answer(r, 400, new JsonObject().put("message", "folder not found"));
      return;
    }
    JsonObject old = dashboards.get(d.getString("uid"));
    if (old != null && !body.getBoolean("overwrite", false)) {
      answer(r, 412, new JsonObject().put("message", "A dashboard with the same uid already exists").put("status", "name-exists"));
      return;
    }
    int version = old == null ? 1 : old.getInteger("version") + 1;
    dashboards.put(d.getString("uid"), new JsonObject().put("version", version).put("dashboard", d).put("folderUid", body.getString("folderUid")));
    answer(r, 200, new JsonObject().put("id", dashboards.size()).put("uid", d.getString("uid"))
        .put("url", "/d/" + d.getString("uid") + "/x").put("status", "success").put("version", version).put("slug", "x"));
  }

  private static void answer(HttpServerRequest r, int status, Object json) {
    r.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(json instanceof JsonArray a ? a.encode() : ((JsonObject) json).encode());
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
