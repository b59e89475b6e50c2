package dev.hearth.chat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real HTTP endpoint for webhook deliveries, on a port it keeps across {@link #stop} and
 * {@link #start}. Every request's signature is checked the way docs/webhooks.md tells users to; a
 * delivery whose signature does not verify is answered 401 and counted in {@link #badSignatures}.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One verified delivery. */
  record Received(String id, String topic, String type, long sequence, JsonObject body, long atMillis) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  final List<String> badSignatures = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private volatile String secret;
  private volatile HttpServer server;
  private int port;

  WebhookReceiver() {
    this(0);
  }

  /** A receiver on {@code port} (0: any free one). */
  WebhookReceiver(int port) {
    this.port = port;
    start();
  }

  void secret(String secret) {
    this.secret = secret;
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hooks/hearth";
  }

  void start() {
    HttpServer s = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
      byte[] body = buf.getBytes();
      String header = req.getHeader("Hearth-Signature");
      if (!verify(secret, header, body, System.currentTimeMillis() / 1000)) {
        badSignatures.add(req.getHeader("Hearth-Delivery"));
        req.response().setStatusCode(401).end();
        return;
      }
      JsonObject json = new JsonObject(buf);
      if (!json.getString("id").equals(req.getHeader("Hearth-Delivery"))) {
        badSignatures.add("id mismatch " + json.getString("id"));
      }
      received.add(new Received(json.getString("id"), json.getString("topic"), json.getString("type"),
          json.getLong("sequence"), json, System.currentTimeMillis()));
      req.response().setStatusCode(204).end();
    }));
    try {
      server = s.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot listen on " + port, e);
    }
    port = server.actualPort();
  }

  void stop() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * The check docs/webhooks.md describes: split {@code t=…,v1=…}, refuse a timestamp more than five
   * minutes off, HMAC-SHA256 over {@code t + "." + raw body} with the secret's UTF-8 bytes, compare
   * the hex in constant time.
   */
  static boolean verify(String secret, String header, byte[] body, long nowSeconds) {
    if (secret == null || header == null) return false;
    String t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) continue;
      if (kv[0].equals("t")) t = kv[1];
      if (kv[0].equals("v1")) v1 = kv[1];
    }
    if (t == null || v1 == null) return false;
    long ts;
    try {
      ts = Long.parseLong(t);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(nowSeconds - ts) > 300) return false;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      String expected = HexFormat.of().formatHex(mac.doFinal(body));
      return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), v1.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("receiver did not close", e);
    }
  }
}
