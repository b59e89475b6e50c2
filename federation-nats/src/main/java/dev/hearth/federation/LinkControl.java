package dev.hearth.federation;

import com.google.crypto.tink.KeysetHandle;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.ForgedEnvelopeException;
import dev.hearth.federation.crypto.ScopeKeys;
import dev.hearth.federation.v1.Control;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.LinkState;
import dev.hearth.federation.v1.ShareAccepted;
import dev.hearth.federation.v1.ShareOffer;
import dev.hearth.federation.v1.ShareRecord;
import dev.hearth.federation.v1.ShareState;
import dev.hearth.module.store.Ids;
import io.nats.client.Message;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link control between two nodes: what one sends the other about their link (share offers with
 * the wrapped scope key, acceptances, unshare, pause, resume, unlink, snapshot requests), sealed to
 * the peer and signed, durable in the sender's control stream; and how a received message changes
 * the link here. Each message is applied once: the link keeps the stream sequence of the last one.
 */
final class LinkControl {

  private static final Logger log = LoggerFactory.getLogger(LinkControl.class);

  private final Federation fed;

  LinkControl(Federation fed) {
    this.fed = fed;
  }

  /** Sends link control to the peer: sealed to it, signed, durable in this node's control stream. */
  void send(LinkRecord link, Control message) {
    EnvelopeHeader h = EnvelopeHeader.newBuilder().setKind(EnvelopeHeader.Kind.CONTROL).setOrigin(fed.nodeId).build();
    Envelope e = Envelopes.sealTo(h, message.toBuilder().setLinkId(link.getId()).build().toByteArray(),
        fed.book.peerKeys(link), fed.keys);
    fed.publish(Streams.ctlSubject(fed.nodeId, link.getPeerNodeId()), e.toByteArray(), Ids.next());
  }

  PeerPull.Verdict onControl(String linkId, Message m) throws Exception {
    LinkRecord link = fed.book.get(linkId).orElse(null);
    if (link == null || link.getState() == LinkState.REMOVED) return PeerPull.Verdict.TERM;
    long seq = m.metaData().streamSequence();
    if (seq <= link.getControlSeq()) return PeerPull.Verdict.ACK; // applied before
    Control c;
    try {
      Envelopes.Opened o = Envelopes.openFrom(Envelope.parseFrom(m.getData()), fed.book.peerKeys(link), fed.keys);
      if (!o.header().getOrigin().equals(link.getPeerNodeId()) || o.header().getKind() != EnvelopeHeader.Kind.CONTROL) {
        throw new ForgedEnvelopeException(ForgedEnvelopeException.Reason.MALFORMED, "not control from the link's peer");
      }
      c = Control.parseFrom(o.payload());
      if (!c.getLinkId().equals(linkId)) {
        throw new ForgedEnvelopeException(ForgedEnvelopeException.Reason.MALFORMED, "control for another link");
      }
    } catch (ForgedEnvelopeException | InvalidProtocolBufferException e) {
      fed.reject("control", link, m, e.getMessage());
      return PeerPull.Verdict.TERM;
    }
    String actor = "fed:" + link.getPeerNodeId();
    switch (c.getBodyCase()) {
      case SHARE_OFFER -> {
        var offer = c.getShareOffer();
        if (fed.book.publishes(offer.getProjectId())) return PeerPull.Verdict.TERM; // ours: a peer cannot offer it back
        KeysetHandle key;
        try {
          key = ScopeKeys.unwrap(offer.getWrappedKey().toByteArray(), offer.getProjectId(), fed.keys);
        } catch (ForgedEnvelopeException e) {
          fed.reject("control", link, m, e.getMessage());
          return PeerPull.Verdict.TERM;
        }
        // A new offer of a project already replicated here (a new scope key) keeps it replicated.
        ShareState state = LinkBook.share(link, offer.getProjectId()).map(ShareRecord::getState)
            .filter(st -> st == ShareState.SHARED).orElse(ShareState.OFFERED);
        ShareRecord share = ShareRecord.newBuilder().setProjectId(offer.getProjectId())
            .setProjectName(offer.getProjectName()).setState(state).build();
        Federation.await(fed.book.store().write(actor, tx -> {
          fed.book.putScopeKey(tx, offer.getProjectId(), key);
          return null;
        }));
        LinkRecord next = Federation.await(fed.book.update(actor, linkId, l -> LinkBook.withShare(l, share)));
        log.info("link {}: {} offers project {}", linkId, link.getPeerOrgName(), offer.getProjectId());
        if (fed.options.autoAcceptShares() && state == ShareState.OFFERED) acceptShare(actor, next, offer.getProjectId());
      }
      case SHARE_ACCEPTED -> Federation.await(fed.book.update(actor, linkId, l -> LinkBook.share(l, c.getShareAccepted().getProjectId())
          .filter(ShareRecord::getOwnedHere)
          .map(s -> LinkBook.withShare(l, s.toBuilder().setState(ShareState.SHARED).build())).orElse(l)));
      case UNSHARE -> {
        String p = c.getUnshare().getProjectId();
        Federation.await(fed.book.update(actor, linkId, l -> LinkBook.share(l, p)
            .map(s -> LinkBook.withShare(l, s.toBuilder().setState(ShareState.DETACHED).build())).orElse(l)));
        fed.stopReplicator(linkId, p);
      }
      case UNLINK -> {
        LinkRecord gone = Federation.await(fed.book.update(actor, linkId, LinkControl::removed));
        fed.stopReaders(gone, false, false);
        fed.deletePeerConsumers(gone);
        rotateScopeKeys(actor, gone, link.getSharesList().stream().filter(ShareRecord::getOwnedHere)
            .map(ShareRecord::getProjectId).toList());
        log.info("link {} removed by {}", linkId, link.getPeerOrgName());
        // Control stops after this message is acknowledged (below), so it is not read again.
        fed.node.vertx().setTimer(100, t -> fed.node.vertx().executeBlocking(() -> {
          fed.stopReaders(gone, true, true);
          return null;
        }, false));
      }
      case PAUSED -> {
        fed.stopReaders(Federation.await(fed.book.update(actor, linkId, l -> l.toBuilder().setState(LinkState.PAUSED).build())), false, false);
      }
      case RESUMED -> fed.startReaders(Federation.await(fed.book.update(actor, linkId, l -> l.toBuilder().setState(LinkState.ACTIVE).build())));
      case SNAPSHOT_REQUEST -> fed.snapshots.serve(link, c.getSnapshotRequest());
      default -> {
        return PeerPull.Verdict.TERM;
      }
    }
    Federation.await(fed.book.update(actor, linkId, l -> l.toBuilder().setControlSeq(Math.max(seq, l.getControlSeq())).build()));
    return PeerPull.Verdict.ACK;
  }

  /** Accepts an offered project: replicated from now on, starting with a snapshot. */
  LinkRecord acceptShare(String actor, LinkRecord link, String project) {
    LinkRecord next = Federation.await(fed.book.update(actor, link.getId(), l -> LinkBook.share(l, project)
        .map(s -> LinkBook.withShare(l, s.toBuilder().setState(ShareState.SHARED).build())).orElse(l)));
    send(next, Control.newBuilder().setShareAccepted(
        ShareAccepted.newBuilder().setProjectId(project)).build());
    if (next.getState() == LinkState.ACTIVE) fed.replicate(next, project);
    return next;
  }

  /**
   * After a link was removed or a project unshared on it: every project this node owns that the
   * link carried and that is still shared on other links gets a new primary scope key, sent to the
   * remaining peers. The removed peer keeps only the old key, so even if it can still read this
   * node's stream through the leaf connection it cannot open what is sealed from now on. Blocking.
   */
  void rotateScopeKeys(String actor, LinkRecord gone, Collection<String> projects) {
    for (String project : projects) {
      if (!fed.book.publishes(project)) continue; // no longer published at all: nothing new to hide
      var next = ScopeKeys.rotate(fed.book.scopeKey(project));
      Federation.await(fed.book.store().write(actor, tx -> {
        fed.book.putScopeKey(tx, project, next);
        return null;
      }));
      for (LinkRecord l : fed.book.all()) {
        if (l.getId().equals(gone.getId()) || l.getState() == LinkState.REMOVED) continue;
        var share = LinkBook.share(l, project);
        if (share.isEmpty() || !share.get().getOwnedHere() || share.get().getState() == ShareState.DETACHED) continue;
        send(l, Control.newBuilder().setShareOffer(ShareOffer.newBuilder()
            .setProjectId(project).setProjectName(share.get().getProjectName())
            .setWrappedKey(ByteString.copyFrom(ScopeKeys.wrap(next, project, fed.book.peerKeys(l))))).build());
      }
      log.info("project {}: scope key rotated after link {} ({}) stopped sharing it", project, gone.getId(),
          gone.getPeerOrgName());
    }
  }

  static LinkRecord removed(LinkRecord l) {
    LinkRecord.Builder b = l.toBuilder().setState(LinkState.REMOVED);
    for (int i = 0; i < b.getSharesCount(); i++) {
      b.setShares(i, b.getShares(i).toBuilder().setState(ShareState.DETACHED));
    }
    return b.build();
  }
}
