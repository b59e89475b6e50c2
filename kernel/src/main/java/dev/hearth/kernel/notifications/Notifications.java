package dev.hearth.kernel.notifications;

import dev.hearth.kernel.config.NotificationsOptions;
import dev.hearth.kernel.flags.FlagBook;
import dev.hearth.kernel.flags.KernelFlags;
import dev.hearth.kernel.identity.Deletions;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.identity.KernelOwnerWatch;
import dev.hearth.kernel.realtime.RealtimeHub;
import dev.hearth.kernel.realtime.RealtimeHub.ModuleFeed;
import dev.hearth.kernel.settings.UserSettingsBook;
import dev.hearth.kernel.webhooks.AddressPolicy;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.change.Subscription;
import dev.hearth.module.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's notifications (docs/notifications.md): follows every module's change log like
 * webhooks do, one {@link Follower} per running module from a stored position, keeps the mentions
 * and direct messages that users missed as pending notices for each sender, and runs the senders.
 * The senders are email ({@link EmailDigests}) and Web Push ({@link WebPushes}), each a name in
 * {@link #senders} and a drain of its own over {@link NoticeBook#pending}.
 *
 * <p>Off (nothing followed, nothing stored) when no sender is configured; its API
 * ({@link #binding}) is served either way.
 */
public final class Notifications {

  private static final Logger log = LoggerFactory.getLogger(Notifications.class);

  static final String EMAIL = "email";
  static final String PUSH = "push";

  private final Context context;
  private final NoticeBook book;
  private final Decider decider;
  private final FlagBook flags;
  private final List<String> senders;
  private final WorkerExecutor workers;
  private final EmailDigests email;
  private final NotificationsOptions options;
  private final Vertx vertx;
  private final Identity identity;
  private final UserSettingsBook settings;
  private final PushBook pushBook;
  private final Inbox inbox;
  private final AddressPolicy addresses;
  private volatile PushBook.Vapid vapid;
  private volatile WebPushes push;
  private final Map<String, Follower> followers = new HashMap<>();
  /** Modules' feeds as they come and go; followed only while this process writes the kernel store. */
  private final Map<String, ModuleFeed> feeds = new HashMap<>();
  private KernelOwnerWatch owner;
  private final Map<String, Subscription> wakeups = new HashMap<>();
  private final Map<String, AtomicBoolean> wakeQueued = new ConcurrentHashMap<>();
  private final AtomicLong recorded = new AtomicLong();
  private final Clock clock;

  private Notifications(Vertx vertx, Store kernel, NotificationsOptions options, Identity identity, RealtimeHub hub,
      UserSettingsBook settings, FlagBook flags, boolean allowPrivateAddresses, Clock clock) {
    this.context = vertx.getOrCreateContext();
    this.vertx = vertx;
    this.options = options;
    this.identity = identity;
    this.settings = settings;
    this.pushBook = new PushBook(kernel);
    this.addresses = new AddressPolicy(allowPrivateAddresses);
    this.inbox = new Inbox(kernel);
    this.book = new NoticeBook(kernel, inbox);
    this.clock = clock;
    this.decider = new Decider(settings::get, hub::isConnected);
    this.flags = flags;
    List<String> on = new ArrayList<>();
    if (options.emailEnabled()) on.add(EMAIL);
    if (options.pushEnabled()) on.add(PUSH);
    this.senders = List.copyOf(on);
    this.workers = vertx.createSharedWorkerExecutor("hearth-notifications", 2);
    this.email = options.emailEnabled()
        ? new EmailDigests(vertx, context, book, options, identity, settings, clock, workers) : null;
  }

  /**
   * Starts following modules' change logs (before any module starts, so none of their events is
   * missed) and the senders' timers; a service with no sender configured does nothing. Web Push
   * reads (or first makes) the node's VAPID key before anything is followed.
   *
   * @param allowPrivateAddresses whether pushes may go to internal addresses (webhooks' setting)
   */
  public static Future<Notifications> start(Vertx vertx, Store kernel, NotificationsOptions options, Identity identity,
      RealtimeHub hub, UserSettingsBook settings, FlagBook flags, boolean allowPrivateAddresses, Clock clock) {
    Notifications n = new Notifications(vertx, kernel, options, identity, hub, settings, flags, allowPrivateAddresses,
        clock);
    if (n.senders.isEmpty() && !options.inbox()) {
      log.info("notifications: no sender configured (notifications.email.smtp, notifications.push) and no in-app list,"
          + " so nothing is followed");
      return Future.succeededFuture(n);
    }
    if (options.inbox()) hub.forModule("notifications", kernel).topics(new NoticeTopics());
    Future<Void> keyed = !options.pushEnabled() ? Future.succeededFuture()
        : n.workers.<Future<PushBook.Vapid>>executeBlocking(n.pushBook::vapid, false).compose(f -> f).map(k -> {
          n.vapid = k;
          return null;
        });
    return keyed.compose(x -> n.follow(hub));
  }

  private Future<Notifications> follow(RealtimeHub hub) {
    Notifications n = this;
    Promise<Notifications> started = Promise.promise();
    n.context.runOnContext(v -> {
      n.owner = new KernelOwnerWatch(identity, n.context, n::ownerChanged);
      n.owner.start();
      hub.watch(new RealtimeHub.FeedWatcher() {
        @Override
        public void added(ModuleFeed feed) {
          n.context.runOnContext(x -> n.feedAdded(feed));
        }

        @Override
        public void removed(String moduleId) {
          n.context.runOnContext(x -> n.feedRemoved(moduleId));
        }
      });
      if (n.email != null) {
        n.email.start();
        log.info("notifications: email digests {} minutes after a missed mention or direct message, through {}",
            options.digestMinutes(), options.smtp());
      }
      if (n.vapid != null) {
        n.push = new WebPushes(vertx, context, book, pushBook, vapid, options.push(), identity, settings, clock, workers,
            addresses);
        n.push.start();
        log.info("notifications: Web Push to users' registered devices ({})", options.push().subject() == null
            ? "no VAPID subject" : "VAPID subject " + options.push().subject());
      }
      started.complete(n);
    });
    return started.future();
  }

  Clock clock() {
    return clock;
  }

  NoticeBook book() {
    return book;
  }

  Decider decider() {
    return decider;
  }

  List<String> senders() {
    return senders;
  }

  WorkerExecutor workers() {
    return workers;
  }

  boolean textAllowed(String projectId) {
    return flags.enabled(KernelFlags.NOTIFICATION_TEXT, projectId);
  }

  /** Whether users' notices are kept for the in-app list. */
  Inbox inbox() {
    return inbox;
  }

  boolean listing() {
    return options.inbox();
  }

  void recorded(int count) {
    recorded.addAndGet(count);
    WebPushes p = push;
    if (p != null) p.kick();
  }

  /** {@code hearth.notifications.v1.NotificationsService}, served whether or not a sender is on. */
  public ServiceBinding binding() {
    return new NotificationsApi(pushBook, () -> vapid, addresses, clock, inbox, identity).binding();
  }

  /** What notifications keep of a user that goes with their account: their push devices. */
  public static Deletions.Kept keptOfUsers(Store kernel) {
    PushBook devices = new PushBook(kernel);
    return new Deletions.Kept(devices::hasDevices, devices::deleteUser);
  }

  /** Pushes a push service accepted since the node started (0 with push off), for tests. */
  public long pushesSent() {
    WebPushes p = push;
    return p == null ? 0 : p.sent();
  }

  /** Notices recorded since the node started (each sender's counts once), for tests and stats. */
  public long recordedCount() {
    return recorded.get();
  }

  /** Email rounds finished since the node started (0 with email off), for tests: a round after a change saw it. */
  public long emailRounds() {
    return email == null ? 0 : email.rounds();
  }

  /**
   * This process became the kernel store's owner (followers start again from the positions the
   * previous owner stored), or stopped being it (followers stop: their notices are the owner's to
   * record). On the context.
   */
  private void ownerChanged(boolean now) {
    if (now) {
      new ArrayList<>(feeds.values()).forEach(this::follow);
      log.info("notifications: recorded here, this process writes the kernel store");
      return;
    }
    for (String module : new ArrayList<>(followers.keySet())) {
      Subscription s = wakeups.remove(module);
      if (s != null) s.close();
      followers.remove(module).close();
    }
    log.info("notifications: paused here, another process writes the kernel store");
  }

  private void feedAdded(ModuleFeed feed) {
    if (feed.store().name().equals("kernel")) return; // kernel topics carry no mentions
    feedRemoved(feed.moduleId()); // a module restarted: its store is a new one
    feeds.put(feed.moduleId(), feed);
    if (owner.owner()) follow(feed);
  }

  private void follow(ModuleFeed feed) {
    String module = feed.moduleId();
    long from = book.position(module).orElse(feed.store().lastSequence());
    Follower f = new Follower(this, context, feed, from);
    followers.put(module, f);
    AtomicBoolean queued = wakeQueued.computeIfAbsent(module, m -> new AtomicBoolean());
    wakeups.put(module, feed.store().subscribe(feed.store().lastSequence(), e -> {
      // Many events, one wake-up: the follower reads whatever the log has when it gets to it.
      if (queued.compareAndSet(false, true)) {
        context.runOnContext(v -> {
          queued.set(false);
          Follower now = followers.get(module);
          if (now != null) now.wake();
        });
      }
    }));
    f.wake();
  }

  private Future<Void> feedRemoved(String module) {
    feeds.remove(module);
    Subscription s = wakeups.remove(module);
    if (s != null) s.close();
    Follower f = followers.remove(module);
    if (f == null) return Future.succeededFuture();
    f.close();
    return saveUnsaved(f);
  }

  private Future<Void> saveUnsaved(Follower f) {
    long p = f.unsaved();
    return p < 0 ? Future.succeededFuture() : book.record(f.module(), p, Map.of(), Map.of(), List.of())
        .onFailure(err -> log.warn("notifications: cannot save {}'s position {}", f.module(), p, err));
  }

  /** Stops following and sending (before the stores close); what is pending is sent after the next start. */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      if (owner != null) owner.close();
      List<Future<Void>> saves = new ArrayList<>();
      for (String module : new ArrayList<>(followers.keySet())) saves.add(feedRemoved(module));
      if (email != null) email.close();
      if (push != null) push.close();
      Future.join(saves).onComplete(x -> closed.complete());
    });
    return closed.future().compose(v -> email == null ? Future.<Void>succeededFuture() : email.closeClient())
        .compose(v -> push == null ? Future.<Void>succeededFuture() : push.closeClient())
        .compose(v -> workers.close());
  }
}
