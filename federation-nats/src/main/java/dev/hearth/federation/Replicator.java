package dev.hearth.federation;

import dev.hearth.federation.cdc.CdcPublisher;
import dev.hearth.federation.crypto.ScopeKeys;
import dev.hearth.federation.v1.CdcEvent;
import dev.hearth.federation.v1.CdcPayload;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.LinkState;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.ForgedEnvelopeException;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.spi.ReplicaChange;
import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.module.ModuleException;
import dev.hearth.kernel.spi.TraceSpan;
import io.nats.client.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 */
final class Replicator {

  private static final Logger log = LoggerFactory.getLogger(Replicator.class);

  private final Federation fed;
  private final String linkId;
  private final String project;
  private volatile boolean snapshotNeeded;
  /** Apply time here minus commit time at the owner, of the last event applied. */
  private volatile double lagSeconds;
  private long stuckSince;

  Replicator(Federation fed, String linkId, String project) {
    this.fed = fed;
    this.linkId = linkId;
    this.project = project;
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

  PeerPull.Verdict handle(Message m) throws Exception {
    LinkRecord link = fed.book.get(linkId).orElse(null);
    if (link == null || link.getState() == LinkState.REMOVED) return PeerPull.Verdict.TERM;
    if (link.getState() != LinkState.ACTIVE) return PeerPull.Verdict.RETRY;
    if (snapshotNeeded) {
      fed.snapshots.fetch(link, project);
      snapshotNeeded = false;
      stuckSince = 0;
    }
    String origin = link.getPeerNodeId();
    Envelopes.Opened opened;
    try {
      opened = Envelopes.open(Envelope.parseFrom(m.getData()), fed.book.peerKeys(link), sharedBy(link), fed.book::scopeKey);
      EnvelopeHeader h = opened.header();
      if (h.getKind() != EnvelopeHeader.Kind.CDC || !h.getOrigin().equals(origin) || !h.getScope().equals(project)
          || !m.getSubject().equals(CdcPublisher.subject(origin, project, h.getStore())) || h.getCount() < 1) {
        throw new ForgedEnvelopeException(ForgedEnvelopeException.Reason.MALFORMED,
            "header (" + h.getKind() + ", " + h.getOrigin() + ", " + h.getScope() + ", " + h.getStore()
                + ") does not match the subject or the link");
      }
    } catch (ForgedEnvelopeException e) {
      if (e.reason() == ForgedEnvelopeException.Reason.UNDECRYPTABLE && newerKey(m)) {
        // Signed by the owner, sealed with a scope key it rotated: the new key is on its way on the
        // control stream. Wait for it rather than lose the event.
        return PeerPull.Verdict.RETRY;
      }
      fed.reject("change", link, m, e.getMessage());
      return PeerPull.Verdict.TERM;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      fed.reject("change", link, m, e.getMessage());
      return PeerPull.Verdict.TERM;
    }
    EnvelopeHeader h = opened.header();
    ReplicaStore store = fed.openStore(h.getStore());
    if (store == null) return PeerPull.Verdict.RETRY; // its module is not running here (yet)
    String chain = chain(origin, h.getStore(), project);
    // After a publisher restart the same events may come grouped differently: skip what is applied.
    long cursor = store.replicaCursor(chain);
    List<ReplicaChange> changes = new ArrayList<>();
    long first = 0;
    long prev = h.getPrevScopeSeq();
    long last = h.getFirstSeq();
    long committed = 0;
    for (CdcEvent e : CdcPayload.parseFrom(opened.payload()).getEventsList()) {
      if (e.getSequence() <= cursor && e.getSequence() >= h.getFirstSeq()) {
        prev = e.getSequence(); // the next one follows it in the chain
        continue;
      }
      if (first == 0) first = e.getSequence();
      committed = Math.max(committed, e.getTimeMicros());
      changes.add(new ReplicaChange(e.getCollection(), e.getKey(), e.getDelete(), e.getDelete() ? null : e.getValue().toByteArray()));
      last = Math.max(last, e.getSequence());
    }
    if (changes.isEmpty()) return PeerPull.Verdict.ACK; // all applied before
    ReplicaOutcome outcome;
    // Continues the owner's trace (its publish span, through the message's traceparent header); the
    // store write of the apply is its child.
    TraceSpan span = fed.node.tracing().consuming("federation.apply", name -> header(m, name), h.getStore());
    try (TraceSpan.Scope s = span.enter()) {
      outcome = Federation.await(store.applyReplica(origin, project, chain, first, prev, last, changes));
      span.end(outcome == ReplicaOutcome.OUT_OF_ORDER ? "OUT_OF_ORDER" : null);
    } catch (ModuleException e) {
      span.end(e.code().name());
      if (e.getMessage() != null && e.getMessage().contains("scope")) {
        // A key of another project or of this node: the owner may not write it. Never applied.
        fed.reject("change", link, m, e.getMessage());
        return PeerPull.Verdict.TERM;
      }
      log.info("replica of {} from {} waits: {}", project, link.getPeerOrgName(), e.getMessage());
      return PeerPull.Verdict.RETRY;
    } catch (Exception e) {
      span.end(e.getClass().getSimpleName());
      throw e;
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
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      return false;
    }
  }

  private static Set<String> sharedBy(LinkRecord link) {
    java.util.Set<String> out = new java.util.HashSet<>();
    link.getSharesList().forEach(s -> {
      if (!s.getOwnedHere() && s.getState() == dev.hearth.federation.v1.ShareState.SHARED) out.add(s.getProjectId());
    });
    return out;
  }
}
