package dev.hearth.kernel.webhooks;

import dev.hearth.api.v1.Level;
import dev.hearth.kernel.config.WebhooksOptions;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Store;
import dev.hearth.webhooks.v1.CreateOrgWebhookRequest;
import dev.hearth.webhooks.v1.CreateProjectWebhookRequest;
import dev.hearth.webhooks.v1.CreatedWebhook;
import dev.hearth.webhooks.v1.DeleteWebhookRequest;
import dev.hearth.webhooks.v1.DeleteWebhookResponse;
import dev.hearth.webhooks.v1.DeliveryRecord;
import dev.hearth.webhooks.v1.GetWebhookRequest;
import dev.hearth.webhooks.v1.ListDeliveriesRequest;
import dev.hearth.webhooks.v1.ListDeliveriesResponse;
import dev.hearth.webhooks.v1.ListOrgWebhooksRequest;
import dev.hearth.webhooks.v1.ListProjectWebhooksRequest;
import dev.hearth.webhooks.v1.ListWebhooksResponse;
import dev.hearth.webhooks.v1.RedeliverRequest;
import dev.hearth.webhooks.v1.RotateWebhookSecretRequest;
import dev.hearth.webhooks.v1.UpdateWebhookRequest;
import dev.hearth.webhooks.v1.Webhook;
import dev.hearth.webhooks.v1.WebhookRecord;
import dev.hearth.webhooks.v1.WebhookState;
import dev.hearth.webhooks.v1.WebhooksProto;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code hearth.webhooks.v1.WebhooksService}. Creating is guarded by the access rules (org-admin of
 * the org, project-admin of the project); the calls that name a webhook by id check here that the
 * caller administers its tenant now, and answer NOT_FOUND otherwise, so ids cannot be probed.
 */
public final class WebhooksApi {

  /** Each webhook is a lane per module and a delivery stream; an org (with its projects) gets this many. */
  static final int MAX_PER_ORG = 100;

  private final WebhookBook book;
  private final WebhookDispatcher dispatcher;
  private final Identity identity;
  private final WebhookRules rules;

  private WebhooksApi(WebhookBook book, WebhookDispatcher dispatcher, Identity identity, WebhookRules rules) {
    this.book = book;
    this.dispatcher = dispatcher;
    this.identity = identity;
    this.rules = rules;
  }

  /** Starts delivering the stored webhooks; the API is ready when the future is. */
  public static Future<WebhooksApi> start(Vertx vertx, Store kernel, WebhooksOptions options,
      Identity identity, RealtimeHub hub) {
    WebhookBook book = new WebhookBook(kernel);
    WebhookDispatcher dispatcher = new WebhookDispatcher(vertx, book, options, identity, hub);
    WebhookRules rules = new WebhookRules(options, dispatcher.policy(), hub);
    // The notices of disabled webhooks, as topics of the kernel store's log (module id "webhooks").
    hub.forModule("webhooks", kernel).topics(new WebhookTopics(identity.authorization()));
    return dispatcher.start().map(v -> new WebhooksApi(book, dispatcher, identity, rules));
  }

  public Future<Void> close() {
    return dispatcher.close();
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(WebhooksProto.getDescriptor().findServiceByName("WebhooksService"))
        .unary("CreateOrgWebhook", CreateOrgWebhookRequest.getDefaultInstance(), (c, r) ->
            create(c, r.getOrgId(), "", r.getEndpoint(), r.getCommand(), r.getTopicsList(), r.getDescription()))
        .unary("CreateProjectWebhook", CreateProjectWebhookRequest.getDefaultInstance(), (c, r) ->
            create(c, identity.orgOfProject(r.getProjectId()).orElseThrow(() ->
                ModuleException.notFound("no project " + r.getProjectId())), r.getProjectId(), r.getEndpoint(), r.getCommand(),
                r.getTopicsList(), r.getDescription()))
        .unary("ListOrgWebhooks", ListOrgWebhooksRequest.getDefaultInstance(), (c, r) ->
            Future.succeededFuture(list(w -> w.getOrgId().equals(r.getOrgId()))))
        .unary("ListProjectWebhooks", ListProjectWebhooksRequest.getDefaultInstance(), (c, r) ->
            Future.succeededFuture(list(w -> w.getProjectId().equals(r.getProjectId()))))
        .unary("GetWebhook", GetWebhookRequest.getDefaultInstance(), (c, r) ->
            Future.succeededFuture(visible(c, r.getWebhookId()).getWebhook()))
        .unary("UpdateWebhook", UpdateWebhookRequest.getDefaultInstance(), this::update)
        .unary("DeleteWebhook", DeleteWebhookRequest.getDefaultInstance(), (c, r) -> {
          visible(c, r.getWebhookId());
          return book.delete(c.caller().userId(), r.getWebhookId()).map(v -> {
            dispatcher.deleted(r.getWebhookId());
            return DeleteWebhookResponse.getDefaultInstance();
          });
        })
        .unary("RotateWebhookSecret", RotateWebhookSecretRequest.getDefaultInstance(), (c, r) -> {
          visible(c, r.getWebhookId());
          String secret = Signatures.newSecret();
          return book.update(c.caller().userId(), r.getWebhookId(), w -> w.toBuilder().setSecret(secret).build())
              .map(w -> {
                dispatcher.changed(w);
                return CreatedWebhook.newBuilder().setWebhook(w.getWebhook()).setSecret(secret).build();
              });
        })
        .unary("ListDeliveries", ListDeliveriesRequest.getDefaultInstance(), this::deliveries)
        .unary("Redeliver", RedeliverRequest.getDefaultInstance(), (c, r) -> {
          visible(c, r.getWebhookId());
          String key = WebhookBook.keyOf(r.getWebhookId(), r.getDeliveryId()).orElseThrow(() ->
              ModuleException.badField("delivery_id", "'" + r.getDeliveryId() + "' is not a delivery id of webhook "
                  + r.getWebhookId() + " (<webhook id>.<module>.<sequence>.<index>)"));
          return dispatcher.redeliver(r.getWebhookId(), key);
        })
        .build();
  }

  private Future<CreatedWebhook> create(Call call, String orgId, String projectId, String url, String command,
      List<String> topics, String description) {
    Caller caller = call.caller();
    if (book.all().stream().filter(r -> r.getWebhook().getOrgId().equals(orgId)).count() >= MAX_PER_ORG) {
      throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "org " + orgId + " has " + MAX_PER_ORG
          + " webhooks (its own and its projects'), the most it may have; delete one first");
    }
    WebhookRules.Checked checked = rules.check(caller, url, command, topics, description);
    String secret = Signatures.newSecret();
    Webhook.Builder w = Webhook.newBuilder().setId(Ids.next()).setOrgId(orgId).setProjectId(projectId)
        .setEndpoint(url.strip()).setCommand(command.strip()).addAllTopics(topics).setDescription(description.strip())
        .setState(WebhookState.ACTIVE).setCreatedBy(caller.userId()).setCreatedAt(System.currentTimeMillis())
        .putAllPositions(checked.positions()); // from now: events before the webhook existed are not sent
    WebhookRecord record = WebhookRecord.newBuilder().setWebhook(w).setSecret(secret).build();
    return book.create(caller.userId(), record).map(r -> {
      dispatcher.changed(r);
      return CreatedWebhook.newBuilder().setWebhook(r.getWebhook()).setSecret(secret).build();
    });
  }

  private ListWebhooksResponse list(Predicate<Webhook> which) {
    return ListWebhooksResponse.newBuilder()
        .addAllWebhooks(book.all().stream().map(WebhookRecord::getWebhook).filter(which).toList()).build();
  }

  /** The webhook if the caller administers its tenant now; NOT_FOUND otherwise, as for one that does not exist. */
  private WebhookRecord visible(Call call, String id) {
    if (id == null || id.isBlank()) throw ModuleException.badField("webhook_id", "is required");
    WebhookRecord r = book.get(id).orElseThrow(() -> ModuleException.notFound("no webhook " + id));
    Webhook w = r.getWebhook();
    Caller c = call.caller();
    boolean allowed = !w.getCommand().isEmpty() ? c.sysAdmin()
        : !w.getProjectId().isEmpty() ? identity.authorization().allows(c, Level.PROJECT_ADMIN, w.getProjectId())
        : identity.authorization().allows(c, Level.ORG_ADMIN, w.getOrgId());
    if (!allowed) throw ModuleException.notFound("no webhook " + id);
    return r;
  }

  private Future<Webhook> update(Call call, UpdateWebhookRequest r) {
    WebhookRecord current = visible(call, r.getWebhookId());
    if (r.getUpdateMaskCount() == 0) {
      throw ModuleException.badField("update_mask", "name what to change: paused, topics, endpoint, description");
    }
    Map<String, Long> newPositions = Map.of();
    for (String field : r.getUpdateMaskList()) {
      switch (field) {
        case "paused", "description" -> { }
        case "topics" -> newPositions = rules.topics(r.getTopicsList());
        case "endpoint" -> {
          if (current.getWebhook().getEndpoint().isEmpty()) throw ModuleException.badField("endpoint", "a shell hook has no endpoint");
          rules.endpoint(r.getEndpoint());
        }
        default -> throw ModuleException.badField("update_mask", "'" + field
            + "' cannot be changed; one of: paused, topics, endpoint, description");
      }
    }
    if (r.getUpdateMaskList().contains("description")) rules.description(r.getDescription());
    Map<String, Long> positions = newPositions;
    List<String> mask = r.getUpdateMaskList();
    return book.update(call.caller().userId(), r.getWebhookId(), rec -> {
      WebhookRecord.Builder b = rec.toBuilder();
      Webhook.Builder w = b.getWebhookBuilder();
      if (mask.contains("paused")) {
        if (r.getPaused()) {
          w.setState(WebhookState.PAUSED);
        } else {
          w.setState(WebhookState.ACTIVE).setDisabledReason("").setDisabledAt(0).setConsecutiveFailures(0);
          b.setFailingSince(0);
        }
      }
      if (mask.contains("topics")) {
        // A module followed already keeps its position; one not followed until now starts from now
        // (also one followed before and dropped: what happened meanwhile was not asked for).
        Set<String> followed = new HashSet<>();
        w.getTopicsList().forEach(t -> followed.add(t.substring(0, t.indexOf('/'))));
        w.clearTopics().addAllTopics(r.getTopicsList());
        positions.forEach((m, p) -> { if (!followed.contains(m)) w.putPositions(m, p); });
      }
      if (mask.contains("endpoint")) w.setEndpoint(r.getEndpoint().strip());
      if (mask.contains("description")) w.setDescription(r.getDescription().strip());
      return b.build();
    }).map(rec -> {
      dispatcher.changed(rec);
      return rec.getWebhook();
    });
  }

  private Future<ListDeliveriesResponse> deliveries(Call call, ListDeliveriesRequest r) {
    visible(call, r.getWebhookId());
    int size = r.getPageSize() == 0 ? 50 : r.getPageSize();
    if (size < 1 || size > 500) throw ModuleException.badField("page_size", "must be 1 to 500");
    String token = r.getPageToken();
    if (!token.isEmpty() && !token.startsWith(r.getWebhookId() + "/")) {
      throw ModuleException.badField("page_token", "is not a page token of this webhook's deliveries");
    }
    List<Entry<DeliveryRecord>> page = book.deliveries(r.getWebhookId(), token, size);
    ListDeliveriesResponse.Builder out = ListDeliveriesResponse.newBuilder();
    page.forEach(e -> out.addDeliveries(e.value().getDelivery()));
    if (page.size() == size) out.setNextPageToken(page.get(page.size() - 1).key());
    return Future.succeededFuture(out.build());
  }
}
