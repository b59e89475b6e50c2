package dev.hearth.kernel.realtime;

import dev.hearth.kernel.json.JsonIntake;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket client speaking the JSON protocol of {@code docs/realtime.md}: {@code auth},
 * {@code subscribe}, {@code unsubscribe}, {@code ping} in; {@code authenticated},
 * {@code subscribed}, {@code event}, {@code unsubscribed}, {@code pong}, {@code error},
 * {@code cutoff} out. A bad frame gets an {@code error} and the connection stays usable.
 */
final class WsConnection implements ClientSink {

  private static final Logger log = LoggerFactory.getLogger(WsConnection.class);
  /** Wrong tokens a connection may send before it is closed; guessing is not free. */
  private static final int MAX_FAILED_AUTHS = 5;

  /** Frames one drain may put into a single batch frame. */
  private static final int MAX_BATCH = 256;
  private static final BigDecimal MAX_SEQ = BigDecimal.valueOf(Long.MAX_VALUE);

  private final Vertx vertx;
  private final Context context;
  private final ServerWebSocket ws;
  /**
   * Every frame to the client goes through here, in order, and is written on the connection's own
   * event loop: a reply never overtakes an event queued before it, and frames that queue up while the
   * loop is busy leave together (one batch frame, one flush, for clients that asked for batches).
   */
  private final ConcurrentLinkedQueue<byte[]> outbox = new ConcurrentLinkedQueue<>();
  /** Schedules this connection's drains together with the other connections on its event loop. */
  private final LoopDrains.Loop loop;
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile boolean batching;
  private final RealtimeHub hub;
  private final Function<String, Caller> authenticate;
  private final Map<String, TopicStream> streams = new ConcurrentHashMap<>();
  private final AtomicLong pending = new AtomicLong();
  private final AtomicBoolean gone = new AtomicBoolean();
  /** {@link #gone} is also set by a cutoff; the open-connections count drops once, when the socket closes. */
  private final AtomicBoolean closeCounted = new AtomicBoolean();
  private volatile Caller caller;
  private String token;
  private int failedAuths;
  private long timer = -1; // Vert.x timer ids start at 0: -1 is "none".

  WsConnection(Vertx vertx, ServerWebSocket ws, RealtimeHub hub, Function<String, Caller> authenticate) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.loop = hub.drains().of(context);
    this.ws = ws;
    this.hub = hub;
    this.authenticate = authenticate;
  }

  void start(String authorizationHeader) {
    hub.webSocketOpened();
    int max = hub.options().maxFrameBytes();
    WsMessages messages = new WsMessages(max, new WsMessages.Listener() {
      @Override
      public void text(String text) {
        onText(text);
      }

      @Override
      public void binary() {
        error(null, ModuleException.invalidArgument("binary frames are not part of the protocol; send JSON text frames"));
      }

      @Override
      public void tooBig(long size) {
        log.debug("realtime message over {} bytes refused: close 1009", max);
        error(null, new ModuleException(ModuleException.Code.INVALID_ARGUMENT, "a message is at most " + max
            + " bytes (realtime.maxFrameBytes); this one had " + size + " when it was refused")
            .detail("maxBytes", Integer.toString(max)));
        closeAfterQueued((short) 1009, "message over " + max + " bytes");
      }

      @Override
      public void invalidUtf8() {
        log.debug("realtime text message with invalid UTF-8 refused: close 1007");
        closeAfterQueued((short) 1007, "a text message must be valid UTF-8");
      }
    });
    ws.frameHandler(messages::frame);
    // The node is stopping and drains its calls (NodeExtension.drain): a subscriber has none in flight,
    // so it is told to go at once (1001) and resumes elsewhere from its last sequence.
    ws.shutdownHandler(v -> closeAfterQueued((short) 1001, "the node is stopping"));
    ws.exceptionHandler(err -> log.debug("websocket error: {}", err.toString()));
    ws.closeHandler(v -> onClose());
    int seconds = hub.options().authTimeoutSeconds();
    timer = vertx.setTimer(seconds * 1000L, t -> {
      if (caller == null) closeAfterQueued((short) 4001, "not authenticated within " + seconds + " s");
    });
    if (authorizationHeader != null && !authorizationHeader.isBlank()) {
      try {
        Caller who = authenticate.apply(authorizationHeader);
        if (!who.authenticated() || authorizationHeader.length() < 8) {
          throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>'");
        }
        authenticated(who, authorizationHeader.substring(7).trim(), null);
      } catch (ModuleException e) {
        failedAuth(null, e);
      }
    }
  }

  private void onText(String text) {
    JsonObject msg;
    try {
      msg = JsonIntake.object(text, "frame");
    } catch (ModuleException e) {
      String why = e.getMessage();
      log.debug("realtime frame refused: {}", why.length() > 200 ? why.substring(0, 197) + "..." : why);
      error(null, e);
      return;
    }
    Object rawId = msg.getValue("id");
    String id = rawId == null ? null : String.valueOf(rawId);
    try {
      Object type = msg.getValue("type");
      if (!(type instanceof String t)) throw ModuleException.badField("type", "is required: auth, subscribe, "
          + "unsubscribe or ping");
      switch (t) {
        case "auth" -> auth(id, msg);
        case "subscribe" -> subscribe(id, msg);
        case "unsubscribe" -> unsubscribe(id, msg);
        case "ping" -> reply(new JsonObject().put("type", "pong"), id);
        default -> throw ModuleException.badField("type", "unknown type '" + t
            + "'; expected auth, subscribe, unsubscribe or ping");
      }
    } catch (ModuleException e) {
      error(id, e);
    } catch (RuntimeException e) {
      log.error("realtime frame failed", e);
      error(id, new ModuleException(ModuleException.Code.INTERNAL, "internal error; details are in the node's log"));
    }
  }

  private void auth(String id, JsonObject msg) {
    String t;
    Caller who;
    try {
      t = string(msg, "token");
      if (t == null || t.isBlank()) throw ModuleException.badField("token", "is required: an access token or API token");
      who = authenticate.apply("Bearer " + t.trim());
    } catch (ModuleException e) {
      failedAuth(id, e);
      return;
    }
    Object batch = msg.getValue("batch");
    if (batch != null && !(batch instanceof Boolean)) throw ModuleException.badField("batch", "must be true or false");
    batching = Boolean.TRUE.equals(batch);
    authenticated(who, t.trim(), id);
  }

  /** Every failed authentication counts (a missing, empty or wrong token, a bad header): guessing is not free. */
  private void failedAuth(String id, ModuleException e) {
    error(id, e);
    if (++failedAuths >= MAX_FAILED_AUTHS) closeAfterQueued((short) 4001, "too many failed authentications");
  }

  private void authenticated(Caller who, String newToken, String id) {
    Caller before = caller;
    if (before != null && !before.userId().equals(who.userId())) {
      throw ModuleException.failedPrecondition("this connection belongs to another user; open a new one");
    }
    if (!who.authenticated()) throw new ModuleException(ModuleException.Code.UNAUTHENTICATED, "a token is required");
    caller = who;
    token = newToken;
    if (before == null) {
      if (timer >= 0) vertx.cancelTimer(timer);
      hub.connected(who.userId());
      // Revocation, expiry and disabled accounts reach long-lived connections too.
      timer = vertx.setPeriodic(hub.options().recheckSeconds() * 1000L, t -> recheck());
    }
    reply(new JsonObject().put("type", "authenticated").put("userId", who.userId()), id);
  }

  /** Credentials first (revoked, expired, disabled), then each topic (membership may have ended). */
  private void recheck() {
    Caller now;
    try {
      now = authenticate.apply("Bearer " + token);
    } catch (ModuleException e) {
      error(null, new ModuleException(ModuleException.Code.UNAUTHENTICATED, e.getMessage()
          + "; reconnect with a fresh token (send auth with a new token before the old one expires)"));
      closeAfterQueued((short) 4001, "credentials no longer valid");
      return;
    }
    caller = now;
    for (TopicStream stream : streams.values()) hub.reauthorize(now, stream);
  }

  private void subscribe(String id, JsonObject msg) {
    Caller who = requireCaller();
    String topic = string(msg, "topic");
    if (topic == null) throw ModuleException.badField("topic", "is required");
    Long from = from(msg);
    if (streams.containsKey(topic)) throw new ModuleException(ModuleException.Code.ALREADY_EXISTS,
        "already subscribed to " + topic).detail("field", "topic");
    if (streams.size() >= hub.options().maxSubscriptions()) {
      throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "a connection may follow at most "
          + hub.options().maxSubscriptions() + " topics");
    }
    RealtimeHub.Subscribed sub = hub.subscribe(who, topic, from, this);
    streams.put(topic, sub.stream());
    reply(new JsonObject().put("type", "subscribed").put("topic", topic).put("seq", sub.stream().position()), id);
    sub.start().onFailure(err -> {
      streams.remove(topic, sub.stream());
      error(id, err instanceof ModuleException e ? e : internal(err));
    });
  }

  private static Long from(JsonObject msg) {
    Object from = msg.getValue("from");
    if (from == null || "now".equals(from)) return null;
    if ((from instanceof Integer || from instanceof Long) && ((Number) from).longValue() >= 0) return ((Number) from).longValue();
    // 5.0 is a whole number; 1e999999999 must be refused before anything expands it.
    if (from instanceof BigDecimal d && d.signum() >= 0 && d.compareTo(MAX_SEQ) <= 0
        && d.stripTrailingZeros().scale() <= 0) {
      return d.longValue();
    }
    throw ModuleException.badField("from", "must be \"now\" or the sequence of the last event received (a whole number >= 0)");
  }

  private void unsubscribe(String id, JsonObject msg) {
    requireCaller();
    String topic = string(msg, "topic");
    if (topic == null) throw ModuleException.badField("topic", "is required");
    TopicStream stream = streams.remove(topic);
    if (stream == null) throw ModuleException.notFound("not subscribed to " + topic);
    hub.unsubscribe(stream);
    reply(new JsonObject().put("type", "unsubscribed").put("topic", topic).put("seq", stream.position()), id);
  }

  private Caller requireCaller() {
    Caller who = caller;
    if (who == null) throw new ModuleException(ModuleException.Code.UNAUTHENTICATED,
        "send {\"type\":\"auth\",\"token\":...} first");
    return who;
  }

  @Override
  public boolean send(TopicStream stream, Frame frame) {
    if (gone.get()) return false;
    if (pending.get() > hub.options().maxPendingBytes()) {
      cutoff();
      return false;
    }
    write(frame.utf8());
    return true;
  }

  @Override
  public boolean awaitRoom(BooleanSupplier cancelled) {
    return Backpressure.awaitRoom(pending, hub.options().maxPendingBytes(), gone, cancelled, this::cutoff);
  }

  @Override
  public void ended(TopicStream stream, String code, String message) {
    streams.remove(stream.topic(), stream);
    if (gone.get()) return;
    write(utf8(new JsonObject().put("type", "unsubscribed").put("topic", stream.topic()).put("seq", stream.position())
        .put("code", code).put("message", message).encode()));
  }

  /**
   * The client does not read fast enough: rather than queue without bound, tell it where each topic
   * stopped and close. It resumes from the last sequence it received.
   */
  private void cutoff() {
    if (!gone.compareAndSet(false, true)) return;
    JsonObject resume = new JsonObject();
    streams.forEach((topic, s) -> resume.put(topic, s.position()));
    detachAll();
    // After what is queued, so the resume points match what the client will have received.
    enqueue(utf8(new JsonObject().put("type", "cutoff").put("reason", "the client reads too slowly; "
        + "reconnect and resume each topic from the last seq received").put("resume", resume).encode()));
    closeAfterQueued((short) 4008, "slow consumer");
    log.info("realtime client cut off: {} bytes unsent", pending.get());
  }

  private void write(byte[] frame) {
    if (gone.get()) return;
    // Replies count too: a client that sends pings and never reads must not grow the queue.
    if (pending.get() > hub.options().maxPendingBytes()) {
      cutoff();
      return;
    }
    enqueue(frame);
  }

  private static byte[] utf8(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** Closes once the frames queued so far (an error saying why) are written. */
  private void closeAfterQueued(short code, String reason) {
    context.runOnContext(v -> {
      SharedBatches batches = loop.batches();
      try {
        drain(batches);
      } finally {
        batches.release();
      }
      ws.close(code, reason);
    });
  }

  private void enqueue(byte[] frame) {
    hub.webSocketFrameSent();
    pending.addAndGet(frame.length);
    outbox.add(frame);
    // One drain task per event loop for all its connections with frames, not one per connection:
    // an event to a thousand subscribers is then a handful of tasks, not a thousand.
    if (draining.compareAndSet(false, true)) loop.schedule(this::drain);
  }

  /**
   * Writes what the outbox holds, on the event loop; with batching, up to MAX_BATCH frames per frame.
   * A frame's bytes are shared by every subscriber of its event (encoded once, {@link Frame#utf8}),
   * and so is a batch of them: the connections of one loop that got the same frames write one batch
   * built once ({@link SharedBatches}); a single frame is wrapped without copying.
   */
  void drain(SharedBatches batches) {
    draining.set(false); // a frame added from now on schedules another drain
    byte[] first;
    while ((first = outbox.poll()) != null) {
      byte[] next = batching ? outbox.poll() : null;
      if (next == null) {
        int size = first.length;
        writeText(Unpooled.wrappedBuffer(first)).onComplete(r -> pending.addAndGet(-size));
        continue;
      }
      List<byte[]> frames = new ArrayList<>();
      frames.add(first);
      frames.add(next);
      int size = first.length + next.length;
      for (int n = 2; n < MAX_BATCH && (next = outbox.poll()) != null; n++) {
        frames.add(next);
        size += next.length;
      }
      int taken = size;
      hub.webSocketBatchSent();
      writeText(batches.batch(frames, size)).onComplete(r -> pending.addAndGet(-taken));
    }
  }

  /**
   * One text frame from UTF-8 bytes. Vert.x's public API takes a String and encodes it per write;
   * its frame class takes the bytes as they are (the class is internal to Vert.x, hence this one place).
   */
  private Future<Void> writeText(ByteBuf utf8) {
    return ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT,
        utf8, true));
  }

  private void reply(JsonObject frame, String id) {
    if (id != null) frame.put("id", id);
    if (!gone.get()) write(utf8(frame.encode()));
  }

  private void error(String id, ModuleException e) {
    JsonObject frame = new JsonObject().put("type", "error").put("code", e.code().name()).put("message", e.getMessage());
    if (!e.details().isEmpty()) frame.put("details", new JsonObject(new LinkedHashMap<>(e.details())));
    reply(frame, id);
  }

  private static ModuleException internal(Throwable err) {
    log.error("realtime subscription failed", err);
    return new ModuleException(ModuleException.Code.INTERNAL, "internal error; details are in the node's log");
  }

  private void onClose() {
    if (closeCounted.compareAndSet(false, true)) hub.webSocketClosed();
    gone.set(true);
    outbox.clear();
    if (timer >= 0) vertx.cancelTimer(timer);
    detachAll();
    Caller who = caller;
    if (who != null) hub.disconnected(who.userId());
  }

  private void detachAll() {
    streams.values().forEach(hub::unsubscribe);
    streams.clear();
  }

  private static String string(JsonObject msg, String key) {
    Object v = msg.getValue(key);
    if (v == null) return null;
    if (!(v instanceof String s)) throw ModuleException.badField(key, "must be a string");
    return s;
  }
}
