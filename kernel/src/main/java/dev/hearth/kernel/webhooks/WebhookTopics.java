package dev.hearth.kernel.webhooks;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.api.v1.Level;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import dev.hearth.webhooks.v1.Webhook;
import dev.hearth.webhooks.v1.WebhookRecord;
import dev.hearth.webhooks.v1.WebhookState;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The notice when the node disables a webhook: {@code webhook.disabled} on {@code webhooks/org/<org id>}
 * (every webhook of the org and its projects; org-admins) and, for a project's webhook, on
 * {@code webhooks/project/<project id>} (project-admins), routed from the kernel store's change log
 * like any module's topics, so a client that was away gets it on resume. Never the secret: only the
 * id, tenant, reason and time.
 */
final class WebhookTopics implements Topics {

  private final Authorization authorization;

  WebhookTopics(Authorization authorization) {
    this.authorization = authorization;
  }

  @Override
  public void authorize(Caller caller, String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 3 || parts[2].isEmpty() || !(parts[1].equals("org") || parts[1].equals("project"))) {
      throw ModuleException.badField("topic", "webhook topics are webhooks/org/<org id> and webhooks/project/<project id>");
    }
    Level level = parts[1].equals("org") ? Level.ORG_ADMIN : Level.PROJECT_ADMIN;
    if (!authorization.allows(caller, level, parts[2])) throw ModuleException.notFound("no topic " + topic);
  }

  @Override
  public List<TopicEvent> route(ChangeEvent event) {
    if (!event.collection().equals(WebhookBook.HOOKS) || event.op() != ChangeEvent.Op.PUT) return List.of();
    Webhook w;
    try {
      w = WebhookRecord.parseFrom(event.value()).getWebhook();
    } catch (InvalidProtocolBufferException e) {
      return List.of();
    }
    // Only the write that disabled it: later writes of a disabled webhook (none from its lanes) say nothing new.
    if (w.getState() != WebhookState.DISABLED || !WebhookBook.ACTOR.equals(event.actor())
        || w.getDisabledAt() * 1000 < event.timeMicros() - 60_000_000L) {
      return List.of();
    }
    JsonObject data = new JsonObject().put("webhookId", w.getId()).put("orgId", w.getOrgId())
        .put("projectId", w.getProjectId()).put("reason", w.getDisabledReason()).put("disabledAt", w.getDisabledAt());
    List<TopicEvent> out = new ArrayList<>(2);
    out.add(new TopicEvent("webhooks/org/" + w.getOrgId(), "webhook.disabled", data));
    if (!w.getProjectId().isEmpty()) {
      out.add(new TopicEvent("webhooks/project/" + w.getProjectId(), "webhook.disabled", data));
    }
    return out;
  }
}
