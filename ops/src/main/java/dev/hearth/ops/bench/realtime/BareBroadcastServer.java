package dev.hearth.ops.bench.realtime;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling of {@code hearth bench chat}: a bare Vert.x WebSocket broadcast server, started in its
 * own JVM by the bench. It speaks just enough of the realtime protocol for the bench's clients
 * ({@code auth} → {@code authenticated}, {@code subscribe} → {@code subscribed}), and every POST
 * (any path, a JSON body with {@code text}) becomes one event frame of the node's shape, encoded once
 * and written to every subscriber, then answered 200. One HTTP server instance per core (each on its
 * own event loop, the port shared), and one task per event loop per message writing to that loop's
 * subscribers: the most these cores can deliver with Vert.x, nothing stored, nothing checked.
 */
public final class BareBroadcastServer {

  private static final List<Instance> INSTANCES = new CopyOnWriteArrayList<>();
  private static final AtomicLong SEQ = new AtomicLong();

  private BareBroadcastServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new Instance(port), new DeploymentOptions().setInstances(instances))
        .toCompletionStage().toCompletableFuture().get();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }, "bare-shutdown"));
    new CountDownLatch(1).await();
  }

  /** One server instance: its event loop and the subscribers whose connections it accepted. */
  static final class Instance extends AbstractVerticle {
    private final int port;
    private final List<ServerWebSocket> subscribers = new ArrayList<>(); // only touched on this instance's loop
    private Context loop;

    Instance(int port) {
      this.port = port;
    }

    @Override
    public void start(Promise<Void> started) {
      loop = context;
      INSTANCES.add(this);
      vertx.createHttpServer().webSocketHandler(this::accept).requestHandler(req -> req.body().onSuccess(body -> {
        if (!"POST".equals(req.method().name())) {
          req.response().end("ok");
          return;
        }
        String text = new JsonObject(body).getString("text", "");
        List<Future<Void>> writes = new ArrayList<>(INSTANCES.size());
        JsonObject data;
        // Like a store's change log: events numbered in one order, and handed to every loop in that
        // order (a loop runs its tasks first in, first out), so each subscriber sees seq ascending.
        synchronized (SEQ) {
          long seq = SEQ.incrementAndGet();
          long ts = ChatBench.nowMicros();
          data = new JsonObject().put("id", "m" + seq).put("text", text);
          String json = new JsonObject().put("type", "event").put("topic", "chat/channel/ceiling").put("seq", seq)
              .put("event", "message.created").put("data", data).put("ts", ts).encode();
          for (Instance i : INSTANCES) writes.add(i.broadcast(json));
        }
        Future.all(writes).onComplete(r -> req.response().putHeader("content-type", "application/json")
            .end(data.encode()));
      })).listen(port, "127.0.0.1").<Void>mapEmpty().onComplete(started);
    }

    private Future<Void> broadcast(String json) {
      Promise<Void> done = Promise.promise();
      loop.runOnContext(v -> {
        for (ServerWebSocket ws : subscribers) ws.writeTextMessage(json);
        done.complete();
      });
      return done.future();
    }

    private void accept(ServerWebSocket ws) {
      ws.textMessageHandler(text -> {
        JsonObject msg = new JsonObject(text);
        String type = msg.getString("type", "");
        if (type.equals("auth")) {
          ws.writeTextMessage(new JsonObject().put("type", "authenticated").put("userId", "bare").put("id", msg.getValue("id"))
              .encode());
        } else if (type.equals("subscribe")) {
          subscribers.add(ws);
          ws.writeTextMessage(new JsonObject().put("type", "subscribed").put("topic", msg.getString("topic"))
              .put("seq", SEQ.get()).put("id", msg.getValue("id")).encode());
        }
      });
      ws.closeHandler(v -> subscribers.remove(ws));
    }
  }
}
