package dev.hearth.kernel.webhooks;

import com.google.protobuf.ByteString;
import dev.hearth.api.v1.Level;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.kernel.realtime.RealtimeHub.ModuleFeed;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.webhooks.v1.Delivery;
import dev.hearth.webhooks.v1.DeliveryRecord;
import dev.hearth.webhooks.v1.DeliveryStatus;
import dev.hearth.webhooks.v1.Webhook;
import dev.hearth.webhooks.v1.WebhookRecord;
import dev.hearth.webhooks.v1.WebhookState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every webhook of the node: one {@link Lane} per webhook and followed module while the module
 * runs, all on one context of their own. Decides what an event delivers to a webhook (tenant,
 * topics, the creator's rights now), builds the body, and disables webhooks that keep failing or
 * whose creator lost their rights.
 */
public final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /** A topic event of a change event that goes to a webhook; {@code index} is its place in the module's routing. */
  record Item(int index, TopicEvent event) {}

  /** The webhook's creator may no longer do what the webhook does for them. */
  static final class CreatorLost extends RuntimeException {
    CreatorLost(String message) {
      super(message, null, false, false);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final WebhookBook book;
  private final WebhooksOptions options;
  private final AddressPolicy policy;
  private final Identity identity;
  private final RealtimeHub hub;
  private final HttpClient http;
  private final WorkerExecutor workers;
  private final Map<String, Hook> hooks = new HashMap<>();
  private final Map<String, Map<String, Lane>> lanes = new HashMap<>();
  private final Map<String, ModuleFeed> feeds = new HashMap<>();

  Dispatcher(Vertx vertx, WebhookBook book, WebhooksOptions options, Identity identity, RealtimeHub hub) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.book = book;
    this.options = options;
    this.policy = new AddressPolicy(options.allowPrivateAddresses());
    this.identity = identity;
    this.hub = hub;
    this.http = vertx.createHttpClient(new HttpClientOptions().setTrustAll(false).setVerifyHost(true)
        .setKeepAlive(true).setMaxRedirects(0));
    this.workers = vertx.createSharedWorkerExecutor("hearth-webhooks", 4);
  }

  /** Loads the stored webhooks and follows modules' change logs as modules come and go. */
  Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      for (WebhookRecord r : book.all()) {
        try {
          hooks.put(r.getWebhook().getId(), build(r));
        } catch (RuntimeException e) {
          log.error("webhook {} cannot run: {}", r.getWebhook().getId(), e.getMessage());
        }
      }
      hub.watch(new RealtimeHub.FeedWatcher() {
        @Override
        public void added(ModuleFeed feed) {
          context.runOnContext(x -> feedAdded(feed));
        }

        @Override
        public void removed(String moduleId) {
          context.runOnContext(x -> feedRemoved(moduleId));
        }
      });
      started.complete();
    });
    return started.future();
  }

  AddressPolicy policy() {
    return policy;
  }

  WebhooksOptions options() {
    return options;
  }

  WebhookBook book() {
    return book;
  }

  WorkerExecutor workers() {
    return workers;
  }

  /** The webhook as it runs now, or null. Read on the dispatcher's context. */
  Hook hook(String id) {
    return hooks.get(id);
  }

  /** The record as stored changed (created, updated, rotated): run the new one. Any thread. */
  void changed(WebhookRecord record) {
    Hook hook = build(record);
    context.runOnContext(v -> {
      hooks.put(hook.id(), hook);
      syncLanes(hook);
    });
  }

  void deleted(String id) {
    context.runOnContext(v -> {
      hooks.remove(id);
      Map<String, Lane> mine = lanes.remove(id);
      if (mine != null) mine.values().forEach(Lane::close);
    });
  }

  private Hook build(WebhookRecord r) {
    Webhook w = r.getWebhook();
    Target target = w.getEndpoint().isEmpty()
        ? new CommandTarget(workers, options.shellHooksDir(), w.getCommand(), Math.max(options.requestTimeoutMillis(), 30_000))
        : new HttpTarget(vertx, http, policy, options.requestTimeoutMillis(), w.getEndpoint());
    return new Hook(r, Hook.parse(w.getTopicsList()), target);
  }

  private void feedAdded(ModuleFeed feed) {
    if (feed.store().name().equals("kernel")) return; // the node's own store has no change-event topics
    feeds.put(feed.moduleId(), feed);
    hooks.values().forEach(this::syncLanes);
  }

  private void feedRemoved(String moduleId) {
    feeds.remove(moduleId);
    for (Map<String, Lane> mine : lanes.values()) {
      Lane lane = mine.remove(moduleId);
      if (lane != null) lane.close();
    }
  }

  /** One lane per followed module that runs; lanes of modules the webhook no longer follows close. */
  private void syncLanes(Hook hook) {
    Map<String, Lane> mine = lanes.computeIfAbsent(hook.id(), k -> new HashMap<>());
    mine.entrySet().removeIf(e -> {
      if (hook.modules().contains(e.getKey())) return false;
      e.getValue().close();
      return true;
    });
    for (String module : hook.modules()) {
      ModuleFeed feed = feeds.get(module);
      if (feed == null || mine.containsKey(module)) continue;
      // The stored position, not the one in memory: lanes move it without touching the Hook.
      long from = book.get(hook.id()).map(WebhookRecord::getWebhook).filter(w -> w.containsPositions(module))
          .map(w -> w.getPositionsOrThrow(module)).orElse(feed.store().lastSequence());
      mine.put(module, new Lane(this, context, hook.id(), feed, from));
    }
    mine.values().forEach(Lane::wake);
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
  DeliveryRecord newDelivery(String hookId, String module, ChangeEvent event, Item item) {
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

  long backoff(int failures) {
    return Backoff.delayMillis(failures, options.minBackoffMillis(), options.maxBackoffMillis());
  }

  boolean shouldDisable(WebhookRecord r) {
    return r.getWebhook().getConsecutiveFailures() >= options.disableAfterFailures()
        && System.currentTimeMillis() - r.getFailingSince() >= options.disableAfterSeconds() * 1000;
  }

  /**
   * Marks a webhook DISABLED with a reason its admins see in GetWebhook, and says so in the log
   * (without its secret or its URL's path and query, which may hold tokens).
   */
  void disable(String hookId, String reason) {
    book.update(WebhookBook.ACTOR, hookId, r -> {
      WebhookRecord.Builder b = r.toBuilder();
      b.getWebhookBuilder().setState(WebhookState.DISABLED).setDisabledReason(reason)
          .setDisabledAt(System.currentTimeMillis());
      return b.build();
    }).onSuccess(r -> {
      Webhook w = r.getWebhook();
      log.warn("webhook {} ({} {}, {}) disabled: {}", w.getId(), w.getProjectId().isEmpty() ? "org" : "project",
          w.getProjectId().isEmpty() ? w.getOrgId() : w.getProjectId(), where(w), reason);
      changed(r);
    }).onFailure(err -> log.error("webhook {}: cannot mark it disabled", hookId, err));
  }

  static String where(Webhook w) {
    if (!w.getCommand().isEmpty()) return "shell hook " + w.getCommand();
    try {
      java.net.URI u = java.net.URI.create(w.getEndpoint());
      return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    } catch (IllegalArgumentException e) {
      return "?";
    }
  }

  /**
   * Sends one logged delivery again, once, outside its lane (same id and body, a fresh signature),
   * and logs the attempt. A PENDING one that is taken this way is not sent again by its lane.
   */
  Future<Delivery> redeliver(String hookId, String key) {
    Promise<Delivery> done = Promise.promise();
    context.runOnContext(v -> {
      Hook hook = hooks.get(hookId);
      Optional<DeliveryRecord> logged = book.delivery(key);
      if (hook == null || logged.isEmpty()) {
        done.fail(ModuleException.notFound("no such delivery in webhook " + hookId + "'s log"));
        return;
      }
      DeliveryRecord r = logged.get();
      byte[] body = r.getBody().toByteArray();
      String signature = Signatures.header(hook.record().getSecret(), System.currentTimeMillis() / 1000, body);
      hook.target().send(r.getDelivery().getId(), r.getDelivery().getTopic(), body, signature)
          .compose(a -> {
            DeliveryRecord after = attempted(r, a);
            if (r.getDelivery().getStatus() == DeliveryStatus.DELIVERED) {
              after = after.toBuilder().setDelivery(after.getDelivery().toBuilder().setStatus(DeliveryStatus.DELIVERED)
                  .setDeliveredAt(r.getDelivery().getDeliveredAt() == 0 ? after.getDelivery().getDeliveredAt()
                      : r.getDelivery().getDeliveredAt())).build();
            }
            DeliveryRecord stored = after;
            return book.putDelivery(key, stored).map(x -> stored.getDelivery());
          })
          .onComplete(done);
    });
    return done.future();
  }

  /** Stops every lane (before the stores close); attempts in flight are dropped, and resent after a restart. */
  Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      lanes.values().forEach(m -> m.values().forEach(Lane::close));
      lanes.clear();
      hooks.clear();
      closed.complete();
    });
    return closed.future().compose(v -> workers.close()).compose(v -> http.close());
  }
}
