package dev.hearth.federation;

import com.google.crypto.tink.KeysetHandle;
import dev.hearth.federation.v1.InviteSecretRecord;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.LinkState;
import dev.hearth.federation.v1.ShareRecord;
import dev.hearth.federation.v1.ShareState;
import dev.hearth.federation.crypto.PeerKeys;
import dev.hearth.federation.crypto.ScopeKeys;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Store;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * This node's links, the secrets of its open link invites and the scope keys of shared projects,
 * kept in the kernel store (so encrypted at rest like everything there), with the links also in
 * memory: the publisher, the replicators and the forwarder ask on every event or call.
 *
 * <p>Collections: {@code federation.links} (id → {@link LinkRecord}), {@code federation.invites}
 * (SHA-256 of the secret → {@link InviteSecretRecord}) and {@code federation.scope_keys} (project →
 * Tink keyset bytes: made here for projects this node owns, unwrapped from an offer for replicas).
 * All are unscoped: they are this node's own and never replicated.
 */
final class LinkBook {

  static final String LINKS = "federation.links";

  private final Store kernel;
  private final Collection<LinkRecord> links;
  private final Collection<InviteSecretRecord> invites;
  private final Collection<byte[]> scopeKeys;
  private final Map<String, LinkRecord> cache = new ConcurrentHashMap<>();
  private final Map<String, PeerKeys> peerKeys = new ConcurrentHashMap<>();
  private final Map<String, KeysetHandle> keys = new ConcurrentHashMap<>();

  LinkBook(Store kernel) {
    this.kernel = kernel;
    this.links = kernel.collection(CollectionSpec.of(LINKS, Codec.of(LinkRecord.parser())));
    this.invites = kernel.collection(CollectionSpec.of("federation.invites", Codec.of(InviteSecretRecord.parser())));
    this.scopeKeys = kernel.collection(CollectionSpec.of("federation.scope_keys", Codec.bytes()));
    for (Entry<LinkRecord> e : links.scan(null, null, 100_000, false)) cache.put(e.key(), e.value());
  }

  Collection<InviteSecretRecord> invites() {
    return invites;
  }

  Store store() {
    return kernel;
  }

  /** Every link that is not removed. */
  List<LinkRecord> all() {
    List<LinkRecord> out = new ArrayList<>();
    for (LinkRecord l : cache.values()) if (l.getState() != LinkState.REMOVED) out.add(l);
    return out;
  }

  /** Every link, removed ones too (their replicas stay, read-only). */
  List<LinkRecord> allIncludingRemoved() {
    return new ArrayList<>(cache.values());
  }

  Optional<LinkRecord> get(String id) {
    return Optional.ofNullable(cache.get(id));
  }

  /** The link of {@code orgId} with id {@code id}, else NOT_FOUND (also for another org's link: no probing). */
  LinkRecord ofOrg(String orgId, String id) {
    LinkRecord l = cache.get(id == null ? "" : id);
    if (l == null || !l.getOrgId().equals(orgId) || l.getState() == LinkState.REMOVED) {
      throw ModuleException.notFound("link " + id + " not found in org " + orgId);
    }
    return l;
  }

  /** The pinned public keys of a link's peer. */
  PeerKeys peerKeys(LinkRecord link) {
    return peerKeys.computeIfAbsent(link.getId(), id -> PeerKeys.parse(link.getPeerSigningKeyset(), link.getPeerHpkeKeyset()));
  }

  /** Creates or replaces a link. */
  Future<LinkRecord> put(String actor, LinkRecord link) {
    return kernel.write(actor, tx -> {
      tx.put(links, link.getId(), link);
      return link;
    }).onSuccess(l -> cache.put(l.getId(), l));
  }

  /** Changes a link in one transaction; {@code change} sees the stored record. */
  Future<LinkRecord> update(String actor, String id, UnaryOperator<LinkRecord> change) {
    return kernel.write(actor, tx -> {
      LinkRecord l = tx.get(links, id).orElseThrow(() -> ModuleException.notFound("link " + id + " not found"));
      LinkRecord next = change.apply(l);
      tx.put(links, id, next);
      return next;
    }).onSuccess(l -> cache.put(l.getId(), l));
  }

  /** The share of {@code projectId} on a link, if any. */
  static Optional<ShareRecord> share(LinkRecord link, String projectId) {
    return link.getSharesList().stream().filter(s -> s.getProjectId().equals(projectId)).findFirst();
  }

  /** {@code link} with the share of {@code projectId} replaced by {@code share} (or added). */
  static LinkRecord withShare(LinkRecord link, ShareRecord share) {
    LinkRecord.Builder b = link.toBuilder().clearShares();
    boolean found = false;
    for (ShareRecord s : link.getSharesList()) {
      if (s.getProjectId().equals(share.getProjectId())) {
        b.addShares(share);
        found = true;
      } else {
        b.addShares(s);
      }
    }
    if (!found) b.addShares(share);
    return b.build();
  }

  /**
   * The link through which {@code projectId} is replicated here (owned by the link's peer, SHARED),
   * if the link is ACTIVE or PAUSED.
   */
  Optional<LinkRecord> replicaLinkOf(String projectId) {
    for (LinkRecord l : cache.values()) {
      if (l.getState() == LinkState.REMOVED) continue;
      Optional<ShareRecord> s = share(l, projectId);
      if (s.isPresent() && !s.get().getOwnedHere() && s.get().getState() == ShareState.SHARED) return Optional.of(l);
    }
    return Optional.empty();
  }

  /**
   * Whether local writes to {@code projectId} must go through another node: it is (or was) a
   * replica here. A detached replica stays read-only: its owner is elsewhere.
   */
  boolean isReplica(String projectId) {
    for (LinkRecord l : cache.values()) {
      Optional<ShareRecord> s = share(l, projectId);
      if (s.isPresent() && !s.get().getOwnedHere() && s.get().getState() != ShareState.OFFERED) return true;
    }
    return false;
  }

  /** Whether this node publishes {@code projectId}: owned here and offered or shared on a live link. */
  boolean publishes(String projectId) {
    for (LinkRecord l : cache.values()) {
      if (l.getState() == LinkState.REMOVED) continue;
      Optional<ShareRecord> s = share(l, projectId);
      if (s.isPresent() && s.get().getOwnedHere() && s.get().getState() != ShareState.DETACHED) return true;
    }
    return false;
  }

  /** The scope key of {@code projectId}, or null. */
  KeysetHandle scopeKey(String projectId) {
    KeysetHandle k = keys.get(projectId);
    if (k != null) return k;
    Optional<byte[]> stored = scopeKeys.get(projectId);
    if (stored.isEmpty()) return null;
    KeysetHandle parsed = ScopeKeys.fromBytes(stored.get());
    keys.put(projectId, parsed);
    return parsed;
  }

  /** Keeps a scope key (made here, or received for a replica) in the same transaction as {@code tx}'s other writes. */
  void putScopeKey(Tx tx, String projectId, KeysetHandle key) {
    tx.put(scopeKeys, projectId, ScopeKeys.toBytes(key));
    keys.put(projectId, key);
  }
}
