package dev.hearth.kernel.realtime;

import dev.hearth.kernel.config.RealtimeOptions;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.realtime.PresenceListener;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.module.realtime.Topics;
import dev.hearth.module.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The node's realtime fan-out: modules publish topics here ({@link #forModule}), and client
 * connections (WebSocket, gRPC stream) subscribe to them. Topics are named {@code <moduleId>/...};
 * the module authorizes each subscription and routes its change events to topics. Also keeps
 * presence: which users have at least one authenticated connection.
 */
public final class RealtimeHub {

  private static final Pattern TOPIC = Pattern.compile("([a-z][a-z0-9-]{0,62})/[A-Za-z0-9._:/-]{1,200}");

  /**
   * Live events one catching-up stream may hold back. Frames are shared between subscribers, but a
   * held one stays in memory until the replay ends; past this the stream ends and the client
   * resumes later, from where it got to.
   */
  private static final int MAX_HELD = 10_000;

  private static final int REPLAY_THREADS = 4;

  /**
   * How long a resume ahead of a replica's newest event waits for the replica to get there: it
   * follows the store's writer within the replication delay (milliseconds), unless that process or
   * NATS is down, and then the client is better told to reload than kept waiting.
   */
  static final long REPLICA_WAIT_MILLIS = 10_000;

  private final Vertx vertx;
  private final RealtimeOptions options;
  private final Predicate<String> replica;
  private final WorkerExecutor replays;
  private final Map<String, TopicFeed> feeds = new ConcurrentHashMap<>();
  private final List<FeedWatcher> watchers = new CopyOnWriteArrayList<>();
  private final Map<String, List<PresenceListener>> presenceListeners = new ConcurrentHashMap<>();
  private final Map<String, Integer> connections = new ConcurrentHashMap<>();
  // For the node's metrics: plain counts here, so realtime does not depend on a metrics library.
  private final AtomicLong openWebSockets = new AtomicLong();
  private final LongAdder webSocketFrames = new LongAdder();
  private final LongAdder webSocketBatches = new LongAdder();
  private final LongAdder webSocketBatchesBuilt = new LongAdder();

  /** A hub for a node that writes every store it opens (a single node). */
  public RealtimeHub(Vertx vertx, RealtimeOptions options) {
    this(vertx, options, store -> false);
  }

  /**
   * @param replica whether this process follows store {@code name} rather than writes it (a cluster's
   *     front or standby: docs/cluster.md): its copy may be behind the process a client last read
   *     from, so a resume point ahead of it is waited for rather than refused
   */
  public RealtimeHub(Vertx vertx, RealtimeOptions options, Predicate<String> replica) {
    this.vertx = vertx;
    this.options = options;
    this.replica = replica;
    // Replays wait for slow clients; on a pool of their own they cannot starve module starts and
    // the node's other blocking work. More resumes than threads queue.
    this.replays = vertx.createSharedWorkerExecutor("hearth-realtime-replay", REPLAY_THREADS);
  }

  /** WebSocket drains grouped per event loop ({@link LoopDrains}). */
  private final LoopDrains drains = new LoopDrains(webSocketBatchesBuilt);

  LoopDrains drains() {
    return drains;
  }

  public RealtimeOptions options() {
    return options;
  }

  /** The SDK's {@link Realtime} of one running module. */
  public Realtime forModule(String moduleId, Store store) {
    return new ModuleRealtime(this, moduleId, store);
  }

  void register(String moduleId, Store store, Topics topics) {
    TopicFeed feed = new TopicFeed(moduleId, store, topics);
    if (feeds.putIfAbsent(moduleId, feed) != null) {
      feed.close();
      throw ModuleException.failedPrecondition("module " + moduleId + " already registered its topics");
    }
    for (FeedWatcher w : watchers) w.added(new ModuleFeed(moduleId, store, topics));
  }

  /** A running module's store and topics, as other followers of its change log (webhooks) see them. */
  public record ModuleFeed(String moduleId, Store store, Topics topics) {}

  /** Hears modules' topics come (a module started) and go (it stopped). Called on the module's start or stop thread. */
  public interface FeedWatcher {
    void added(ModuleFeed feed);

    void removed(String moduleId);
  }

  /** Adds a watcher and tells it at once about every module whose topics are registered now. */
  public void watch(FeedWatcher watcher) {
    watchers.add(watcher);
    feeds.forEach((id, feed) -> watcher.added(new ModuleFeed(id, feed.store(), feed.topics())));
  }

  /** The module {@code moduleId}'s feed while it runs and publishes topics. */
  public Optional<ModuleFeed> feed(String moduleId) {
    TopicFeed feed = feeds.get(moduleId);
    return feed == null ? Optional.empty()
        : Optional.of(new ModuleFeed(moduleId, feed.store(), feed.topics()));
  }

  void publish(String moduleId, String topic, String type, JsonObject data) {
    if (!topic.startsWith(moduleId + "/")) {
      throw ModuleException.invalidArgument("module " + moduleId + " may only publish on " + moduleId + "/... topics");
    }
    TopicFeed feed = feeds.get(moduleId);
    if (feed != null) feed.publish(topic, type, data);
  }

  void onPresence(String moduleId, PresenceListener listener) {
    presenceListeners.computeIfAbsent(moduleId, m -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /**
   * Takes down everything a module registered: its feed stops, and each of its subscribers is told
   * the subscription ended (the connections stay open for their other topics).
   */
  public void withdraw(String moduleId) {
    presenceListeners.remove(moduleId);
    TopicFeed feed = feeds.remove(moduleId);
    if (feed == null) return;
    for (FeedWatcher w : watchers) w.removed(moduleId);
    feed.close();
    for (TopicStream stream : feed.all()) {
      stream.end("UNAVAILABLE", "module " + moduleId + " stopped; subscribe again when it is back, from seq "
          + stream.position());
    }
  }

  /**
   * Opens a subscription for {@code caller}: checks the topic's name, asks its module whether the
   * caller may read it, and attaches a stream. The stream sends nothing until {@link Subscribed#start}
   * (so the client hears "subscribed" first); then it replays from {@code from}, or follows from now
   * when {@code from} is null.
   *
   * @throws ModuleException INVALID_ARGUMENT for a malformed topic, NOT_FOUND when no running module
   *     serves it, what the module's {@link Topics#authorize} throws, FAILED_PRECONDITION when
   *     {@code from} is ahead of the newest event (of a store this process writes; on a replica
   *     {@link Subscribed#start} waits for it, up to {@link #REPLICA_WAIT_MILLIS}) or further back
   *     than a resume may go
   */
  public Subscribed subscribe(Caller caller, String topic, Long from, ClientSink sink) {
    var m = topic == null ? null : TOPIC.matcher(topic);
    if (m == null || !m.matches()) {
      throw ModuleException.badField("topic", "must be <module>/<name> (letters, digits, . _ : / -)");
    }
    TopicFeed feed = feeds.get(m.group(1));
    if (feed == null) throw ModuleException.notFound("no running module serves topic " + topic);
    feed.topics().authorize(caller, topic);
    long newest = feed.newest();
    // Sequences are the store's, the same on every process of a cluster: a client that comes from
    // a process further along names a sequence this replica will reach.
    boolean ahead = from != null && from > newest;
    if (from != null && (from < 0 || ahead && !replica.test(feed.store().name()))) {
      throw ModuleException.failedPrecondition("cannot resume " + topic + " from seq " + from
          + ": the newest is " + newest + "; subscribe from \"now\"").detail("resume", "now");
    }
    if (from != null && newest - from > options.maxReplayEvents()) {
      throw ModuleException.failedPrecondition("seq " + from + " of " + topic + " is more than "
          + options.maxReplayEvents() + " events behind; reload through the API and subscribe from \"now\"")
          .detail("resume", "now");
    }
    // Held from the start, also from "now": nothing reaches the client before its "subscribed".
    TopicStream stream = new TopicStream(topic, sink, from == null ? newest : from, true, MAX_HELD);
    stream.onEnd(() -> feed.detach(stream));
    feed.attach(stream);
    // Read "now" again once attached: an event committed meanwhile is then either held (after the
    // new position) or at most this one, never missed between the two.
    if (from == null) stream.startAt(feed.newest());
    if (feed.closed()) {
      // The module stopped while this subscription was being made; withdraw() did not see it.
      feed.detach(stream);
      stream.close();
      throw ModuleException.notFound("no running module serves topic " + topic);
    }
    return new Subscribed(feed, stream, from);
  }

  /** An attached subscription, not started yet. */
  public final class Subscribed {
    private final TopicFeed feed;
    private final TopicStream stream;
    private final Long from;

    private Subscribed(TopicFeed feed, TopicStream stream, Long from) {
      this.feed = feed;
      this.stream = stream;
      this.from = from;
    }

    public TopicStream stream() {
      return stream;
    }

    /** Starts delivery; with a resume point, replays on a worker. Fails (and detaches) when the replay does. */
    public Future<Void> start() {
      if (from == null) {
        stream.goLive();
        return Future.succeededFuture();
      }
      Future<Void> here = from <= feed.newest() ? Future.succeededFuture() : caughtUp();
      return here.compose(v -> replays.<Void>executeBlocking(() -> {
        feed.replay(stream, from);
        return null;
      }, false)).onFailure(err -> cancel());
    }

    /**
     * Waits (without a thread) until this replica holds {@code from}; the stream holds back live
     * events meanwhile and passes on only those after {@code from}, so nothing is lost or repeated.
     * Fails as a resume too far ahead would when the replica does not get there in time.
     */
    private Future<Void> caughtUp() {
      Promise<Void> reached = Promise.promise();
      long timer = vertx.setTimer(REPLICA_WAIT_MILLIS, t -> {
        feed.forget(reached);
        if (stream.closed()) {
          reached.tryComplete(); // ended meanwhile (its module stopped): the client was told why
          return;
        }
        reached.tryFail(ModuleException.failedPrecondition("cannot resume " + stream.topic() + " from seq " + from
            + ": this process's copy of the store reached only seq " + feed.newest() + " within "
            + REPLICA_WAIT_MILLIS / 1000 + " s; reload through the API and subscribe from \"now\"")
            .detail("resume", "now"));
      });
      return feed.reached(from, reached).onComplete(ar -> vertx.cancelTimer(timer));
    }

    /** Detaches the stream; nothing more is sent on it. */
    public void cancel() {
      stream.close();
      feed.detach(stream);
    }
  }

  /**
   * Asks the topic's module again whether {@code caller} may read {@code stream}'s topic, and ends
   * the stream (telling the client why) when it may no longer: someone removed from a private
   * channel stops hearing it. Connections call this periodically with their current caller.
   *
   * @return false when the stream was ended
   */
  public boolean reauthorize(Caller caller, TopicStream stream) {
    TopicFeed feed = feedOf(stream);
    if (feed == null) return true; // its module stopped: withdraw() ends it
    try {
      feed.topics().authorize(caller, stream.topic());
      return true;
    } catch (ModuleException e) {
      feed.detach(stream);
      stream.end(e.code().name(), "no longer allowed to read " + stream.topic() + ": " + e.getMessage());
      return false;
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(RealtimeHub.class).error("module {} failed to authorize {}",
          feed.moduleId(), stream.topic(), e);
      return true;
    }
  }

  /** Ends a subscription at the client's request. */
  public void unsubscribe(TopicStream stream) {
    stream.close();
    TopicFeed feed = feedOf(stream);
    if (feed != null) feed.detach(stream);
  }

  /** The feed of the module whose topic a stream follows (topics are {@code <moduleId>/...}); null once it stopped. */
  private TopicFeed feedOf(TopicStream stream) {
    return feeds.get(stream.topic().substring(0, stream.topic().indexOf('/')));
  }

  /** A user's connection authenticated: the first one makes them present. */
  public void connected(String userId) {
    if (connections.merge(userId, 1, Integer::sum) == 1) firePresence(userId, true);
  }

  /** A user's authenticated connection closed: the last one makes them absent. */
  public void disconnected(String userId) {
    Integer left = connections.computeIfPresent(userId, (u, n) -> n <= 1 ? null : n - 1);
    if (left == null) firePresence(userId, false);
  }

  public boolean isConnected(String userId) {
    return connections.containsKey(userId);
  }

  /** How many authenticated connections are open (WebSocket and gRPC streams), for the node's stats. */
  public long authenticatedConnections() {
    long n = 0;
    for (int c : connections.values()) n += c;
    return n;
  }

  void webSocketOpened() {
    openWebSockets.incrementAndGet();
  }

  void webSocketClosed() {
    openWebSockets.decrementAndGet();
  }

  void webSocketFrameSent() {
    webSocketFrames.increment();
  }

  void webSocketBatchSent() {
    webSocketBatches.increment();
  }

  /** {@code batch} frames written to WebSocket clients since the node started (one per connection written to). */
  public long webSocketBatchesSent() {
    return webSocketBatches.sum();
  }

  /**
   * {@code batch} frames built since the node started: the connections of one event loop that get the
   * same frames in one drain share one build, so with many subscribers of one channel this stays far
   * below {@link #webSocketBatchesSent}.
   */
  public long webSocketBatchesBuilt() {
    return webSocketBatchesBuilt.sum();
  }

  /** WebSocket connections open now, authenticated or not. */
  public long openWebSockets() {
    return openWebSockets.get();
  }

  /**
   * Frames sent to WebSocket clients since the node started: events, replies and errors, each
   * counted once whether it left alone or inside a batch frame.
   */
  public long webSocketFramesSent() {
    return webSocketFrames.sum();
  }

  /** Subscriptions attached now, over WebSocket and gRPC streams. */
  public long subscriptions() {
    long n = 0;
    for (TopicFeed feed : feeds.values()) n += feed.streamCount();
    return n;
  }

  private void firePresence(String userId, boolean connected) {
    presenceListeners.forEach((module, listeners) -> listeners.forEach(l -> vertx.runOnContext(v -> {
      try {
        l.onPresence(userId, connected);
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(RealtimeHub.class).warn("module {} presence listener failed: {}", module,
            e.toString());
      }
    })));
  }
}
