package dev.hearth.kernel.webhooks;

import dev.hearth.kernel.config.WebhooksOptions;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.identity.KernelOwnerWatch;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.kernel.realtime.RealtimeHub.ModuleFeed;
import dev.hearth.module.ModuleException;
import dev.hearth.module.change.Subscription;
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
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every webhook of the node: one {@link Lane} per webhook and followed module while the module
 * runs, all on one context of their own ({@link Selection} decides what an event delivers to a
 * webhook). Wakes lanes when their module writes, sends manual redeliveries, and disables webhooks
 * that keep failing or whose creator lost their rights.
 */
public final class WebhookDispatcher {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private final Vertx vertx;
  private final Context context;
  private final WebhookBook book;
  private final WebhooksOptions options;
  private final AddressPolicy policy;
  private final RealtimeHub hub;
  private final HttpClient http;
  private final WorkerExecutor workers;
  private final Selection selection;
  private final Map<String, Hook> hooks = new HashMap<>();
  private final Map<String, Map<String, Lane>> lanes = new HashMap<>();
  private final Map<String, ModuleFeed> feeds = new HashMap<>();
  /** One subscription per module (a thread each): it only wakes that module's lanes, which read the log themselves. */
  private final Map<String, Subscription> wakeups = new HashMap<>();
  private final Map<String, AtomicBoolean> wakeQueued = new ConcurrentHashMap<>();
  /** Lanes run only where the kernel store (their positions, the delivery log) is written. */
  private final KernelOwnerWatch owner;

  WebhookDispatcher(Vertx vertx, WebhookBook book, WebhooksOptions options, Identity identity, RealtimeHub hub) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.book = book;
    this.options = options;
    this.policy = new AddressPolicy(options.allowPrivateAddresses());
    this.selection = new Selection(identity);
    this.hub = hub;
    this.http = vertx.createHttpClient(new HttpClientOptions().setTrustAll(false).setVerifyHost(true)
        .setKeepAlive(true).setMaxRedirects(0));
    this.workers = vertx.createSharedWorkerExecutor("hearth-webhooks", 4);
    this.owner = new KernelOwnerWatch(identity, context, this::ownerChanged);
  }

  /**
   * This process became the kernel store's owner (lanes start again from the stored positions the
   * previous owner left), or stopped being it (lanes stop). On the context.
   */
  private void ownerChanged(boolean now) {
    if (!now) {
      lanes.values().forEach(mine -> mine.values().forEach(Lane::close));
      lanes.clear();
      log.info("webhooks: paused here, another process writes the kernel store");
      return;
    }
    hooks.clear();
    loadHooks();
    hooks.values().forEach(this::syncLanes);
    log.info("webhooks: delivered from here, this process writes the kernel store");
  }

  private void loadHooks() {
    for (WebhookRecord r : book.all()) {
      try {
        hooks.put(r.getWebhook().getId(), build(r));
      } catch (RuntimeException e) {
        log.error("webhook {} cannot run: {}", r.getWebhook().getId(), e.getMessage());
      }
    }
  }

  /** Loads the stored webhooks and follows modules' change logs as modules come and go. */
  Future<Void> start() {
    Promise<Void> started = Promise.promise();
    context.runOnContext(v -> {
      loadHooks();
      owner.start();
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

  Selection selection() {
    return selection;
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
    String module = feed.moduleId();
    feeds.put(module, feed);
    Subscription old = wakeups.remove(module); // a module restarted: its store is a new one
    if (old != null) old.close();
    hooks.values().forEach(this::syncLanes);
  }

  private void feedRemoved(String moduleId) {
    feeds.remove(moduleId);
    Subscription s = wakeups.remove(moduleId);
    if (s != null) s.close();
    for (Map<String, Lane> mine : lanes.values()) {
      Lane lane = mine.remove(moduleId);
      if (lane != null) lane.close();
    }
  }

  /** The module's one subscription, made when its first lane is; it only wakes the module's lanes. */
  private void ensureWakeups(ModuleFeed feed) {
    String module = feed.moduleId();
    if (wakeups.containsKey(module)) return;
    AtomicBoolean queued = wakeQueued.computeIfAbsent(module, m -> new AtomicBoolean());
    wakeups.put(module, feed.store().subscribe(feed.store().lastSequence(), e -> {
      // Many events, one wake-up: lanes read whatever the log has when they get to it.
      if (queued.compareAndSet(false, true)) {
        context.runOnContext(v -> {
          queued.set(false);
          for (Map<String, Lane> mine : lanes.values()) {
            Lane lane = mine.get(module);
            if (lane != null) lane.wake();
          }
        });
      }
    }));
  }

  /** One lane per followed module that runs; lanes of modules the webhook no longer follows close. */
  private void syncLanes(Hook hook) {
    if (!owner.owner()) return;
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
      ensureWakeups(feed);
      mine.put(module, new Lane(this, context, hook.id(), feed, from));
    }
    mine.values().forEach(Lane::wake);
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
      URI u = URI.create(w.getEndpoint());
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
            DeliveryRecord after = Selection.attempted(r, a);
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
      owner.close();
      lanes.values().forEach(m -> m.values().forEach(Lane::close));
      lanes.clear();
      hooks.clear();
      wakeups.values().forEach(Subscription::close);
      wakeups.clear();
      closed.complete();
    });
    return closed.future().compose(v -> workers.close()).compose(v -> http.close());
  }
}
