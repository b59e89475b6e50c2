package dev.hearth.kernel.webhooks;

import com.google.protobuf.ByteString;
import dev.hearth.api.v1.Level;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.realtime.RealtimeHub.ModuleFeed;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.webhooks.v1.Delivery;
import dev.hearth.webhooks.v1.DeliveryRecord;
import dev.hearth.webhooks.v1.DeliveryStatus;
import dev.hearth.webhooks.v1.Webhook;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a change event delivers to a webhook, and the delivery log entries it makes: the rules of
 * tenant, topics and the creator's current rights, apart from the lanes that send.
 */
final class Selection {

  private static final Logger log = LoggerFactory.getLogger(Selection.class);

  /** A topic event of a change event that goes to a webhook; {@code index} is its place in the module's routing. */
  record Item(int index, TopicEvent event) {}

  /** The webhook's creator may no longer do what the webhook does for them. */
  static final class CreatorLost extends RuntimeException {
    CreatorLost(String message) {
      super(message, null, false, false);
    }
  }

  private final Identity identity;

  Selection(Identity identity) {
    this.identity = identity;
  }

  /**
   * What {@code event} delivers to {@code hook}: only events of the webhook's tenant (its project, or
   * a project of its org; unscoped events never), routed by the module, matching a pattern, and
   * readable by the creator now as a realtime subscription of theirs would be.
   *
   * @throws CreatorLost when the creator's account is gone or disabled, or they no longer
   *     administer the webhook's tenant (checked only when the event would deliver something)
   */
  List<Item> itemsFor(Hook hook, ModuleFeed feed, ChangeEvent event) {
    Webhook w = hook.record().getWebhook();
    String scope = event.scope();
    if (scope.isEmpty()) return List.of();
    if (!w.getProjectId().isEmpty() ? !scope.equals(w.getProjectId())
        : !identity.orgOfProject(scope).map(w.getOrgId()::equals).orElse(false)) {
      return List.of();
    }
    List<TopicEvent> routed;
    try {
      routed = feed.topics().route(event);
    } catch (RuntimeException e) {
      log.error("module {} failed to route {} for webhook {}: {}", feed.moduleId(), event, w.getId(), e.toString());
      return List.of();
    }
    if (routed == null || routed.isEmpty()) return List.of();
    List<Item> items = new ArrayList<>();
    Caller creator = null;
    for (int i = 0; i < routed.size(); i++) {
      TopicEvent te = routed.get(i);
      if (!TopicPattern.anyMatches(hook.patterns(), te.topic())) continue;
      if (creator == null) creator = creator(w);
      try {
        feed.topics().authorize(creator, te.topic());
        items.add(new Item(i, te));
      } catch (ModuleException e) {
        // The creator could not subscribe to this topic (a private channel they are not in): not theirs to export.
      }
    }
    return items;
  }

  private Caller creator(Webhook w) {
    Caller c = identity.actingAs(w.getCreatedBy())
        .orElseThrow(() -> new CreatorLost("its creator's account " + w.getCreatedBy() + " is gone or disabled"));
    boolean allowed = !w.getCommand().isEmpty() ? c.sysAdmin()
        : !w.getProjectId().isEmpty() ? identity.authorization().allows(c, Level.PROJECT_ADMIN, w.getProjectId())
        : identity.authorization().allows(c, Level.ORG_ADMIN, w.getOrgId());
    if (!allowed) {
      throw new CreatorLost("its creator " + w.getCreatedBy() + " no longer administers "
          + (!w.getCommand().isEmpty() ? "the node" : !w.getProjectId().isEmpty() ? "project " + w.getProjectId()
          : "org " + w.getOrgId()));
    }
    return c;
  }

  /** A new log entry for one item, with the body every attempt of it sends. */
  static DeliveryRecord newDelivery(String hookId, String module, ChangeEvent event, Item item) {
    String id = WebhookBook.deliveryId(hookId, module, event.sequence(), item.index());
    JsonObject body = new JsonObject()
        .put("id", id)
        .put("topic", item.event().topic())
        .put("type", item.event().type())
        .put("module", module)
        .put("sequence", event.sequence())
        .put("occurredAt", Instant.EPOCH.plus(event.timeMicros(), ChronoUnit.MICROS).toString())
        .put("data", item.event().data());
    return DeliveryRecord.newBuilder()
        .setDelivery(Delivery.newBuilder().setId(id).setTopic(item.event().topic()).setType(item.event().type())
            .setModule(module).setSequence(event.sequence()).setStatus(DeliveryStatus.PENDING))
        .setBody(ByteString.copyFrom(body.encode(), StandardCharsets.UTF_8))
        .build();
  }

  /** The log entry after one more attempt. */
  static DeliveryRecord attempted(DeliveryRecord r, Attempt a) {
    long now = System.currentTimeMillis();
    Delivery.Builder d = r.getDelivery().toBuilder()
        .setAttempts(r.getDelivery().getAttempts() + 1)
        .setLastStatus(a.status()).setLastError(a.error()).setLastAttemptAt(now);
    if (d.getFirstAttemptAt() == 0) d.setFirstAttemptAt(now);
    if (a.ok()) d.setStatus(DeliveryStatus.DELIVERED).setDeliveredAt(now);
    return r.toBuilder().setDelivery(d).build();
  }
}
