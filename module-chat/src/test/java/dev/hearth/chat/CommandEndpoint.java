package dev.hearth.chat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A slash command's endpoint, as an integration would run it, on a free port of 127.0.0.1: {@code /card}
 * answers for the channel with a card, {@code /private} for the caller alone, {@code /slow} after 4 s
 * (past the node's 3 s), {@code /broken} with HTTP 500 and {@code /garbled} with something that is not
 * JSON. Every call is recorded with its headers, to check the node's signature as a receiver would.
 */
final class CommandEndpoint implements AutoCloseable {

  record Call(String path, String signature, byte[] raw) {
    JsonObject body() {
      return new JsonObject(new String(raw, StandardCharsets.UTF_8));
    }

    /** Checks {@code Hearth-Signature: t=<s>,v1=<hex>} as docs/webhooks.md tells a receiver to. */
    boolean signedWith(String secret) throws Exception {
      String t = signature.replaceFirst("^t=(\\d+),v1=.*$", "$1");
      String v1 = signature.replaceFirst("^.*,v1=([0-9a-f]+)$", "$1");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(HexFormat.of().formatHex(mac.doFinal(raw)).getBytes(StandardCharsets.US_ASCII),
          v1.getBytes(StandardCharsets.US_ASCII));
    }
  }

  private final HttpServer server;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch slowAnswered = new CountDownLatch(1);

  CommandEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  Call last(String path) {
    return calls.stream().filter(c -> c.path().equals(path)).reduce((a, b) -> b).orElseThrow();
  }

  void awaitAnswered(String slowPath) throws InterruptedException {
    if (!slowAnswered.await(30, TimeUnit.SECONDS)) throw new AssertionError(slowPath + " never answered");
  }

  private void handle(HttpExchange x) throws IOException {
    byte[] raw = x.getRequestBody().readAllBytes();
    String path = x.getRequestURI().getPath();
    calls.add(new Call(path, x.getRequestHeaders().getFirst("hearth-signature"), raw));
    String text = new JsonObject(new String(raw, StandardCharsets.UTF_8)).getString("text");
    switch (path) {
      case "/card" -> answer(x, 200, new JsonObject().put("response_type", "in_channel").put("text", "Weather for " + text)
          .put("card", new JsonObject().put("type", "AdaptiveCard").put("version", "1.5").put("body", new JsonArray()
              .add(new JsonObject().put("type", "TextBlock").put("text", "Sunny, 24 °C").put("wrap", true)))).encode());
      case "/private" -> answer(x, 200, new JsonObject().put("text", "only you can see this").encode());
      case "/slow" -> {
        try {
          Thread.sleep(4_000); // past the node's 3 s: it gives up first
          answer(x, 200, new JsonObject().put("response_type", "in_channel").put("text", "too late").encode());
        } catch (InterruptedException | IOException e) {
          // the node reset the exchange: what it should do
        } finally {
          slowAnswered.countDown();
        }
      }
      case "/broken" -> answer(x, 500, "{\"error\":\"boom\"}");
      case "/garbled" -> answer(x, 200, "<html>not json</html>");
      default -> answer(x, 404, "{}");
    }
  }

  private static void answer(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("content-type", "application/json");
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
