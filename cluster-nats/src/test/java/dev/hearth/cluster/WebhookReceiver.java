package dev.hearth.cluster;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook endpoint on 127.0.0.1 for the cluster tests: takes every delivery (204) and keeps, per
 * chat message created, the delivery ids it came with, each time it came.
 */
final class WebhookReceiver implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, List<String>> byMessage = new ConcurrentHashMap<>();

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  static WebhookReceiver start() throws IOException {
    WebhookReceiver r = new WebhookReceiver(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    r.server.createContext("/hook", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        JsonObject body = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        if ("message.created".equals(body.getString("type"))) {
          String message = body.getJsonObject("data", new JsonObject()).getString("id");
          r.byMessage.computeIfAbsent(message, k -> new CopyOnWriteArrayList<>()).add(body.getString("id"));
        }
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    r.server.start();
    return r;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The ids of the chat messages delivered so far. */
  Set<String> messages() {
    return Set.copyOf(byMessage.keySet());
  }

  /** Per chat message, every delivery of it (its delivery id, once per time it came). */
  Map<String, List<String>> deliveriesByMessage() {
    Map<String, List<String>> out = new ConcurrentHashMap<>();
    byMessage.forEach((m, ids) -> out.put(m, new ArrayList<>(ids)));
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
