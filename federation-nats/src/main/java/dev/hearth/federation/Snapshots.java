package dev.hearth.federation;

import com.google.protobuf.ByteString;
import dev.hearth.federation.crypto.Envelopes;
import dev.hearth.federation.crypto.ForgedEnvelopeException;
import dev.hearth.federation.v1.CdcEvent;
import dev.hearth.federation.v1.Control;
import dev.hearth.federation.v1.Envelope;
import dev.hearth.federation.v1.EnvelopeHeader;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.ShareRecord;
import dev.hearth.federation.v1.ShareState;
import dev.hearth.federation.v1.SnapshotChunk;
import dev.hearth.federation.v1.SnapshotManifest;
import dev.hearth.federation.v1.SnapshotPart;
import dev.hearth.federation.v1.SnapshotRequest;
import dev.hearth.federation.v1.StoreCut;
import dev.hearth.kernel.spi.ReplicaChange;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.spi.ScopeContent;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Ids;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared project's whole content, sent when a replica starts or has lost events: the owner scans
 * every open store for the project's entries, noting for each store a sequence up to which every
 * change is included ({@link ReplicaStore#scopeContent}); the replica writes the entries, deletes the
 * project's keys the snapshot does not hold, and continues each chain after that sequence. The scan
 * may also hold some later changes; their events are applied again after it and the replica ends
 * equal (every event carries a whole value). Chunks are envelopes sealed with the scope key on the
 * owner's snapshot stream, read once by the replica through a consumer made for that snapshot.
 */
final class Snapshots {

  private static final Logger log = LoggerFactory.getLogger(Snapshots.class);
  private static final int CHUNK_ENTRIES = 500;
  private static final int CHUNK_BYTES = 512 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(120);

  private final Federation fed;

  Snapshots(Federation fed) {
    this.fed = fed;
  }

  /** Owner: sends project {@code req.project_id} to the link's peer. Blocking. */
  void serve(LinkRecord link, SnapshotRequest req) {
    String project = req.getProjectId();
    ShareRecord share = LinkBook.share(link, project).orElse(null);
    if (share == null || !share.getOwnedHere() || share.getState() == ShareState.DETACHED || !req.getSnapId().matches("[A-Za-z0-9-]{1,64}")) {
      log.warn("link {}: {} asked for a snapshot of {}, which is not shared with it", link.getId(), link.getPeerOrgName(), project);
      return;
    }
    String subject = Streams.snapSubject(fed.nodeId, link.getPeerNodeId(), req.getSnapId());
    SnapshotManifest.Builder manifest = SnapshotManifest.newBuilder();
    int n = 0;
    long entries = 0;
    for (ReplicaStore store : fed.node.stores()) {
      ScopeContent content = store.scopeContent(project);
      List<CdcEvent> chunk = new ArrayList<>();
      int bytes = 0;
      for (ReplicaChange c : content.entries()) {
        CdcEvent e = CdcEvent.newBuilder().setCollection(c.collection()).setKey(c.key())
            .setValue(ByteString.copyFrom(c.value())).build();
        chunk.add(e);
        bytes += e.getSerializedSize();
        if (chunk.size() >= CHUNK_ENTRIES || bytes >= CHUNK_BYTES) {
          send(subject, project, store.name(), part(store.name(), chunk), req.getSnapId() + "." + n++);
          chunk.clear();
          bytes = 0;
        }
      }
      if (!chunk.isEmpty()) send(subject, project, store.name(), part(store.name(), chunk), req.getSnapId() + "." + n++);
      manifest.addStores(StoreCut.newBuilder().setStore(store.name()).setAfterSeq(content.afterSeq())
          .setEntries(content.entries().size()));
      entries += content.entries().size();
    }
    send(subject, project, "", SnapshotPart.newBuilder().setManifest(manifest).build(), req.getSnapId() + ".end");
    log.info("link {}: sent a snapshot of {} to {}: {} entries in {} chunks", link.getId(), project,
        link.getPeerOrgName(), entries, n);
  }

  private static SnapshotPart part(String store, List<CdcEvent> entries) {
    return SnapshotPart.newBuilder().setChunk(SnapshotChunk.newBuilder().setStore(store).addAllEntries(entries)).build();
  }

  private void send(String subject, String project, String store, SnapshotPart part, String msgId) {
    EnvelopeHeader h = EnvelopeHeader.newBuilder().setKind(EnvelopeHeader.Kind.SNAPSHOT).setOrigin(fed.nodeId)
        .setScope(project).setStore(store).build();
    Envelope e = Envelopes.seal(h, part.toByteArray(), fed.book.scopeKey(project), fed.keys);
    fed.publish(subject, e.toByteArray(), msgId);
  }

  /**
   * Replica: asks the link's peer for project {@code project} and applies it. Blocking; the
   * project's events wait meanwhile (the caller is its replicator or runs before it starts).
   *
   * @throws ModuleException UNAVAILABLE when the owner does not answer in time
   */
  void fetch(LinkRecord link, String project) {
    String owner = link.getPeerNodeId();
    String snapId = Ids.next();
    String durable = "snap-" + fed.nodeId + "-" + snapId;
    String stream = Streams.snap(owner);
    var jsm = managementOf(link);
    JetStreamSubscription sub = null;
    try {
      jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable(durable)
          .filterSubject(Streams.snapSubject(owner, fed.nodeId, snapId)).ackPolicy(AckPolicy.Explicit)
          .inactiveThreshold(Duration.ofMinutes(10)).build());
      sub = fed.nc().jetStream(PeerPull.domain(link.getPeerJsDomain())).subscribe(null, PullSubscribeOptions.bind(stream, durable));
      fed.control.send(link, Control.newBuilder().setSnapshotRequest(
          SnapshotRequest.newBuilder().setProjectId(project).setSnapId(snapId)).build());
      apply(link, project, sub);
    } catch (ModuleException e) {
      throw e;
    } catch (Exception e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "snapshot of " + project + " failed: " + e.getMessage());
    } finally {
      if (sub != null) {
        try {
          sub.unsubscribe();
        } catch (RuntimeException ignored) {
          // connection gone
        }
      }
      try {
        jsm.deleteConsumer(stream, durable);
      } catch (Exception ignored) {
        // it expires by itself (inactive threshold)
      }
    }
  }

  private JetStreamManagement managementOf(LinkRecord link) {
    try {
      return fed.nc().jetStreamManagement(PeerPull.domain(link.getPeerJsDomain()));
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "NATS: " + e.getMessage());
    }
  }

  private void apply(LinkRecord link, String project, JetStreamSubscription sub) throws Exception {
    String owner = link.getPeerNodeId();
    Map<String, Set<String>> seen = new HashMap<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    long entries = 0;
    while (System.nanoTime() < deadline) {
      for (Message m : sub.fetch(64, Duration.ofSeconds(1))) {
        m.ack();
        Envelopes.Opened o;
        try {
          o = Envelopes.open(Envelope.parseFrom(m.getData()), fed.book.peerKeys(link), Set.of(project), fed.book::scopeKey);
          if (o.header().getKind() != EnvelopeHeader.Kind.SNAPSHOT || !o.header().getOrigin().equals(owner)
              || !o.header().getScope().equals(project)) {
            throw new ForgedEnvelopeException(ForgedEnvelopeException.Reason.MALFORMED, "not a snapshot of " + project);
          }
        } catch (ForgedEnvelopeException e) {
          fed.reject("snapshot", link, m, e.getMessage());
          throw new ModuleException(ModuleException.Code.DATA_LOSS, "a snapshot chunk failed its checks: " + e.getMessage());
        }
        SnapshotPart part = SnapshotPart.parseFrom(o.payload());
        if (part.hasChunk()) {
          SnapshotChunk c = part.getChunk();
          ReplicaStore store = fed.openStore(c.getStore());
          if (store == null) continue; // its module does not run here: that store's chain waits for a later snapshot
          List<ReplicaChange> changes = new ArrayList<>();
          Set<String> keys = seen.computeIfAbsent(c.getStore(), s -> new HashSet<>());
          for (CdcEvent e : c.getEntriesList()) {
            changes.add(new ReplicaChange(e.getCollection(), e.getKey(), false, e.getValue().toByteArray()));
            keys.add(e.getCollection() + "\0" + e.getKey());
          }
          Federation.await(store.applySnapshot(owner, project, changes));
          entries += changes.size();
        } else {
          finish(owner, project, part.getManifest(), seen);
          log.info("replica of {} from {}: snapshot applied, {} entries", project, link.getPeerOrgName(), entries);
          return;
        }
      }
    }
    throw new ModuleException(ModuleException.Code.UNAVAILABLE, "the owner's node sent no snapshot of " + project
        + " within " + WAIT.toSeconds() + " s");
  }

  /** Deletes what the owner no longer has and continues each chain after the snapshot's cut. */
  private void finish(String owner, String project, SnapshotManifest manifest, Map<String, Set<String>> seen) {
    for (StoreCut cut : manifest.getStoresList()) {
      ReplicaStore store = fed.openStore(cut.getStore());
      if (store == null) continue;
      Set<String> keys = seen.getOrDefault(cut.getStore(), Set.of());
      List<ReplicaChange> gone = new ArrayList<>();
      for (ReplicaChange c : store.scopeContent(project).entries()) {
        if (!keys.contains(c.collection() + "\0" + c.key())) gone.add(new ReplicaChange(c.collection(), c.key(), true, null));
      }
      if (!gone.isEmpty()) Federation.await(store.applySnapshot(owner, project, gone));
      String chain = Replicator.chain(owner, cut.getStore(), project);
      Federation.await(store.setReplicaCursor(chain, Math.max(cut.getAfterSeq(), store.replicaCursor(chain))));
    }
  }

}
