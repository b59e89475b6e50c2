package dev.hearth.federation;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.federation.cdc.CdcPublisher;
import dev.hearth.federation.cdc.EnvelopeTrace;
import dev.hearth.federation.cdc.EnvelopeTrace.Stage;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.ForgedEnvelopeException;
import dev.hearth.federation.crypto.PeerKeys;
import dev.hearth.federation.crypto.ScopeKeys;
import dev.hearth.federation.v1.CdcEvent;
import dev.hearth.federation.v1.CdcPayload;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.LinkState;
import dev.hearth.federation.v1.ShareState;
import dev.hearth.kernel.spi.ReplicaChange;
import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.spi.TraceSpan;
import dev.hearth.module.ModuleException;
import io.nats.client.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one shared project's change events from its owner to this node's replica, exactly once and
 * in order per (origin store, project): each envelope is checked (pinned signature, the link shares
 * the project, the subject matches the header, the scope key opens it) and then applied with {@link
 * ReplicaStore#applyReplica}, which keeps the chain's cursor in the same transaction as the data. An
 * event that arrives before the one it follows waits (redelivered); if the missing one does not come
 * within {@code gapTimeout} (the stream lost it: retention, a server crash), the project is fetched
 * again as a snapshot. Runs on its {@link PeerPull}'s thread.
 *
 * <p>When the replica is behind, its reader hands it many envelopes at once. Their signatures are
 * checked on the federation's verifier pool, ahead of the in-order apply (Ed25519 verification is
 * most of an envelope's cost), and envelopes that continue each other's chain are applied in one
 * store transaction, up to {@link #GROUP_EVENTS} events: one commit instead of one per envelope.
 */
final class Replicator {

  /** Events applied in one replica transaction at most. */
  static final int GROUP_EVENTS = 4096;
  private static final Logger log = LoggerFactory.getLogger(Replicator.class);

  private final Federation fed;
  private final String linkId;
  private final String project;
  private final Executor verifiers;
  private volatile boolean snapshotNeeded;
  /** Apply time here minus commit time at the owner, of the last event applied. */
  private volatile double lagSeconds;
  private long stuckSince;

  Replicator(Federation fed, String linkId, String project, Executor verifiers) {
    this.fed = fed;
    this.linkId = linkId;
    this.project = project;
    this.verifiers = verifiers;
  }

  static String chain(String origin, String store, String project) {
    return origin + "/" + store + "/" + project;
  }

  String linkId() {
    return linkId;
  }

  double lagSeconds() {
    return lagSeconds;
  }

  /** Asks for a snapshot before the next event (a new share, or a gap). */
  void needSnapshot() {
    snapshotNeeded = true;
  }

  /** An envelope that passed every check: its header and events. */
  private record Checked(Message message, EnvelopeHeader header, List<CdcEvent> events) {
    long lastSeq() {
      long last = header.getFirstSeq();
      for (CdcEvent e : events) last = Math.max(last, e.getSequence());
      return last;
    }
  }

  /** An envelope that did not: refused for good ({@code retry} false) or to wait for a newer scope key. */
  private record Refused(String reason, boolean retry) {}

  /** Settles {@code messages}, in stream order: one verdict each. */
  PeerPull.Verdict[] handle(List<Message> messages) {
    if (EnvelopeTrace.on()) messages.forEach(m -> EnvelopeTrace.mark(PeerPull.traceKey(m), Stage.HANDED));
    PeerPull.Verdict[] verdicts = new PeerPull.Verdict[messages.size()];
    LinkRecord link = fed.book.get(linkId).orElse(null);
    if (link == null || link.getState() == LinkState.REMOVED) {
      Arrays.fill(verdicts, PeerPull.Verdict.TERM);
      return verdicts;
    }
    if (link.getState() != LinkState.ACTIVE) {
      Arrays.fill(verdicts, PeerPull.Verdict.RETRY);
      return verdicts;
    }
    if (snapshotNeeded) {
      fed.snapshots.fetch(link, project);
      snapshotNeeded = false;
      stuckSince = 0;
    }
    PeerKeys keys = fed.book.peerKeys(link);
    Set<String> shared = sharedBy(link);
    List<CompletableFuture<Object>> checks = new ArrayList<>(messages.size());
    for (Message m : messages) {
      checks.add(messages.size() == 1 ? CompletableFuture.completedFuture(traced(m, check(m, link, keys, shared)))
          : CompletableFuture.supplyAsync(() -> traced(m, check(m, link, keys, shared)), verifiers));
    }
    int i = 0;
    while (i < messages.size()) {
      Message m = messages.get(i);
      Object checked = result(checks.get(i));
      if (checked instanceof Refused r) {
        if (!r.retry()) fed.reject("change", link, m, r.reason());
        verdicts[i++] = r.retry() ? PeerPull.Verdict.RETRY : PeerPull.Verdict.TERM;
        continue;
      }
      Checked first = (Checked) checked;
      ReplicaStore store = fed.openStore(first.header().getStore());
      if (store == null) { // its module is not running here (yet)
        verdicts[i++] = PeerPull.Verdict.RETRY;
        continue;
      }
      // Envelopes that continue this one's chain go into the same transaction.
      List<Checked> group = new ArrayList<>();
      group.add(first);
      int events = first.events().size();
      long last = first.lastSeq();
      int j = i + 1;
      // Only envelopes checked already: the pool keeps checking while this group is applied, so the
      // groups grow as large as the apply is slower than the checks.
      while (j < messages.size() && events < GROUP_EVENTS && checks.get(j).isDone()) {
        if (!(result(checks.get(j)) instanceof Checked next) || !next.header().getStore().equals(first.header().getStore())
            || next.header().getPrevScopeSeq() != last || next.header().getFirstSeq() <= last
            || events + next.events().size() > GROUP_EVENTS) {
          break;
        }
        group.add(next);
        events += next.events().size();
        last = next.lastSeq();
        j++;
      }
      PeerPull.Verdict v = apply(link, store, group);
      if (EnvelopeTrace.on()) group.forEach(c -> EnvelopeTrace.mark(PeerPull.traceKey(c.message()), Stage.APPLIED));
      if (v == null) { // one of several was refused: apply them one by one to refuse only that one
        for (Checked c : group) {
          PeerPull.Verdict one = apply(link, store, List.of(c));
          verdicts[i++] = one == null ? PeerPull.Verdict.TERM : one;
        }
      } else {
        for (int k = 0; k < group.size(); k++) verdicts[i++] = v;
      }
    }
    return verdicts;
  }

  private static Object traced(Message m, Object checked) {
    if (EnvelopeTrace.on()) EnvelopeTrace.mark(PeerPull.traceKey(m), Stage.CHECKED);
    return checked;
  }

  /** The checks of one envelope: a {@link Checked} or a {@link Refused}. Thread-safe: runs on the verifier pool. */
  private Object check(Message m, LinkRecord link, PeerKeys keys, Set<String> shared) {
    String origin = link.getPeerNodeId();
    try {
      Envelopes.Opened opened = Envelopes.open(Envelope.parseFrom(m.getData()), keys, shared, fed.book::scopeKey);
      EnvelopeHeader h = opened.header();
      if (h.getKind() != EnvelopeHeader.Kind.CDC || !h.getOrigin().equals(origin) || !h.getScope().equals(project)
          || !m.getSubject().equals(CdcPublisher.subject(origin, project, h.getStore())) || h.getCount() < 1) {
        return new Refused("header (" + h.getKind() + ", " + h.getOrigin() + ", " + h.getScope() + ", " + h.getStore()
            + ") does not match the subject or the link", false);
      }
      return new Checked(m, h, CdcPayload.parseFrom(opened.payload()).getEventsList());
    } catch (ForgedEnvelopeException e) {
      // Signed by the owner, sealed with a scope key it rotated: the new key is on its way on the
      // control stream. Wait for it rather than lose the event.
      boolean rotated = e.reason() == ForgedEnvelopeException.Reason.UNDECRYPTABLE && newerKey(m);
      return new Refused(e.getMessage(), rotated);
    } catch (InvalidProtocolBufferException e) {
      return new Refused(e.getMessage(), false);
    }
  }

  /**
   * Applies consecutive envelopes of one chain in one transaction. Null when the store refused a
   * change because the owner may not write it (a key of another project or of this node): with one
   * envelope, it is then rejected here; with several, the caller tries them one by one.
   */
  private PeerPull.Verdict apply(LinkRecord link, ReplicaStore store, List<Checked> group) {
    Checked head = group.get(0);
    EnvelopeHeader h = head.header();
    String origin = link.getPeerNodeId();
    String chain = chain(origin, h.getStore(), project);
    // After a publisher restart the same events may come grouped differently: skip what is applied.
    long cursor = store.replicaCursor(chain);
    List<ReplicaChange> changes = new ArrayList<>();
    long first = 0;
    long prev = h.getPrevScopeSeq();
    long last = h.getFirstSeq();
    long committed = 0;
    for (Checked c : group) {
      for (CdcEvent e : c.events()) {
        if (e.getSequence() <= cursor) {
          prev = e.getSequence(); // the next one follows it in the chain
          continue;
        }
        if (first == 0) first = e.getSequence();
        committed = Math.max(committed, e.getTimeMicros());
        changes.add(new ReplicaChange(e.getCollection(), e.getKey(), e.getDelete(), e.getDelete() ? null : e.getValue().toByteArray()));
        last = Math.max(last, e.getSequence());
      }
    }
    if (changes.isEmpty()) return PeerPull.Verdict.ACK; // all applied before
    ReplicaOutcome outcome;
    // Continues the owner's trace (its publish span, through the first message's traceparent
    // header); the store write of the apply is its child.
    Message m = head.message();
    TraceSpan span = fed.node.tracing().consuming("federation.apply", name -> header(m, name), h.getStore());
    try (TraceSpan.Scope s = span.enter()) {
      outcome = Federation.await(store.applyReplica(origin, project, chain, first, prev, last, changes));
      span.end(outcome == ReplicaOutcome.OUT_OF_ORDER ? "OUT_OF_ORDER" : null);
    } catch (ModuleException e) {
      span.end(e.code().name());
      if (e.getMessage() != null && e.getMessage().contains("scope")) {
        if (group.size() > 1) return null;
        // A key of another project or of this node: the owner may not write it. Never applied.
        fed.reject("change", link, m, e.getMessage());
        return PeerPull.Verdict.TERM;
      }
      log.info("replica of {} from {} waits: {}", project, link.getPeerOrgName(), e.getMessage());
      return PeerPull.Verdict.RETRY;
    } catch (RuntimeException e) {
      span.end(e.getClass().getSimpleName());
      log.warn("replica of {} from {}: applying stream seq {} failed, it will be redelivered: {}", project,
          link.getPeerOrgName(), m.metaData().streamSequence(), e.toString());
      return PeerPull.Verdict.RETRY;
    }
    if (outcome != ReplicaOutcome.OUT_OF_ORDER) {
      stuckSince = 0;
      if (outcome == ReplicaOutcome.APPLIED) lagSeconds = Math.max(0, System.currentTimeMillis() * 1000 - committed) / 1e6;
      return PeerPull.Verdict.ACK;
    }
    long now = System.nanoTime();
    if (stuckSince == 0) {
      stuckSince = now;
    } else if (now - stuckSince > fed.options.gapTimeout().toNanos()) {
      log.warn("replica of {} from {}: event {} of {} is missing for {} s; fetching a snapshot", project,
          link.getPeerOrgName(), h.getPrevScopeSeq(), h.getStore(), fed.options.gapTimeout().toSeconds());
      needSnapshot();
    }
    return PeerPull.Verdict.RETRY;
  }

  private static Object result(CompletableFuture<Object> check) {
    try {
      return check.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Refused("interrupted", true);
    } catch (ExecutionException e) {
      log.warn("checking an envelope failed, it will be redelivered: {}", e.getCause().toString());
      return new Refused(e.getCause().toString(), true);
    }
  }

  private static String header(Message m, String name) {
    return m.hasHeaders() ? m.getHeaders().getFirst(name) : null;
  }

  /**
   * Whether a (signature-checked) envelope names a scope key this node does not hold yet. Only the
   * owner can sign, so this is a rotation in flight, not a forgery.
   */
  private boolean newerKey(Message m) {
    try {
      EnvelopeHeader h = EnvelopeHeader.parseFrom(Envelope.parseFrom(m.getData()).getHeader());
      var key = fed.book.scopeKey(project);
      return key != null && !ScopeKeys.holds(key, h.getKeyId());
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
  }

  private static Set<String> sharedBy(LinkRecord link) {
    Set<String> out = new HashSet<>();
    link.getSharesList().forEach(s -> {
      if (!s.getOwnedHere() && s.getState() == ShareState.SHARED) out.add(s.getProjectId());
    });
    return out;
  }
}
