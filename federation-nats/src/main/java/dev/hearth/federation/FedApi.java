package dev.hearth.federation;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.hearth.api.v1.Level;
import dev.hearth.federation.v1.*;
import dev.hearth.federation.crypto.PeerKeys;
import dev.hearth.federation.crypto.ScopeKeys;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.spi.ScopeDigest;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import io.vertx.core.Future;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code hearth.federation.v1.FedService} and {@code FedPeerService}: links, shares and the handshake.
 * Authorization is the access rule of each method (org-admin of the org for changes); a link or share
 * of another org is NOT_FOUND, like one that does not exist.
 */
final class FedApi {

  private static final long INVITE_TTL_MILLIS = 24 * 3600 * 1000L;

  private final Federation fed;
  private final LinkHandshake handshake;

  FedApi(Federation fed) {
    this.fed = fed;
    this.handshake = new LinkHandshake(fed);
  }

  List<ServiceBinding> bindings() {
    ServiceBinding service = ServiceBinding.of(FedProto.getDescriptor().findServiceByName("FedService"))
        .unary("CreateLinkInvite", CreateLinkInviteRequest.getDefaultInstance(), this::createInvite)
        .unary("AcceptLink", AcceptLinkRequest.getDefaultInstance(), handshake::accept)
        .unary("ListLinks", ListLinksRequest.getDefaultInstance(), this::listLinks)
        .unary("GetLink", LinkRef.getDefaultInstance(), (call, r) -> {
          LinkRecord link = fed.book.ofOrg(r.getOrgId(), r.getLinkId());
          return fed.node.vertx().executeBlocking(() -> view(link), false); // asks the peer's server for pending counts
        })
        .unary("PauseLink", LinkRef.getDefaultInstance(), (call, r) -> setState(call, r, LinkState.PAUSED))
        .unary("ResumeLink", LinkRef.getDefaultInstance(), (call, r) -> setState(call, r, LinkState.ACTIVE))
        .unary("RemoveLink", LinkRef.getDefaultInstance(), this::remove)
        .unary("ShareProject", ShareRequest.getDefaultInstance(), this::share)
        .unary("AcceptShare", ShareRequest.getDefaultInstance(), this::acceptShare)
        .unary("UnshareProject", ShareRequest.getDefaultInstance(), this::unshare)
        .unary("JoinSharedProject", JoinSharedProjectRequest.getDefaultInstance(), this::joinProject)
        .unary("ListSharedProjects", ListSharedProjectsRequest.getDefaultInstance(), this::sharedProjects)
        .unary("GetScopeDigest", DigestRequest.getDefaultInstance(), this::digest)
        .build();
    ServiceBinding peer = ServiceBinding.of(FedProto.getDescriptor().findServiceByName("FedPeerService"))
        .unary("Join", JoinRequest.getDefaultInstance(), handshake::join)
        .build();
    return List.of(service, peer);
  }

  private Future<LinkInvite> createInvite(Call call, CreateLinkInviteRequest r) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String s = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    long expires = fed.node.clock().millis() + INVITE_TTL_MILLIS;
    String orgName = fed.node.orgName(r.getOrgId()).orElseThrow(() -> ModuleException.notFound("org not found"));
    String fingerprint = fed.keys.publicKeys().fingerprint();
    LinkToken token = LinkToken.newBuilder().setNodeId(fed.nodeId).setOrgId(r.getOrgId()).setOrgName(orgName)
        .setApiUrl(fed.publicUrl()).setJsDomain(fed.jsDomain).setFingerprint(fingerprint).setSecret(s)
        .setExpiresAt(expires).build();
    return fed.book.store().write(call.userId(), tx -> {
      tx.put(fed.book.invites(), sha256(s), InviteSecretRecord.newBuilder().setOrgId(r.getOrgId())
          .setExpiresAt(expires).setCreatedBy(call.userId()).build());
      return LinkInvite.newBuilder().setLinkToken(Base64.getUrlEncoder().withoutPadding().encodeToString(token.toByteArray()))
          .setFingerprint(fingerprint).setExpiresAt(Timestamps.fromMillis(expires)).build();
    });
  }

  private Future<ListLinksResponse> listLinks(Call call, ListLinksRequest r) {
    return fed.node.vertx().executeBlocking(() -> {
      ListLinksResponse.Builder b = ListLinksResponse.newBuilder();
      for (LinkRecord l : fed.book.all()) if (l.getOrgId().equals(r.getOrgId())) b.addLinks(view(l));
      return b.build();
    }, false);
  }

  private Future<Link> setState(Call call, LinkRef r, LinkState state) {
    LinkRecord link = fed.book.ofOrg(r.getOrgId(), r.getLinkId());
    if (link.getState() == state) return Future.succeededFuture(view(link));
    return fed.book.update(call.userId(), link.getId(), l -> l.toBuilder().setState(state).build())
        .compose(next -> fed.node.vertx().executeBlocking(() -> {
          if (state == LinkState.PAUSED) {
            fed.stopReaders(next, false, false);
            fed.control.send(next, Control.newBuilder().setPaused(LinkPaused.getDefaultInstance()).build());
          } else {
            fed.control.send(next, Control.newBuilder().setResumed(LinkResumed.getDefaultInstance()).build());
            fed.startReaders(next);
          }
          return view(next);
        }, false));
  }

  private Future<Link> remove(Call call, LinkRef r) {
    LinkRecord link = fed.book.ofOrg(r.getOrgId(), r.getLinkId());
    return fed.node.vertx().executeBlocking(() -> {
      // Tell the peer first, while its keys are still pinned; it stops its side even if this fails later.
      try {
        fed.control.send(link, Control.newBuilder().setUnlink(Unlink.getDefaultInstance()).build());
      } catch (ModuleException e) {
        // NATS down: the peer's reads of our streams stop anyway once its consumers are deleted below.
      }
      LinkRecord gone = Federation.await(fed.book.update(call.userId(), link.getId(), LinkControl::removed));
      fed.stopReaders(gone, true, true);
      fed.deletePeerConsumers(gone);
      fed.control.rotateScopeKeys(call.userId(), gone, owned(link));
      return view(gone);
    }, false);
  }

  private Future<Link> share(Call call, ShareRequest r) {
    LinkRecord link = fed.book.ofOrg(r.getOrgId(), r.getLinkId());
    String project = r.getProjectId();
    if (!fed.node.orgOfProject(project).map(r.getOrgId()::equals).orElse(false)) {
      throw ModuleException.notFound("project " + project + " not found in org " + r.getOrgId());
    }
    if (fed.book.isReplica(project)) throw ModuleException.failedPrecondition("project " + project + " is owned by another node");
    if (link.getState() != LinkState.ACTIVE) throw ModuleException.failedPrecondition("link " + link.getId() + " is " + link.getState());
    String name = fed.node.projectName(project).orElse(project);
    return fed.book.store().write(call.userId(), tx -> {
      var key = fed.book.scopeKey(project);
      if (key == null) {
        key = ScopeKeys.generate();
        fed.book.putScopeKey(tx, project, key);
      }
      return key;
    }).compose(key -> fed.book.update(call.userId(), link.getId(), l -> LinkBook.withShare(l, ShareRecord.newBuilder()
            .setProjectId(project).setProjectName(name).setOwnedHere(true).setState(ShareState.OFFERED).build()))
        .compose(next -> fed.node.vertx().executeBlocking(() -> {
          fed.control.send(next, Control.newBuilder().setShareOffer(ShareOffer.newBuilder().setProjectId(project)
              .setProjectName(name).setWrappedKey(ByteString.copyFrom(ScopeKeys.wrap(key, project, fed.book.peerKeys(next))))).build());
          return view(next);
        }, false)));
  }

  private Future<Link> acceptShare(Call call, ShareRequest r) {
    LinkRecord link = fed.book.ofOrg(r.getOrgId(), r.getLinkId());
    ShareRecord s = LinkBook.share(link, r.getProjectId()).filter(x -> !x.getOwnedHere())
        .orElseThrow(() -> ModuleException.notFound("no offer of project " + r.getProjectId() + " on link " + link.getId()));
    if (s.getState() == ShareState.SHARED) return Future.succeededFuture(view(link));
    if (s.getState() != ShareState.OFFERED) throw ModuleException.failedPrecondition("project " + r.getProjectId() + " is " + s.getState());
    return fed.node.vertx().executeBlocking(() -> view(fed.control.acceptShare(call.userId(), link, r.getProjectId())), false);
  }

  private Future<Link> unshare(Call call, ShareRequest r) {
    LinkRecord link = fed.book.ofOrg(r.getOrgId(), r.getLinkId());
    if (LinkBook.share(link, r.getProjectId()).isEmpty()) {
      throw ModuleException.notFound("project " + r.getProjectId() + " is not shared on link " + link.getId());
    }
    return fed.book.update(call.userId(), link.getId(), l -> LinkBook.share(l, r.getProjectId())
            .map(s -> LinkBook.withShare(l, s.toBuilder().setState(ShareState.DETACHED).build())).orElse(l))
        .compose(next -> fed.node.vertx().executeBlocking(() -> {
          fed.stopReplicator(next.getId(), r.getProjectId());
          fed.control.send(next, Control.newBuilder().setUnshare(Unshare.newBuilder().setProjectId(r.getProjectId())).build());
          if (owned(link).contains(r.getProjectId())) fed.control.rotateScopeKeys(call.userId(), next, List.of(r.getProjectId()));
          return view(next);
        }, false));
  }

  /** Tries each link whose peer shares projects with this node; the owner of the invite's project answers. */
  private Future<JoinSharedProjectResponse> joinProject(Call call, JoinSharedProjectRequest r) {
    if (r.getCode().isBlank()) throw ModuleException.badField("code", "is required");
    // Only through links of the caller's own orgs: a node speaks for its users as members of the org
    // that made the link (their label says so).
    var authz = fed.node.authorization();
    List<LinkRecord> candidates = fed.book.all().stream().filter(l -> l.getState() == LinkState.ACTIVE)
        .filter(l -> l.getSharesList().stream().anyMatch(s -> !s.getOwnedHere() && s.getState() == ShareState.SHARED))
        .filter(l -> authz.allows(call.caller(), Level.ORG_MEMBER, l.getOrgId()))
        .toList();
    if (candidates.isEmpty()) {
      throw ModuleException.failedPrecondition("no org of yours on this node is linked with a node that shares projects");
    }
    return tryJoin(call, r.getCode(), candidates, 0, null);
  }

  private Future<JoinSharedProjectResponse> tryJoin(Call call, String code, List<LinkRecord> links, int i, Throwable last) {
    if (i == links.size()) {
      return Future.failedFuture(last != null ? last : ModuleException.badField("code", "unknown, used up or expired invite code"));
    }
    LinkRecord link = links.get(i);
    return fed.mutations.send(link, "", Mutations.JOIN, ByteString.copyFromUtf8(code), call.caller())
        .map(bytes -> {
          try {
            return JoinSharedProjectResponse.parseFrom(bytes);
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ModuleException(ModuleException.Code.INTERNAL, "the owner's answer does not decode");
          }
        })
        .compose(resp -> fed.awaitMembership(call.userId(), resp.getProjectId()).map(resp))
        .recover(err -> err instanceof ModuleException e && e.code() == ModuleException.Code.INVALID_ARGUMENT
            ? tryJoin(call, code, links, i + 1, err) : Future.failedFuture(err));
  }

  private Future<ListSharedProjectsResponse> sharedProjects(Call call, ListSharedProjectsRequest r) {
    ListSharedProjectsResponse.Builder b = ListSharedProjectsResponse.newBuilder();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (LinkRecord l : fed.book.allIncludingRemoved()) {
      for (ShareRecord s : l.getSharesList()) {
        if (s.getOwnedHere() || s.getState() == ShareState.OFFERED || !seen.add(s.getProjectId())) continue;
        if (!fed.node.authorization().allows(call.caller(), Level.PROJECT_USER, s.getProjectId())) continue;
        b.addProjects(SharedProject.newBuilder().setProjectId(s.getProjectId()).setProjectName(s.getProjectName())
            .setOwnerOrgName(l.getPeerOrgName()).setOwnerNodeId(l.getPeerNodeId())
            .setState(l.getState() == LinkState.REMOVED ? ShareState.DETACHED : s.getState()));
      }
    }
    return Future.succeededFuture(b.build());
  }

  private Future<dev.hearth.federation.v1.ScopeDigest> digest(Call call, DigestRequest r) {
    ReplicaStore found = fed.openStore(r.getStore());
    if (found == null) throw ModuleException.notFound("store " + r.getStore() + " is not open on this node");
    ReplicaStore store = found;
    return fed.node.vertx().executeBlocking(() -> {
      ScopeDigest d = store.digest(r.getProjectId());
      long after = d.afterSeq();
      var owner = fed.book.replicaLinkOf(r.getProjectId());
      if (owner.isPresent()) after = store.replicaCursor(Replicator.chain(owner.get().getPeerNodeId(), r.getStore(), r.getProjectId()));
      return dev.hearth.federation.v1.ScopeDigest.newBuilder().setSha256(d.sha256()).setEntries(d.entries()).setAfterSeq(after).build();
    }, false);
  }

  /** The projects this node owns that {@code link} carries. */
  private static List<String> owned(LinkRecord link) {
    return link.getSharesList().stream().filter(ShareRecord::getOwnedHere).map(ShareRecord::getProjectId).toList();
  }

  Link view(LinkRecord l) {
    Link.Builder b = Link.newBuilder().setId(l.getId()).setOrgId(l.getOrgId()).setPeerNodeId(l.getPeerNodeId())
        .setPeerOrgId(l.getPeerOrgId()).setPeerOrgName(l.getPeerOrgName()).setState(l.getState())
        .setPeerFingerprint(fed.book.peerKeys(l).fingerprint()).setRejected(fed.rejected(l.getId()));
    for (ShareRecord s : l.getSharesList()) {
      Share.Builder sb = Share.newBuilder().setProjectId(s.getProjectId()).setProjectName(s.getProjectName())
          .setOwnedHere(s.getOwnedHere()).setState(s.getState());
      if (!s.getOwnedHere() && s.getState() == ShareState.SHARED) {
        Replicator r = fed.replicator(l.getId(), s.getProjectId());
        sb.setLagSeconds(r == null ? 0 : r.lagSeconds()).setPendingEvents(fed.pending(l, s.getProjectId()));
      }
      if (!s.getOwnedHere()) {
        for (ReplicaStore st : fed.node.stores()) {
          long c = st.replicaCursor(Replicator.chain(l.getPeerNodeId(), st.name(), s.getProjectId()));
          if (c > 0) sb.putApplied(st.name(), c);
        }
      }
      b.addShares(sb);
    }
    return b.build();
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static PeerKeys parseKeys(String signing, String hpke) {
    try {
      return PeerKeys.parse(signing, hpke);
    } catch (IllegalArgumentException e) {
      throw ModuleException.invalidArgument(e.getMessage());
    }
  }
}
