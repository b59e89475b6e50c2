package dev.hearth.ops.crash;

import dev.hearth.module.change.ChangeEvent;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole change log read from sequence 1 and folded: the collections' contents it implies, which
 * operations of which writer it holds, and the view recomputed from it. Checks on the way that the
 * sequence is gapless, that each transaction's events are all there and consecutive, that each
 * writer's operations appear in order, and that every record is well formed.
 */
final class LogFold {

  static final int PAGE = 5_000;

  private final Findings findings;
  private final String storeName;
  /** {@code collection/key} to the digest of its live value. */
  final Map<String, String> state = new HashMap<>();
  /** {@link Model#key} to the operations found in the log. */
  final Map<Long, BitSet> seen = new HashMap<>();
  final MemoryViewTx view = new MemoryViewTx();
  private final CrashView viewFold = CrashView.detached();
  private final Map<Integer, Long> lastOrder = new HashMap<>();
  long lastSequence;
  long events;

  private Tag group;
  private long groupFirst;
  private long groupLast;
  private int groupCount;

  private LogFold(Findings findings, String storeName) {
    this.findings = findings;
    this.storeName = storeName;
  }

  /** Reads and folds the whole log of {@code store}. @throws RuntimeException when the store's readLog throws */
  static LogFold read(Observed store, Findings findings) {
    LogFold fold = new LogFold(findings, store.storeName());
    long after = 0;
    while (true) {
      List<ChangeEvent> page = store.readLog(after, PAGE);
      if (page.isEmpty()) {
        break;
      }
      if (page.size() > PAGE) {
        findings.add(Kind.LOG_CORRUPT, "readLog(" + after + ", " + PAGE + ") returned " + page.size() + " events");
      }
      long last = page.get(page.size() - 1).sequence();
      if (last <= after) {
        findings.add(Kind.LOG_CORRUPT, "readLog(" + after + ", ...) returned events up to " + last + " only");
        break;
      }
      for (ChangeEvent e : page) {
        fold.add(e);
      }
      after = last;
    }
    fold.closeGroup();
    long reported = store.lastSequence();
    if (fold.lastSequence != reported) {
      findings.add(Kind.LOG_GAP, "the log ends at sequence " + fold.lastSequence + " but lastSequence() is " + reported);
    }
    return fold;
  }

  /** Whether the log holds the operation {@code tag} (its first event at least). */
  boolean contains(Tag tag) {
    BitSet ops = seen.get(Model.key(tag.run(), tag.writer()));
    return ops != null && ops.get(tag.op());
  }

  void add(ChangeEvent e) {
    events++;
    if (e.sequence() != lastSequence + 1) {
      findings.add(Kind.LOG_GAP, "after sequence " + lastSequence + " comes " + e.sequence());
    }
    lastSequence = e.sequence();
    if (!storeName.equals(e.store())) {
      findings.add(Kind.LOG_CORRUPT, "event " + e + " names store '" + e.store() + "'");
    }
    viewFold.apply(e, view);
    if (e.collection().startsWith("view.")) {
      return;
    }
    if (!Workload.COLLECTIONS.contains(e.collection())) {
      findings.add(Kind.LOG_CORRUPT, "event " + e + " is in unknown collection '" + e.collection() + "'");
      return;
    }
    Tag tag;
    try {
      tag = Tag.parse(e.actor());
    } catch (IllegalArgumentException ex) {
      findings.add(Kind.LOG_CORRUPT, "event " + e + ": " + ex.getMessage());
      return;
    }
    if (tag.equals(group) && e.sequence() == groupLast + 1) {
      groupCount++;
      groupLast = e.sequence();
    } else {
      closeGroup();
      openGroup(tag, e.sequence());
    }
    if (!e.key().startsWith("w" + tag.writer() + "-")) {
      findings.add(Kind.LOG_CORRUPT, "event " + e + " by " + tag + " changes a key of another writer");
    }
    String path = Change.path(e.collection(), e.key());
    if (e.op() == ChangeEvent.Op.DELETE) {
      state.remove(path);
      return;
    }
    Payload p;
    try {
      p = Payload.parse(new String(e.value(), StandardCharsets.UTF_8));
    } catch (RuntimeException ex) {
      findings.add(Kind.LOG_CORRUPT, "event " + e + " by " + tag + ": " + ex.getMessage());
      state.put(path, "corrupt@" + e.sequence());
      return;
    }
    if (p.writer() != tag.writer() || p.run() != tag.run() || p.op() != tag.op()
        || !p.collection().equals(e.collection()) || !p.key().equals(e.key())) {
      findings.add(Kind.LOG_CORRUPT, "event " + e + " by " + tag + " carries the value of "
          + p.origin() + " for " + p.collection() + "/" + p.key());
    }
    state.put(path, p.sha());
  }

  private void openGroup(Tag tag, long sequence) {
    Long previous = lastOrder.get(tag.writer());
    long order = Tag.order(tag.run(), tag.op());
    if (previous != null && order == previous) {
      findings.add(Kind.TORN_TX, "events of " + tag + " are not consecutive: more of them at sequence " + sequence);
    } else if (previous != null && order < previous) {
      findings.add(Kind.ORDER, tag + " is at sequence " + sequence + ", after a later write of writer "
          + tag.writer() + " (r" + (previous >>> 32) + "/op" + (previous & 0xffffffffL) + ")");
    }
    lastOrder.merge(tag.writer(), order, Math::max);
    seen.computeIfAbsent(Model.key(tag.run(), tag.writer()), k -> new BitSet()).set(tag.op());
    group = tag;
    groupFirst = sequence;
    groupLast = sequence;
    groupCount = 1;
  }

  private void closeGroup() {
    if (group != null && groupCount != group.events()) {
      findings.add(Kind.TORN_TX, group + " has " + groupCount + " of its " + group.events()
          + " events in the log (sequences " + groupFirst + ".." + groupLast + ")");
    }
    group = null;
  }
}
