package dev.hearth.cluster;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.mac.PredefinedMacParameters;
import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.hearth.cluster.v1.ForwardedAnswer;
import dev.hearth.cluster.v1.ForwardedCall;
import dev.hearth.kernel.spi.Forwarder;
import dev.hearth.kernel.spi.Keysets;
import dev.hearth.kernel.spi.NodeContext;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.spi.WriteGate;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.auth.Caller;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fronts: a write call for a store this process may not write now is sent over NATS request/reply
 * to the process holding the store's lease, which runs it through its own guard and answers.
 *
 * <p>The front side is a {@link Forwarder}: after this process's guard admitted the caller, a write
 * whose store ({@link NodeContext#storeOf}) this process's gate would refuse is looked up in the
 * lease bucket (the holder, cached for a renew period) and sent to {@code hearth.cluster.call.<holder>}
 * with the caller the front authenticated; the answer is awaited for one lease TTL. No holder, no
 * answer in time, or no process listening: UNAVAILABLE with {@code retryAfterSeconds}.
 *
 * <p>The owner side listens on its own subject. It runs a call only when its MAC (HMAC-SHA256 with
 * the cluster's shared keyset {@code cluster-calls}, over the call's bytes) is right, it has not
 * expired, and this process holds the store's lease; it looks the caller up again in its own
 * identity data ({@link NodeContext#callerNow}: an unknown or disabled user is refused, the sys-admin
 * flag is its own), then runs it through {@link NodeContext#dispatchAs}, which admits the caller
 * again (roles, read-only mode, module switches, write rate) before the handler runs. Answers are
 * MACed too and bound to the call's id.
 */
final class Forwarding implements Forwarder {

  static final String SUBJECT = "hearth.cluster.call.";
  static final String KEYSET = "cluster-calls";
  static final String MAC_HEADER = "Hearth-Mac";
  private static final Logger log = LoggerFactory.getLogger(Forwarding.class);
  private static final SecureRandom random = new SecureRandom();

  /** A store's holder as last read from the lease bucket, and when (nanoTime). */
  private record Holder(String processId, long readNanos) {}

  private final NodeContext node;
  private final String processId;
  private final WriteGate gate;
  private final Supplier<KeyValue> leaseBucket;
  private final Supplier<Connection> connection;
  private final Mac mac;
  private final Duration deadline;
  private final long cacheNanos;
  private final String retryAfter;
  private final Map<String, Holder> holders = new ConcurrentHashMap<>();
  private final Function<String, ReplicaStore> followed;
  private volatile Dispatcher listening;
  /** The forwarded calls this process is running now, each done once answered. */
  private final Set<CompletableFuture<Void>> running = ConcurrentHashMap.newKeySet();

  /**
   * @param gate this process's write gate (the lease and, for a replicated store, the synced stream)
   * @param leaseBucket the lease bucket once connected (null before)
   * @param connection the member's NATS connection (null while there is none)
   * @param followed a store this process follows from its replicated log by name, else null: a
   *     forwarded write's answer waits until that copy has the owner's sequence
   */
  Forwarding(ClusterOptions options, String processId, NodeContext node, Keysets keysets, WriteGate gate,
      Supplier<KeyValue> leaseBucket, Supplier<Connection> connection, Function<String, ReplicaStore> followed) {
    this.followed = followed;
    this.node = node;
    this.processId = processId;
    this.gate = gate;
    this.leaseBucket = leaseBucket;
    this.connection = connection;
    this.mac = mac(keysets);
    this.deadline = options.leaseTtl();
    this.cacheNanos = options.renewEvery().toNanos();
    // One lease round, not a TTL: a standby may take the store at any round (at once after an owner's
    // clean stop released it), and a client told to wait a TTL would wait out a drain that took a round.
    this.retryAfter = Long.toString(Math.max(1, (options.renewEvery().toMillis() + 999) / 1000));
  }

  /** The cluster's call key, made by the first process (copied to the others with the rest of data/keys). */
  static Mac mac(Keysets keysets) {
    try {
      MacConfig.register();
      KeysetHandle handle = keysets.loadOrCreate(KEYSET, PredefinedMacParameters.HMAC_SHA256_256BITTAG);
      return handle.getPrimitive(RegistryConfiguration.get(), Mac.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the cluster's call key (keyset " + KEYSET + ") cannot be used", e);
    }
  }

  /** Starts answering calls for this process once connected (the member calls it on each new connection). */
  synchronized void listen(Connection c) {
    if (listening != null) return;
    Dispatcher d = c.createDispatcher();
    d.subscribe(SUBJECT + processId, this::answer);
    listening = d;
  }

  // ---- the front: forwarding a call

  @Override
  public Future<Message> forward(RpcMethod method, Message request, Caller caller) {
    return forward(method, request, caller, null);
  }

  @Override
  public Future<Message> forward(RpcMethod method, Message request, Caller caller, String clientAddress) {
    if (caller.via() == Caller.Via.FEDERATED) return null; // a linked node's user runs where its request arrived
    String store = node.storeOf(method.fullName());
    if (gate.refusal(store) == null) return null; // this process writes it: run here
    Holder h = holders.get(store);
    if (h != null && System.nanoTime() - h.readNanos() < cacheNanos) return send(h.processId(), store, method, request, caller, clientAddress);
    return node.vertx().<String>executeBlocking(() -> holder(store), false)
        .compose(holder -> send(holder, store, method, request, caller, clientAddress));
  }

  /** The process holding {@code store}'s lease now, read from the bucket; UNAVAILABLE when none does (or NATS cannot say). */
  private String holder(String store) {
    KeyValue kv = leaseBucket.get();
    if (kv == null) throw unavailable("this process is not connected to the cluster's NATS yet");
    KeyValueEntry entry;
    try {
      entry = kv.get(store);
    } catch (Exception e) {
      throw unavailable("the owner of store '" + store + "' cannot be looked up now (" + e.getMessage() + ")");
    }
    if (entry == null || entry.getValue() == null) {
      throw unavailable("store '" + store + "' has no owner right now (its lease is free)");
    }
    String holder = new JsonObject(entry.getValueAsString()).getString("holder", "");
    if (holder.equals(processId)) {
      throw unavailable("this process is taking store '" + store + "' over and does not write it yet");
    }
    holders.put(store, new Holder(holder, System.nanoTime()));
    return holder;
  }

  private Future<Message> send(String holder, String store, RpcMethod method, Message request, Caller caller,
      String clientAddress) {
    Connection c = connection.get();
    if (c == null) return Future.failedFuture(unavailable("this process is not connected to the cluster's NATS"));
    byte[] id = new byte[12];
    random.nextBytes(id);
    String callId = HexFormat.of().formatHex(id);
    ForwardedCall call = ForwardedCall.newBuilder().setCallId(callId).setSender(processId).setStore(store)
        .setMethod(method.fullName()).setRequest(request.toByteString())
        .setUserId(caller.userId() == null ? "" : caller.userId())
        .setSessionId(caller.sessionId() == null ? "" : caller.sessionId()).setVia(caller.via().name())
        .setClientAddress(clientAddress == null ? "" : clientAddress)
        .setExpiresAtMillis(node.clock().millis() + deadline.toMillis()).build();
    byte[] body = call.toByteArray();
    NatsMessage msg = NatsMessage.builder().subject(SUBJECT + holder).headers(signed(body)).data(body).build();
    Promise<Message> out = Promise.promise();
    c.requestWithTimeout(msg, deadline).whenComplete((reply, err) -> {
      if (err != null) {
        holders.remove(store);
        out.fail(unavailable("process " + holder + ", which owns store '" + store + "', did not answer " + method.fullName()
            + " within " + deadline.toMillis() + " ms (" + err.getClass().getSimpleName() + ")"));
        return;
      }
      try {
        ForwardedAnswer a = answer(reply, callId, method);
        Message response = answerOf(a, method);
        caughtUp(store, a.getSequence()).onComplete(v -> out.complete(response));
      } catch (ModuleException e) {
        if (e.code() == ModuleException.Code.UNAVAILABLE) holders.remove(store);
        out.fail(e);
      }
    });
    return out.future();
  }

  /**
   * Completes once this process's copy of {@code store} has reached {@code sequence} (read-your-writes:
   * the client's next call here sees its write), or after one lease TTL; at once when this process does
   * not follow the store.
   */
  private Future<Void> caughtUp(String store, long sequence) {
    ReplicaStore s = sequence > 0 ? followed.apply(store) : null;
    return s == null ? Future.succeededFuture() : ReadYourWrites.await(node.vertx(), store, s::lastSequence, sequence, deadline);
  }

  // io.nats.client.Message written out: protobuf's Message is imported.
  private ForwardedAnswer answer(io.nats.client.Message reply, String callId, RpcMethod method) {
    if (!verified(reply.getHeaders(), reply.getData())) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "the owner's answer to " + method.fullName()
          + " does not carry the cluster's MAC");
    }
    ForwardedAnswer a;
    try {
      a = ForwardedAnswer.parseFrom(reply.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "the owner's answer to " + method.fullName() + " does not decode");
    }
    if (!a.getCallId().equals(callId)) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "the owner answered another call");
    }
    return a;
  }

  private Message answerOf(ForwardedAnswer a, RpcMethod method) {
    if (!a.getErrorCode().isEmpty()) {
      ModuleException e = new ModuleException(code(a.getErrorCode()), a.getMessage());
      a.getDetailsMap().forEach(e::detail);
      throw e;
    }
    try {
      return DynamicMessage.parseFrom(method.descriptor().getOutputType(), a.getResponse());
    } catch (InvalidProtocolBufferException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "the owner's answer to " + method.fullName() + " does not decode");
    }
  }

  private static ModuleException.Code code(String name) {
    try {
      return ModuleException.Code.valueOf(name);
    } catch (IllegalArgumentException e) {
      return ModuleException.Code.INTERNAL;
    }
  }

  private ModuleException unavailable(String message) {
    return new ModuleException(ModuleException.Code.UNAVAILABLE, message).detail("retryAfterSeconds", retryAfter);
  }

  // ---- the owner: answering a forwarded call

  private void answer(io.nats.client.Message msg) {
    if (msg.getReplyTo() == null) return;
    ForwardedCall call;
    try {
      call = ForwardedCall.parseFrom(msg.getData());
    } catch (InvalidProtocolBufferException e) {
      reply(msg, "", failure(new ModuleException(ModuleException.Code.INVALID_ARGUMENT, "a forwarded call that does not decode")));
      return;
    }
    if (!verified(msg.getHeaders(), msg.getData())) {
      log.warn("refused a forwarded call of {} without a valid MAC (claimed sender {}, user {})", call.getMethod(),
          call.getSender(), call.getUserId());
      reply(msg, call.getCallId(), failure(new ModuleException(ModuleException.Code.PERMISSION_DENIED,
          "a forwarded call must carry the cluster's MAC (keyset " + KEYSET + ")")));
      return;
    }
    Future<ForwardedAnswer.Builder> answer;
    try {
      answer = run(call);
    } catch (ModuleException e) {
      answer = Future.succeededFuture(failure(e));
    }
    CompletableFuture<Void> replied = new CompletableFuture<>();
    running.add(replied); // a clean stop waits for it (close)
    answer.recover(err -> Future.succeededFuture(failure(err))).onSuccess(a -> reply(msg, call.getCallId(), a))
        .onComplete(x -> {
          running.remove(replied);
          replied.complete(null);
        });
  }

  private Future<ForwardedAnswer.Builder> run(ForwardedCall call) {
    if (node.clock().millis() > call.getExpiresAtMillis()) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the forwarded call expired before the owner got it");
    }
    ModuleException refused = gate.refusal(call.getStore());
    if (refused != null) throw refused;
    Optional<RpcMethod> method = node.method(call.getMethod());
    if (method.isEmpty()) throw new ModuleException(ModuleException.Code.UNIMPLEMENTED, "no such method here: " + call.getMethod());
    if (!node.storeOf(call.getMethod()).equals(call.getStore())) {
      throw ModuleException.invalidArgument(call.getMethod() + " does not write store '" + call.getStore() + "'");
    }
    Caller caller = caller(call);
    Promise<byte[]> done = Promise.promise();
    // The handler runs on a Vert.x context, as a call that arrived over HTTP does.
    node.vertx().runOnContext(v -> node.dispatchAs(call.getMethod(), call.getRequest().toByteArray(), caller,
        call.getClientAddress()).onComplete(done));
    return done.future().map(bytes -> ForwardedAnswer.newBuilder().setResponse(ByteString.copyFrom(bytes))
        .setSequence(lastSequence(call.getStore())));
  }

  /** The store's last sequence here (the owner's, just after the call wrote it); 0 when it is not open. */
  private long lastSequence(String store) {
    for (ReplicaStore s : node.stores()) if (s.name().equals(store)) return s.lastSequence();
    return 0;
  }

  /** The caller as this process's own identity data has it now. */
  private Caller caller(ForwardedCall call) {
    Caller.Via via;
    try {
      via = Caller.Via.valueOf(call.getVia());
    } catch (IllegalArgumentException e) {
      throw ModuleException.invalidArgument("a forwarded call's caller comes by '" + call.getVia() + "'");
    }
    if (via == Caller.Via.NONE) return Caller.ANONYMOUS;
    if (via == Caller.Via.FEDERATED) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "a linked node's user is not forwarded in the cluster");
    }
    return node.callerNow(call.getUserId(), call.getSessionId().isEmpty() ? null : call.getSessionId(), via)
        .orElseThrow(() -> new ModuleException(ModuleException.Code.UNAUTHENTICATED,
            "user " + call.getUserId() + " is unknown or disabled on the process that owns store '" + call.getStore() + "'"));
  }

  private static ForwardedAnswer.Builder failure(Throwable err) {
    ModuleException e = err instanceof ModuleException m ? m
        : new ModuleException(ModuleException.Code.INTERNAL, "internal error on the owner; details are in its log");
    if (!(err instanceof ModuleException)) log.error("a forwarded call failed unexpectedly", err);
    return ForwardedAnswer.newBuilder().setErrorCode(e.code().name()).setMessage(String.valueOf(e.getMessage()))
        .putAllDetails(e.details());
  }

  private void reply(io.nats.client.Message to, String callId, ForwardedAnswer.Builder answer) {
    byte[] body = answer.setCallId(callId).build().toByteArray();
    Connection c = connection.get();
    if (c == null) return; // the front times out and answers UNAVAILABLE
    c.publish(NatsMessage.builder().subject(to.getReplyTo()).headers(signed(body)).data(body).build());
  }

  // ---- MACs

  Headers signed(byte[] body) {
    try {
      return new Headers().put(MAC_HEADER, Base64.getEncoder().encodeToString(mac.computeMac(body)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot MAC a forwarded call", e);
    }
  }

  boolean verified(Headers headers, byte[] body) {
    String tag = headers == null ? null : headers.getFirst(MAC_HEADER);
    if (tag == null || body == null) return false;
    try {
      mac.verifyMac(Base64.getDecoder().decode(tag), body);
      return true;
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Stops answering at once (a crash-like stop: the fronts' calls then time out or find the next owner). */
  synchronized void close() {
    close(Duration.ZERO);
  }

  /**
   * A clean stop that drains: takes no new call (a front's next call finds no listener and answers
   * UNAVAILABLE, so its client retries on the next owner), runs the calls already received, and
   * waits up to {@code wait} until each of them has been answered. Blocking.
   */
  synchronized void close(Duration wait) {
    Dispatcher d = listening;
    listening = null;
    Connection c = connection.get();
    if (d == null || c == null) return;
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      if (!wait.isZero()) d.drain(wait).get(wait.toMillis() + 1000, TimeUnit.MILLISECONDS); // hands queued calls to answer()
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("process {} stopped with {} forwarded calls unanswered after {} ms", processId, running.size(), wait.toMillis());
    } finally {
      if (d.isActive()) c.closeDispatcher(d);
    }
  }
}
