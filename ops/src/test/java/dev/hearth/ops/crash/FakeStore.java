package dev.hearth.ops.crash;

import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.store.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * An in-memory store that does what the engine promises (a log, data, a view folded from the log),
 * which tests then doctor to show that each check of the verifier fires.
 */
final class FakeStore implements Observed {

  final List<ChangeEvent> log = new ArrayList<>();
  final Map<String, TreeMap<String, String>> data = new HashMap<>();
  final MemoryViewTx view = new MemoryViewTx();
  private final CrashView fold = CrashView.detached();
  long viewSequence;
  Long lastSequenceOverride;
  String unreadableCollection;
  String unscannableCollection;
  /** Point reads that answer otherwise than the data a scan sees: path ("collection/key") → value. */
  final Map<String, String> pointReads = new HashMap<>();
  RuntimeException readLogFailure;
  RuntimeException awaitViewFailure;
  boolean viewNeverCatchesUp;

  /** Applies a whole write, as a durable acknowledged write would be. */
  void commit(WriteOp op) {
    commit(op, op.changes().size());
  }

  /** Applies only the first {@code events} changes of a write: a torn transaction. */
  void commit(WriteOp op, int events) {
    for (Change c : op.changes().subList(0, events)) {
      ChangeEvent e = new ChangeEvent(log.size() + 1, LiveStore.STORE, c.collection(), c.key(),
          c.isDelete() ? ChangeEvent.Op.DELETE : ChangeEvent.Op.PUT,
          c.isDelete() ? null : c.value().getBytes(StandardCharsets.UTF_8), op.tag().actor(), 0);
      log.add(e);
      if (c.isDelete()) {
        collection(c.collection()).remove(c.key());
      } else {
        collection(c.collection()).put(c.key(), c.value());
      }
      fold.apply(e, view);
      viewSequence = e.sequence();
    }
  }

  TreeMap<String, String> collection(String name) {
    return data.computeIfAbsent(name, n -> new TreeMap<>());
  }

  @Override
  public String storeName() {
    return LiveStore.STORE;
  }

  @Override
  public long lastSequence() {
    if (lastSequenceOverride != null) {
      return lastSequenceOverride;
    }
    return log.isEmpty() ? 0 : log.get(log.size() - 1).sequence();
  }

  @Override
  public List<ChangeEvent> readLog(long afterSequence, int limit) {
    if (readLogFailure != null) {
      throw readLogFailure;
    }
    return log.stream().filter(e -> e.sequence() > afterSequence).limit(limit).toList();
  }

  @Override
  public List<Entry<String>> scan(String collection, String fromKey, int limit) {
    if (collection.equals(unreadableCollection) || collection.equals(unscannableCollection)) {
      throw new IllegalStateException("simulated: value failed to decrypt");
    }
    TreeMap<String, String> source = new TreeMap<>();
    if (collection.startsWith("view.")) {
      view.map(collection).forEach((k, v) -> source.put(k, (String) v));
    } else {
      source.putAll(collection(collection));
    }
    var tail = fromKey == null ? source : source.tailMap(fromKey, true);
    return tail.entrySet().stream().limit(limit).map(e -> new Entry<>(e.getKey(), e.getValue())).toList();
  }

  @Override
  public Optional<String> get(String collection, String key) {
    if (collection.equals(unreadableCollection)) {
      throw new IllegalStateException("simulated: value failed to decrypt");
    }
    String path = collection + "/" + key;
    if (pointReads.containsKey(path)) {
      return Optional.ofNullable(pointReads.get(path));
    }
    return Optional.ofNullable(collection(collection).get(key));
  }

  @Override
  public long awaitView(long sequence, Duration timeout) throws TimeoutException {
    if (awaitViewFailure != null) {
      throw awaitViewFailure;
    }
    if (viewNeverCatchesUp) {
      throw new TimeoutException("simulated: the view stays at " + viewSequence);
    }
    return viewSequence;
  }
}
