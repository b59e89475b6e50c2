package dev.hearth.cluster;

import dev.hearth.cluster.v1.MoveResult;
import dev.hearth.cluster.v1.MoveStep;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.module.ModuleException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.KeyValue;
import io.nats.client.Message;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.impl.NatsMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned move of a store's lease to another process ({@code hearth cluster move}), run by the
 * process that received the call (the coordinator) over NATS request/reply with the owner and the
 * target, each message MACed with the cluster's {@code cluster-calls} keyset ({@link Forwarding}):
 * <ol>
 *   <li><b>fence</b> (owner): it stops taking the store's writes ({@link Leases#fence}) but keeps
 *       renewing the lease; the fence lifts by itself after {@link #FENCE}, should the coordinator die;
 *   <li><b>catch-up</b> (target): its follower takes in the replicated log up to its last message;
 *   <li><b>hand-over</b> (owner): compare-and-set of the lease to name the target ({@link Leases#handOver});
 *   <li><b>adopt</b> (target): it renews the lease handed to it ({@link Leases#adopt}), syncs
 *       (the take-over marker) and takes the writes.
 * </ol>
 * Any failure before the hand-over lifts the fence (the owner writes again). Safety does not rest on
 * this order: the lease's compare-and-set and the stream's expected last sequence fence as in a
 * failover (docs/cluster.md); the order only keeps the pause short.
 */
final class Moves {

  static final String SUBJECT = "hearth.cluster.move.";
  /** How long an owner stays fenced without a hand-over (the coordinator died, NATS broke). */
  static final Duration FENCE = Duration.ofSeconds(30);
  /** How long the target may take to catch up with the replicated log. */
  static final Duration CATCH_UP = Duration.ofSeconds(15);
  private static final Duration REQUEST = Duration.ofSeconds(20);
  private static final Logger log = LoggerFactory.getLogger(Moves.class);

  private final ClusterMember member;
  private final Forwarding macs;
  private final Function<String, ReplicaStore> stores;
  private final Clock clock;
  /** The owner's and the target's side run here, off NATS's dispatcher thread. */
  private final ExecutorService steps;
  private volatile Dispatcher listening;

  Moves(ClusterMember member, Forwarding macs, Function<String, ReplicaStore> stores, Clock clock) {
    this.member = member;
    this.macs = macs;
    this.stores = stores;
    this.clock = clock;
    this.steps = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "hearth-move-" + member.processId);
      t.setDaemon(true);
      return t;
    });
  }

  /** Answers move steps on {@code hearth.cluster.move.<process id>} (once connected). */
  synchronized void listen(Connection c) {
    if (listening != null) return;
    Dispatcher d = c.createDispatcher();
    d.subscribe(SUBJECT + member.processId, m -> steps.execute(() -> answer(c, m)));
    listening = d;
  }

  synchronized void close() {
    Dispatcher d = listening;
    listening = null;
    Connection c = member.connection();
    if (d != null && c != null) c.closeDispatcher(d);
    steps.shutdownNow();
  }

  // ---- the coordinator

  /** Moves {@code store} to process {@code to}; blocking (up to about a minute). */
  MoveResult move(String store, String to) {
    if (store == null || store.isBlank()) throw invalid("store: required (the store to move, e.g. chat)");
    if (to == null || to.isBlank()) throw invalid("to: required (the id of the process that takes the store over)");
    KeyValue leases = member.leaseBucket();
    KeyValue processes = member.processBucket();
    if (leases == null || processes == null || member.connection() == null) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "this process has not reached NATS yet")
          .detail("retryAfterSeconds", "1");
    }
    JsonObject lease = read(leases, store);
    JsonObject target = read(processes, to);
    if (lease == null && !anyProcessKnows(processes, store)) {
      throw new ModuleException(ModuleException.Code.NOT_FOUND, "store: no store '" + store + "' in this cluster (no"
          + " process owns it, may own it or has it open)");
    }
    if (target == null) {
      throw new ModuleException(ModuleException.Code.NOT_FOUND, "to: no live process '" + to + "' in this cluster"
          + " (no heartbeat: it is not running or cannot reach NATS; see hearth cluster status)");
    }
    if (!mayOwn(target, store)) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "to: process '" + to + "' may not own store '"
          + store + "' (its cluster.owns is " + target.getJsonArray("owns", new JsonArray()).encode() + ")");
    }
    if (lease == null) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "store '" + store + "' has no owner right"
          + " now, so there is nothing to hand over: the first process that may own it takes it")
          .detail("retryAfterSeconds", "1");
    }
    String from = lease.getString("holder", "");
    MoveResult.Builder out = MoveResult.newBuilder().setStore(store).setFrom(from).setTo(to);
    if (from.equals(to)) return out.setOutcome("already-there").build();

    long start = System.nanoTime();
    log.info("moving store {} from process {} to process {}", store, from, to);
    JsonObject fenced = ask(from, new JsonObject().put("op", "fence").put("store", store).put("to", to), "fence");
    step(out, start, "fenced", from + " stopped taking writes of " + store + " at sequence " + fenced.getLong("lastSequence"));
    long handedRevision;
    try {
      JsonObject caught = ask(to, new JsonObject().put("op", "catch-up").put("store", store), "catch-up");
      step(out, start, "caught-up", to + " has the replicated log of " + store + " up to sequence "
          + caught.getLong("lastSequence"));
      handedRevision = ask(from, new JsonObject().put("op", "hand-over").put("store", store).put("to", to), "hand-over")
          .getLong("revision");
    } catch (ModuleException e) {
      abort(from, store);
      throw e;
    }
    step(out, start, "handed-over", "the lease of " + store + " names " + to + " (revision " + handedRevision + ")");
    JsonObject adopted = ask(to, new JsonObject().put("op", "adopt").put("store", store).put("revision", handedRevision),
        "adopt");
    long pause = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (!adopted.getBoolean("writing", false)) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the lease of store '" + store + "' was handed to "
          + to + ", which has not synced with the replicated log yet; it takes writes once it has (its log says why)")
          .detail("retryAfterSeconds", "1");
    }
    step(out, start, "writing", to + " synced and takes the writes of " + store);
    log.info("moved store {} from process {} to process {}: writes paused {} ms", store, from, to, pause);
    return out.setOutcome("moved").setWritePauseMillis(pause).setLeaseRevision(adopted.getLong("revision")).build();
  }

  private static void step(MoveResult.Builder out, long start, String step, String detail) {
    out.addSteps(MoveStep.newBuilder().setStep(step).setDetail(detail)
        .setAtMillis(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
  }

  private void abort(String from, String store) {
    try {
      ask(from, new JsonObject().put("op", "abort").put("store", store), "abort");
    } catch (ModuleException e) {
      log.warn("process {} was not told the move of store {} failed ({}): it writes again after its fence ({} s)", from,
          store, e.getMessage(), FENCE.toSeconds());
    }
  }

  /** Sends a step to a process and waits for its answer; its refusal comes back as the same ModuleException. */
  private JsonObject ask(String process, JsonObject step, String what) {
    Connection c = member.connection();
    if (c == null) throw new ModuleException(ModuleException.Code.UNAVAILABLE, "this process lost NATS").detail("retryAfterSeconds", "1");
    byte[] body = step.put("expiresAt", clock.millis() + REQUEST.toMillis()).encode().getBytes(StandardCharsets.UTF_8);
    Message reply;
    try {
      reply = c.requestWithTimeout(NatsMessage.builder().subject(SUBJECT + process).headers(macs.signed(body)).data(body)
          .build(), REQUEST).get(REQUEST.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "interrupted");
    } catch (Exception e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "process " + process + " did not answer the move's "
          + what + " step (" + e.getClass().getSimpleName() + ")").detail("retryAfterSeconds", "1");
    }
    if (!macs.verified(reply.getHeaders(), reply.getData())) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "process " + process
          + "'s answer does not carry the cluster's MAC: do all processes have the same keys (data/keys, docs/cluster.md)?");
    }
    JsonObject answer = new JsonObject(new String(reply.getData(), StandardCharsets.UTF_8));
    if (answer.containsKey("error")) {
      throw new ModuleException(ModuleException.Code.valueOf(answer.getString("error")), answer.getString("message"));
    }
    return answer;
  }

  private static boolean mayOwn(JsonObject process, String store) {
    JsonArray owns = process.getJsonArray("owns", new JsonArray());
    return owns.contains(store) || owns.contains("*") && process.getJsonObject("stores", new JsonObject()).containsKey(store);
  }

  private static boolean anyProcessKnows(KeyValue processes, String store) {
    try {
      for (String key : processes.keys()) {
        JsonObject p = read(processes, key);
        if (p != null && (p.getJsonArray("owns", new JsonArray()).contains(store)
            || p.getJsonObject("stores", new JsonObject()).containsKey(store))) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the cluster's processes cannot be read: " + e.getMessage())
          .detail("retryAfterSeconds", "1");
    }
  }

  private static JsonObject read(KeyValue kv, String key) {
    try {
      KeyValueEntry e = kv.get(key);
      return e == null || e.getValue() == null ? null : new JsonObject(new String(e.getValue(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return null; // not a valid key: no such store or process
    } catch (Exception e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the cluster's buckets cannot be read: " + e.getMessage())
          .detail("retryAfterSeconds", "1");
    }
  }

  private static ModuleException invalid(String message) {
    return new ModuleException(ModuleException.Code.INVALID_ARGUMENT, message);
  }

  // ---- the owner's and the target's side

  private void answer(Connection c, Message m) {
    JsonObject answer;
    try {
      answer = run(m);
    } catch (ModuleException e) {
      answer = new JsonObject().put("error", e.code().name()).put("message", e.getMessage());
    } catch (Exception e) {
      log.warn("move step failed on process {}", member.processId, e);
      answer = new JsonObject().put("error", ModuleException.Code.UNAVAILABLE.name())
          .put("message", "process " + member.processId + " failed the step: " + e.getMessage());
    }
    if (m.getReplyTo() == null) return;
    byte[] body = answer.encode().getBytes(StandardCharsets.UTF_8);
    c.publish(NatsMessage.builder().subject(m.getReplyTo()).headers(macs.signed(body)).data(body).build());
  }

  private JsonObject run(Message m) throws Exception {
    if (!macs.verified(m.getHeaders(), m.getData())) {
      log.warn("process {} refused a move step without the cluster's MAC", member.processId);
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "a move step must carry the cluster's MAC");
    }
    JsonObject step = new JsonObject(new String(m.getData(), StandardCharsets.UTF_8));
    if (step.getLong("expiresAt", 0L) < clock.millis()) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the move step expired before it arrived");
    }
    String store = step.getString("store", "");
    Leases leases = member.leases;
    switch (step.getString("op", "")) {
      case "fence" -> {
        if (!leases.fence(store, step.getString("to", ""), FENCE)) {
          throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "process " + member.processId
              + " does not hold store '" + store + "' now (its owner changed meanwhile)");
        }
        return new JsonObject().put("lastSequence", lastSequence(store));
      }
      case "catch-up" -> {
        if (member.replication == null || !member.replication.catchUp(store, CATCH_UP)) {
          throw new ModuleException(ModuleException.Code.UNAVAILABLE, "process " + member.processId + " did not catch up"
              + " with the replicated log of store '" + store + "' within " + CATCH_UP.toSeconds() + " s")
              .detail("retryAfterSeconds", "5");
        }
        return new JsonObject().put("lastSequence", lastSequence(store));
      }
      case "hand-over" -> {
        String to = step.getString("to", "");
        long revision = member.onRoundThread(() -> leases.handOver(member.leaseBucket(), store, to));
        return new JsonObject().put("revision", revision);
      }
      case "adopt" -> {
        long revision = member.onRoundThread(() -> leases.adopt(member.leaseBucket(), store, step.getLong("revision")));
        boolean writing = member.replication == null || member.replication.syncNow(store, CATCH_UP);
        return new JsonObject().put("revision", revision).put("writing", writing);
      }
      case "abort" -> {
        leases.unfence(store);
        return new JsonObject();
      }
      default -> throw invalid("op: unknown move step '" + step.getString("op") + "'");
    }
  }

  private long lastSequence(String store) {
    ReplicaStore s = stores.apply(store);
    return s == null ? -1 : s.lastSequence();
  }
}
