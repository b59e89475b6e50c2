package dev.hearth.ops.bench.realtime;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling of {@code hearth bench chat}: a bare Vert.x WebSocket broadcast server, started in its
 * own JVM by the bench. It speaks just enough of the realtime protocol for the bench's clients
 * ({@code auth} → {@code authenticated}, {@code subscribe} → {@code subscribed}), and every POST
 * (any path, a JSON body with {@code text}) becomes one event frame of the node's shape, answered
 * 200 as soon as the event is numbered and handed to the event loops (the node answers at commit,
 * before its fan-out, too).
 *
 * <p>What makes it the most these cores can deliver with Vert.x, nothing stored, nothing checked:
 * as many server instances as the node has event loops (Vert.x's default, two per core), each
 * writing to the subscribers whose connections it accepted; every event encoded once, its bytes
 * shared by every write of it (no per-subscriber copy or re-encoding); and the events that queue up
 * for a loop while it works go out together: one {@code batch} frame for all of them, built once per
 * loop and written to each subscriber that asked for batches (as the node's clients do), so one
 * write and one flush per connection per round, not per event. The first version of this server
 * (one instance per core, each frame a String encoded per subscriber, one write and flush per
 * frame, the POST answered only after every loop had written) delivered less than the node itself.
 */
public final class BareBroadcastServer {

  /** As the node: at most this many frames in one batch frame. */
  private static final int MAX_BATCH = 256;
  private static final byte[] BATCH_OPEN = "{\"type\":\"batch\",\"frames\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BATCH_CLOSE = "]}".getBytes(StandardCharsets.UTF_8);

  private static final List<Instance> INSTANCES = new CopyOnWriteArrayList<>();
  private static final AtomicLong SEQ = new AtomicLong();

  private BareBroadcastServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    int instances = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE; // the node's own default: 2 per core
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

  /** One subscriber: its socket and whether it asked for batch frames. */
  private record Subscriber(ServerWebSocket ws, boolean batching) {}

  /** One server instance: its event loop, the subscribers whose connections it accepted, their pending events. */
  static final class Instance extends AbstractVerticle {
    private final int port;
    private final List<Subscriber> subscribers = new ArrayList<>(); // only touched on this instance's loop
    /** Events handed to this loop and not written yet, in sequence order. */
    private final ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
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
        JsonObject data;
        // Like a store's change log: events numbered in one order, and handed to every loop in that
        // order, so each subscriber sees seq ascending.
        synchronized (SEQ) {
          long seq = SEQ.incrementAndGet();
          long ts = ChatBench.nowMicros();
          data = new JsonObject().put("id", "m" + seq).put("text", text);
          byte[] json = new JsonObject().put("type", "event").put("topic", "chat/channel/ceiling").put("seq", seq)
              .put("event", "message.created").put("data", data).put("ts", ts).encode().getBytes(StandardCharsets.UTF_8);
          for (Instance i : INSTANCES) i.offer(json);
        }
        req.response().putHeader("content-type", "application/json").end(data.encode());
      })).listen(port, "127.0.0.1").<Void>mapEmpty().onComplete(started);
    }

    /** Queues an event for this loop's subscribers; at most one write round is pending per loop. */
    private void offer(byte[] event) {
      pending.add(event);
      if (scheduled.compareAndSet(false, true)) loop.runOnContext(v -> writeRound());
    }

    /**
     * Writes what queued since the last round: up to {@link #MAX_BATCH} events as one batch frame
     * (built once here, shared by every batching subscriber), or the single event's own bytes.
     */
    private void writeRound() {
      scheduled.set(false); // an event offered from now on schedules another round
      List<byte[]> events = new ArrayList<>();
      byte[] e;
      while ((e = pending.poll()) != null) events.add(e);
      for (int from = 0; from < events.size(); from += MAX_BATCH) {
        List<byte[]> round = events.subList(from, Math.min(events.size(), from + MAX_BATCH));
        ByteBuf batch = round.size() == 1 ? null : batch(round);
        for (Subscriber s : subscribers) {
          if (batch != null && s.batching()) {
            write(s.ws(), batch.retainedDuplicate());
          } else {
            for (byte[] one : round) write(s.ws(), Unpooled.wrappedBuffer(one));
          }
        }
        if (batch != null) batch.release();
      }
    }

    private static ByteBuf batch(List<byte[]> events) {
      int size = BATCH_OPEN.length + BATCH_CLOSE.length + events.size();
      for (byte[] one : events) size += one.length;
      ByteBuf batch = Unpooled.buffer(size);
      batch.writeBytes(BATCH_OPEN);
      for (int i = 0; i < events.size(); i++) {
        if (i > 0) batch.writeByte(',');
        batch.writeBytes(events.get(i));
      }
      return batch.writeBytes(BATCH_CLOSE);
    }

    /** One text frame from bytes shared with other writes (Vert.x's public API would encode a String per write). */
    private static void write(ServerWebSocket ws, ByteBuf utf8) {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true));
    }

    private void accept(ServerWebSocket ws) {
      boolean[] batching = {false};
      ws.textMessageHandler(text -> {
        JsonObject msg = new JsonObject(text);
        String type = msg.getString("type", "");
        if (type.equals("auth")) {
          batching[0] = msg.getBoolean("batch", false);
          ws.writeTextMessage(new JsonObject().put("type", "authenticated").put("userId", "bare").put("id", msg.getValue("id"))
              .encode());
        } else if (type.equals("subscribe")) {
          subscribers.add(new Subscriber(ws, batching[0]));
          ws.writeTextMessage(new JsonObject().put("type", "subscribed").put("topic", msg.getString("topic"))
              .put("seq", SEQ.get()).put("id", msg.getValue("id")).encode());
        }
      });
      ws.closeHandler(v -> subscribers.removeIf(s -> s.ws() == ws));
    }
  }
}
