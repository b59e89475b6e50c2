package dev.hearth.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A WebSocket client of the node's realtime endpoint ({@code /v1/realtime}) for tests: every
 * frame received is queued as JSON; {@link #next} waits for the next one of a type. Part of the
 * test kit, with {@link TestNode}.
 */
public final class TestRealtime implements AutoCloseable {

  private final WebSocketClient client;
  private final WebSocket ws;
  private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final AtomicInteger batches = new AtomicInteger();
  private volatile Short closeStatus;
  private int ids;

  private TestRealtime(Vertx vertx, int port) {
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 << 20));
    this.ws = Await.await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/v1/realtime")));
    ws.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      if ("batch".equals(frame.getString("type"))) {
        batches.incrementAndGet();
        frame.getJsonArray("frames").forEach(f -> frames.add((JsonObject) f));
      } else {
        frames.add(frame);
      }
    });
    ws.closeHandler(v -> closeStatus = ws.closeStatusCode() == null ? (short) 1006 : ws.closeStatusCode());
  }

  /** Connects without authenticating. */
  public static TestRealtime connect(TestNode node) {
    return new TestRealtime(node.vertx, node.port());
  }

  /** Connects and authenticates with {@code token}; fails unless the node says {@code authenticated}. */
  public static TestRealtime connect(TestNode node, String token) throws InterruptedException {
    TestRealtime rt = connect(node);
    rt.request(new JsonObject().put("type", "auth").put("token", token), "authenticated");
    return rt;
  }

  /**
   * Connects to a node on {@code port} of this host (one in another process) and authenticates with
   * {@code token}; fails unless the node says {@code authenticated}.
   */
  public static TestRealtime connect(Vertx vertx, int port, String token) throws InterruptedException {
    TestRealtime rt = new TestRealtime(vertx, port);
    rt.request(new JsonObject().put("type", "auth").put("token", token), "authenticated");
    return rt;
  }

  /**
   * Connects and authenticates asking for batch frames; they are unpacked into single frames here,
   * in order, and counted ({@link #batches}).
   */
  public static TestRealtime connectBatching(TestNode node, String token) throws InterruptedException {
    TestRealtime rt = connect(node);
    rt.request(new JsonObject().put("type", "auth").put("token", token).put("batch", true), "authenticated");
    return rt;
  }

  /** How many batch frames arrived. */
  public int batches() {
    return batches.get();
  }

  /** Sends a raw text frame. */
  public void sendText(String text) {
    Await.await(ws.writeTextMessage(text));
  }

  /** Sends a frame with a fresh {@code id} and returns the reply to it (any type). */
  public JsonObject request(JsonObject frame) throws InterruptedException {
    String id = "r" + (++ids);
    sendText(frame.copy().put("id", id).encode());
    return next(f -> id.equals(f.getString("id")), 10);
  }

  /** Like {@link #request(JsonObject)}, failing unless the reply has type {@code expectedType}. */
  public JsonObject request(JsonObject frame, String expectedType) throws InterruptedException {
    JsonObject reply = request(frame);
    if (!expectedType.equals(reply.getString("type"))) {
      throw new AssertionError("expected " + expectedType + ", got " + reply.encode());
    }
    return reply;
  }

  /** Subscribes to {@code topic} from {@code from} ("now" when null); returns the {@code subscribed} frame. */
  public JsonObject subscribe(String topic, Long from) throws InterruptedException {
    JsonObject frame = new JsonObject().put("type", "subscribe").put("topic", topic);
    if (from != null) frame.put("from", from);
    return request(frame, "subscribed");
  }

  /** The next frame matching {@code filter}, skipping (and dropping) others; fails after {@code seconds}. */
  public JsonObject next(Predicate<JsonObject> filter, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (f == null) throw new AssertionError("no matching frame within " + seconds + " s");
      if (filter.test(f)) return f;
    }
  }

  /** The next frame of type {@code type}. */
  public JsonObject next(String type) throws InterruptedException {
    return next(f -> type.equals(f.getString("type")), 10);
  }

  /** The next {@code n} {@code event} frames of {@code topic}. */
  public List<JsonObject> events(String topic, int n) throws InterruptedException {
    List<JsonObject> out = new ArrayList<>();
    while (out.size() < n) {
      out.add(next(f -> "event".equals(f.getString("type")) && topic.equals(f.getString("topic")), 20));
    }
    return out;
  }

  /**
   * Takes frames up to and including the first matching {@code marker} and returns those before it.
   * A test proves that something did not arrive by causing a later event (the marker) and checking
   * the frames before it: frames come in order, so what was late would be among them.
   */
  public List<JsonObject> framesBefore(Predicate<JsonObject> marker, int seconds) throws InterruptedException {
    List<JsonObject> before = new ArrayList<>();
    next(f -> {
      if (marker.test(f)) return true;
      before.add(f);
      return false;
    }, seconds);
    return before;
  }

  /** The frames received and not yet taken. */
  public List<JsonObject> drain() {
    List<JsonObject> out = new ArrayList<>();
    frames.drainTo(out);
    return out;
  }

  /** Stops reading from the socket, as a client too slow to keep up would. */
  public void pause() {
    ws.pause();
  }

  /** The close status once the node closed the connection, else null. */
  public Short closeStatus() {
    return closeStatus;
  }

  public boolean closed() {
    return ws.isClosed();
  }

  @Override
  public void close() {
    try {
      if (!ws.isClosed()) Await.await(ws.close());
    } catch (RuntimeException ignored) {
      // already gone
    }
    Await.await(client.close());
  }
}
