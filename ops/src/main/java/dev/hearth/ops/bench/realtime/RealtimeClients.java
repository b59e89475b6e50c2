package dev.hearth.ops.bench.realtime;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Many WebSocket connections to a node's {@code /v1/realtime}, each authenticated with a user's
 * token (and optionally subscribed to one topic) before it counts as open. Counts the connections
 * the node closed afterwards, by close code (4008: cut off as a slow consumer).
 */
public final class RealtimeClients implements AutoCloseable {

  static final String PATH = "/v1/realtime";
  private static final int CONNECT_TIMEOUT_MS = 30_000;

  private final WebSocketClient client;
  private final List<URI> bases;
  private final AtomicInteger nextBase = new AtomicInteger();
  private final List<WebSocket> open = new ArrayList<>();
  private final Map<String, AtomicLong> closedByNode = new ConcurrentHashMap<>();
  private volatile boolean closing;

  public RealtimeClients(Vertx vertx, URI base, int maxConnections) {
    this(vertx, List.of(base), maxConnections);
  }

  /**
   * Connections spread over {@code bases} in turn: the i-th {@link #open} goes to base i mod n (the
   * fronts of a cluster, {@code hearth bench cluster}).
   */
  public RealtimeClients(Vertx vertx, List<URI> bases, int maxConnections) {
    this.bases = List.copyOf(bases);
    boolean ssl = bases.stream().anyMatch(b -> "https".equalsIgnoreCase(b.getScheme()));
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(maxConnections + 16)
        .setConnectTimeout(CONNECT_TIMEOUT_MS).setSsl(ssl).setMaxFrameSize(1 << 20).setMaxMessageSize(4 << 20));
  }

  /**
   * Connects, sends {@code auth} with {@code token} and, if {@code topic} is set, {@code subscribe};
   * completes once the node said {@code authenticated} (and {@code subscribed}). Every later text
   * frame goes to {@code frames}, on the connection's event loop.
   */
  public Future<WebSocket> open(String token, String topic, Handler<String> frames) {
    URI base = bases.get(Math.floorMod(nextBase.getAndIncrement(), bases.size()));
    boolean ssl = "https".equalsIgnoreCase(base.getScheme());
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(base.getHost())
        .setPort(base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80).setSsl(ssl).setURI(PATH)
        .setTimeout(CONNECT_TIMEOUT_MS);
    return client.connect(o).compose(ws -> {
      Promise<WebSocket> ready = Promise.promise();
      boolean[] live = {false};
      ws.textMessageHandler(text -> {
        if (live[0]) {
          frames.handle(text);
          return;
        }
        JsonObject f;
        try {
          f = new JsonObject(text);
        } catch (DecodeException e) {
          ready.tryFail("realtime sent a frame that is not JSON: " + text);
          return;
        }
        String type = f.getString("type", "");
        if (type.equals("authenticated") && topic == null || type.equals("subscribed")) {
          live[0] = true;
          ready.tryComplete(ws);
        } else if (type.equals("authenticated")) {
          ws.writeTextMessage(new JsonObject().put("type", "subscribe").put("topic", topic).put("id", "2").encode());
        } else if (type.equals("error")) {
          ready.tryFail("realtime answered " + text);
          ws.close();
        }
      });
      ws.closeHandler(v -> {
        ready.tryFail("the node closed the connection during setup (code " + ws.closeStatusCode() + " "
            + ws.closeReason() + ")");
        if (live[0] && !closing) {
          closedByNode.computeIfAbsent(String.valueOf(ws.closeStatusCode()), k -> new AtomicLong()).incrementAndGet();
        }
      });
      ws.exceptionHandler(err -> ready.tryFail(err));
      // Batches: frames that queue on the node leave in one frame (one flush for many events).
      ws.writeTextMessage(new JsonObject().put("type", "auth").put("token", token).put("id", "1").put("batch", true)
          .encode());
      return ready.future();
    }).onSuccess(ws -> {
      synchronized (open) {
        open.add(ws);
      }
    });
  }

  /** Runs {@code task(0..n-1)} with up to {@code parallel} in flight; fails with the first failure. */
  static Future<Void> forEach(int n, int parallel, IntFunction<Future<?>> task) {
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> chains = new ArrayList<>();
    for (int k = 0; k < Math.min(parallel, n); k++) {
      chains.add(chain(next, n, task));
    }
    return Future.all(chains).mapEmpty();
  }

  private static Future<Void> chain(AtomicInteger next, int n, IntFunction<Future<?>> task) {
    int i = next.getAndIncrement();
    return i >= n ? Future.succeededFuture() : task.apply(i).compose(v -> chain(next, n, task));
  }

  public int openCount() {
    synchronized (open) {
      return open.size();
    }
  }

  /** Connections the node closed after they were set up, by close code ("4008": slow consumer). */
  public Map<String, Long> closedByNode() {
    Map<String, Long> out = new TreeMap<>();
    closedByNode.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  long closedByNodeTotal() {
    return closedByNode.values().stream().mapToLong(AtomicLong::get).sum();
  }

  @Override
  public void close() {
    closing = true;
    List<WebSocket> all;
    synchronized (open) {
      all = new ArrayList<>(open);
      open.clear();
    }
    all.forEach(ws -> ws.close());
    client.close();
  }
}
