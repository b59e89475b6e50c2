package dev.hearth.kernel.identity;

import dev.hearth.module.ModuleException;
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
  private final Clock clock;

  SsoFlows(Clock clock) {
    this.clock = clock;
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
