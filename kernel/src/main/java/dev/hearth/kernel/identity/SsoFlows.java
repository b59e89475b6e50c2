package dev.hearth.kernel.identity;

import dev.hearth.module.ModuleException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-ins under way, in memory: a restart forgets them (a browser then starts again). A flow is
 * found by its {@code state} once (the provider's answer) and by its id with the starter's handoff
 * secret until it is completed or expires, so a replayed answer or a flow id seen by someone else
 * leads nowhere.
 */
final class SsoFlows {

  static final long TTL_MILLIS = 10 * 60_000;
  static final int MAX_PENDING = 10_000;

  /** One sign-in. {@code outcome} is set once the provider has answered: the identity, or why it was refused. */
  static final class Flow {
    final String id;
    final String handoffHash;
    final OidcClient client;
    final OidcClient.Pending pending;
    final String returnTo;
    final long expiresAt;
    volatile OidcClient.Verified verified;
    volatile ModuleException refused;

    Flow(String id, String handoffHash, OidcClient client, OidcClient.Pending pending, String returnTo, long expiresAt) {
      this.id = id;
      this.handoffHash = handoffHash;
      this.client = client;
      this.pending = pending;
      this.returnTo = returnTo;
      this.expiresAt = expiresAt;
    }

    boolean answered() {
      return verified != null || refused != null;
    }
  }

  private final Map<String, Flow> byId = new ConcurrentHashMap<>();
  private final Map<String, Flow> byState = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final Clock clock;

  SsoFlows(Vertx vertx, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
  }

  /**
   * The provider's answer ({@code GET /v1/auth/sso/callback}): checks it and records the outcome on
   * its flow, then says where to send the browser. Fails (for a 400 page) when the state is unknown,
   * expired or was used already.
   */
  Future<String> callback(String state, String code, String error, String errorDescription) {
    Optional<Flow> found = takeByState(state);
    if (found.isEmpty()) {
      return Future.failedFuture(ModuleException.badField("state",
          "this sign-in answer is unknown, expired or was used already; start the sign-in again"));
    }
    Flow flow = found.get();
    Future<Void> checked;
    if (error != null && !error.isEmpty()) {
      flow.refused = OidcClient.refused("auth.sso.providerError", "the sign-in provider said: " + error
          + (errorDescription == null ? "" : " (" + errorDescription + ")"), error);
      checked = Future.succeededFuture();
    } else if (code == null || code.isEmpty()) {
      flow.refused = OidcClient.refused("auth.sso.providerError", "the sign-in provider sent no code", "no code");
      checked = Future.succeededFuture();
    } else {
      checked = vertx.executeBlocking(() -> flow.client.finish(flow.pending, code), false)
          .andThen(ar -> {
            if (ar.succeeded()) flow.verified = ar.result();
            else flow.refused = ar.cause() instanceof ModuleException m ? m
                : OidcClient.refused("auth.sso.badToken", "the sign-in could not be checked", "");
          }).mapEmpty();
    }
    return checked.otherwiseEmpty().map(v -> withFlow(flow.returnTo, flow.id));
  }

  private static String withFlow(String returnTo, String flowId) {
    int hash = returnTo.indexOf('#');
    String base = hash < 0 ? returnTo : returnTo.substring(0, hash);
    String fragment = hash < 0 ? "" : returnTo.substring(hash);
    return base + (base.contains("?") ? "&" : "?") + "sso=" + flowId + fragment;
  }

  Flow add(OidcClient client, OidcClient.Pending pending, String returnTo, String handoff) {
    sweep();
    if (byId.size() >= MAX_PENDING) {
      throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "too many sign-ins under way; try again in a minute")
          .detail("retryAfterSeconds", "60");
    }
    Flow flow = new Flow(Secrets.random(), Secrets.sha256(handoff), client, pending, returnTo, clock.millis() + TTL_MILLIS);
    byId.put(flow.id, flow);
    byState.put(pending.state().getValue(), flow);
    return flow;
  }

  /** The flow a provider's answer belongs to; each state is taken once. */
  Optional<Flow> takeByState(String state) {
    Flow flow = state == null ? null : byState.remove(state);
    return Optional.ofNullable(flow).filter(f -> f.expiresAt > clock.millis());
  }

  /** The flow {@code flowId} when {@code handoff} is its starter's secret; else empty. */
  Optional<Flow> find(String flowId, String handoff) {
    Flow flow = flowId == null ? null : byId.get(flowId);
    if (flow == null || flow.expiresAt <= clock.millis() || handoff == null
        || !Secrets.same(flow.handoffHash, Secrets.sha256(handoff))) {
      return Optional.empty();
    }
    return Optional.of(flow);
  }

  void remove(Flow flow) {
    byId.remove(flow.id);
    byState.remove(flow.pending.state().getValue());
  }

  private void sweep() {
    long now = clock.millis();
    byId.values().removeIf(f -> f.expiresAt <= now);
    byState.values().removeIf(f -> f.expiresAt <= now);
  }
}
