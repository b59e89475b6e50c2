package dev.hearth.kernel.realtime;

import dev.hearth.module.ModuleException;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.Subscription;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import dev.hearth.module.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One module's topics: follows the module's change log from its newest event, routes each event
 * through the module's {@link Topics} and hands the encoded frame to every stream of its topics.
 * Also replays the log for streams that resume from an earlier sequence.
 */
final class TopicFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TopicFeed.class);
  private static final int REPLAY_BATCH = 1024;

  private final String moduleId;
  private final Store store;
  private final Topics topics;
  private final Map<String, Set<TopicStream>> streams = new ConcurrentHashMap<>();
  private final Subscription subscription;
  /** Resumes waiting for this process's copy of the store to reach their sequence (a replica behind). */
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private record Waiter(long sequence, Promise<Void> reached) {}

  TopicFeed(String moduleId, Store store, Topics topics) {
    this.moduleId = moduleId;
    this.store = store;
    this.topics = topics;
    this.subscription = store.subscribe(store.lastSequence(), this::onEvent);
  }

  String moduleId() {
    return moduleId;
  }

  Topics topics() {
    return topics;
  }

  Store store() {
    return store;
  }

  /** The newest durable sequence of the module's store: where a "from now" stream starts. */
  long newest() {
    return store.lastSequence();
  }

  void attach(TopicStream stream) {
    streams.computeIfAbsent(stream.topic(), t -> ConcurrentHashMap.newKeySet()).add(stream);
  }

  void detach(TopicStream stream) {
    streams.computeIfPresent(stream.topic(), (t, set) -> {
      set.remove(stream);
      return set.isEmpty() ? null : set;
    });
  }

  /** How many streams are attached, for metrics. */
  long streamCount() {
    long n = 0;
    for (Set<TopicStream> set : streams.values()) n += set.size();
    return n;
  }

  /** Every stream, for shutting them down when the module stops. */
  List<TopicStream> all() {
    return streams.values().stream().flatMap(Set::stream).toList();
  }

  /** An ephemeral event to the current subscribers of {@code topic}. */
  void publish(String topic, String type, JsonObject data) {
    Set<TopicStream> set = streams.get(topic);
    if (set == null) return;
    Frame frame = Frame.of(new TopicEvent(topic, type, data), 0, System.currentTimeMillis() * 1000);
    for (TopicStream s : set) deliver(s, frame);
  }

  /**
   * One stream's failure (a client gone mid-write) must not reach the store subscription: it would
   * close it, and every subscriber of the module would stop hearing anything.
   */
  private void deliver(TopicStream stream, Frame frame) {
    try {
      stream.offer(frame);
    } catch (RuntimeException e) {
      log.debug("realtime stream of {} failed, ending it: {}", stream.topic(), e.toString());
      stream.end("UNAVAILABLE", "the stream failed; subscribe again from seq " + stream.position());
    }
  }

  boolean closed() {
    return closed;
  }

  /**
   * Completes once the store holds {@code sequence} (at once when it does already). Never fails:
   * whoever waits bounds the wait and calls {@link #forget} when it gives up.
   */
  Future<Void> reached(long sequence, Promise<Void> reached) {
    Waiter w = new Waiter(sequence, reached);
    waiters.add(w);
    // The log's last sequence moves before listeners hear of an event: one that came before the
    // waiter was added is counted here, one after is seen by onEvent.
    if (store.lastSequence() >= sequence && waiters.remove(w)) reached.tryComplete();
    return reached.future();
  }

  /** Drops a waiter whose resume gave up. */
  void forget(Promise<Void> reached) {
    waiters.removeIf(w -> w.reached() == reached);
  }

  private void onEvent(ChangeEvent event) {
    if (!waiters.isEmpty()) {
      for (Waiter w : waiters) {
        if (event.sequence() >= w.sequence() && waiters.remove(w)) w.reached().tryComplete();
      }
    }
    if (streams.isEmpty()) return;
    for (TopicEvent routed : route(event)) {
      Set<TopicStream> set = streams.get(routed.topic());
      if (set == null) continue;
      Frame frame = Frame.of(routed, event.sequence(), event.timeMicros());
      for (TopicStream s : set) deliver(s, frame);
    }
  }

  private List<TopicEvent> route(ChangeEvent event) {
    try {
      List<TopicEvent> routed = topics.route(event);
      return routed == null ? List.of() : routed;
    } catch (RuntimeException e) {
      // A module bug must not stop the feed for everyone; the event is skipped for realtime only.
      log.error("module {} failed to route {}: {}", moduleId, event, e.toString());
      return List.of();
    }
  }

  /**
   * Replays the change log after {@code from} into {@code stream}, then lets it go live. Blocking:
   * run on a worker. The stream must already be attached, so nothing written meanwhile is missed.
   *
   * @throws ModuleException FAILED_PRECONDITION when the log no longer holds {@code from + 1}
   */
  void replay(TopicStream stream, long from) {
    long after = from;
    boolean first = true;
    while (!stream.closed()) {
      List<ChangeEvent> batch = store.readLog(after, REPLAY_BATCH);
      if (batch.isEmpty()) break;
      if (first && batch.get(0).sequence() != from + 1) {
        throw ModuleException.failedPrecondition("the change log no longer holds seq " + (from + 1)
            + "; reload through the API and subscribe from \"now\"").detail("resume", "now");
      }
      first = false;
      for (ChangeEvent event : batch) {
        for (TopicEvent routed : route(event)) {
          if (routed.topic().equals(stream.topic())
              && !stream.replay(Frame.of(routed, event.sequence(), event.timeMicros()))) {
            return;
          }
        }
        after = event.sequence();
      }
    }
    stream.goLive();
  }

  @Override
  public void close() {
    closed = true;
    subscription.close();
  }
}
