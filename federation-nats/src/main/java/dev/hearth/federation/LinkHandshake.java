package dev.hearth.federation;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.federation.crypto.PeerKeys;
import dev.hearth.federation.v1.AcceptLinkRequest;
import dev.hearth.federation.v1.InviteSecretRecord;
import dev.hearth.federation.v1.JoinRequest;
import dev.hearth.federation.v1.JoinResponse;
import dev.hearth.federation.v1.Link;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.LinkState;
import dev.hearth.federation.v1.LinkToken;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;

/**
 * Making a link (docs/federation.md, "Links"). The inviting node's org-admin makes a one-time token
 * holding the node's address, JetStream domain, key fingerprint and a secret; the other node's
 * org-admin accepts it, and that node calls the inviter's {@code FedPeerService/Join} once with the
 * secret and its public keys. The inviter pins those keys and answers with its own, which the
 * accepting node pins only if their fingerprint is the one in the token. After that the nodes talk
 * only over NATS.
 */
final class LinkHandshake {

  private final Federation fed;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LinkHandshake(Federation fed) {
    this.fed = fed;
  }

  /** The accepting side. */
  Future<Link> accept(Call call, AcceptLinkRequest r) {
    LinkToken token = parse(r.getLinkToken());
    if (token.getExpiresAt() < fed.node.clock().millis()) throw ModuleException.badField("link_token", "has expired; ask for a new one");
    if (token.getNodeId().equals(fed.nodeId)) throw ModuleException.badField("link_token", "was made by this node; give it to the other org");
    String orgName = fed.node.orgName(r.getOrgId()).orElseThrow(() -> ModuleException.notFound("org not found"));
    PeerKeys mine = fed.keys.publicKeys();
    JoinRequest join = JoinRequest.newBuilder().setSecret(token.getSecret()).setNodeId(fed.nodeId).setOrgId(r.getOrgId())
        .setOrgName(orgName).setJsDomain(fed.jsDomain).setSigningKeyset(mine.signingJson()).setHpkeKeyset(mine.hpkeJson()).build();
    return fed.node.vertx().executeBlocking(() -> call(token.getApiUrl(), join), false).compose(resp -> {
      PeerKeys theirs = FedApi.parseKeys(resp.getSigningKeyset(), resp.getHpkeKeyset());
      if (!theirs.fingerprint().equals(token.getFingerprint())) {
        throw ModuleException.failedPrecondition("the node at " + token.getApiUrl() + " answered with keys whose fingerprint "
            + theirs.fingerprint() + " is not the token's " + token.getFingerprint() + "; nothing was linked");
      }
      LinkRecord link = LinkRecord.newBuilder().setId(resp.getLinkId()).setOrgId(r.getOrgId()).setPeerNodeId(resp.getNodeId())
          .setPeerOrgId(resp.getOrgId()).setPeerOrgName(resp.getOrgName()).setPeerJsDomain(resp.getJsDomain())
          .setPeerSigningKeyset(resp.getSigningKeyset()).setPeerHpkeKeyset(resp.getHpkeKeyset())
          .setState(LinkState.ACTIVE).setCreatedAt(fed.node.clock().millis()).build();
      return fed.book.put(call.userId(), link);
    }).map(link -> {
      fed.startReaders(link);
      return new FedApi(fed).view(link);
    });
  }

  private JoinResponse call(String apiUrl, JoinRequest join) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(apiUrl.replaceAll("/+$", "") + "/v1/federation/join"))
        .timeout(Duration.ofSeconds(15)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JsonFormat.printer().print(join))).build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "cannot reach the inviting node at " + apiUrl + ": " + e);
    }
    if (resp.statusCode() != 200) {
      String message = resp.body();
      try {
        message = new JsonObject(resp.body()).getString("message", message);
      } catch (RuntimeException ignored) {
        // not our JSON error body; show it as it is
      }
      ModuleException.Code code = resp.statusCode() == 400 ? ModuleException.Code.INVALID_ARGUMENT
          : resp.statusCode() == 404 || resp.statusCode() == 403 ? ModuleException.Code.FAILED_PRECONDITION
          : ModuleException.Code.UNAVAILABLE;
      throw new ModuleException(code, "the inviting node refused the link: " + message);
    }
    JoinResponse.Builder b = JoinResponse.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(resp.body(), b);
    return b.build();
  }

  /** The inviting side: the peer's node presents the token's secret. */
  Future<JoinResponse> join(Call call, JoinRequest r) {
    if (r.getSecret().isEmpty()) throw ModuleException.badField("secret", "is required");
    if (!r.getNodeId().matches("[A-Za-z0-9_-]{1,64}") || !r.getJsDomain().matches("[A-Za-z0-9_-]{1,64}")) {
      throw ModuleException.badField("node_id", "node id and JetStream domain must be NATS subject tokens");
    }
    if (r.getNodeId().equals(fed.nodeId)) throw ModuleException.badField("node_id", "is this node's own id");
    PeerKeys peer = FedApi.parseKeys(r.getSigningKeyset(), r.getHpkeKeyset());
    String hash = FedApi.sha256(r.getSecret());
    PeerKeys mine = fed.keys.publicKeys();
    String linkId = Ids.next();
    return fed.book.store().write("fed:" + r.getNodeId(), tx -> {
      InviteSecretRecord invite = tx.get(fed.book.invites(), hash).orElse(null);
      // One answer for unknown, used and expired: a guesser learns nothing.
      if (invite == null || invite.getExpiresAt() < fed.node.clock().millis()) {
        throw ModuleException.badField("secret", "unknown, used or expired link token");
      }
      tx.delete(fed.book.invites(), hash);
      return invite;
    }).compose(invite -> fed.book.put("fed:" + r.getNodeId(), LinkRecord.newBuilder().setId(linkId)
        .setOrgId(invite.getOrgId()).setPeerNodeId(r.getNodeId()).setPeerOrgId(r.getOrgId()).setPeerOrgName(r.getOrgName())
        .setPeerJsDomain(r.getJsDomain()).setPeerSigningKeyset(r.getSigningKeyset()).setPeerHpkeKeyset(r.getHpkeKeyset())
        .setState(LinkState.ACTIVE).setCreatedAt(fed.node.clock().millis()).build()))
        .map(link -> {
          fed.startReaders(link);
          return JoinResponse.newBuilder().setLinkId(link.getId()).setNodeId(fed.nodeId).setOrgId(link.getOrgId())
              .setOrgName(fed.node.orgName(link.getOrgId()).orElse("")).setJsDomain(fed.jsDomain)
              .setSigningKeyset(mine.signingJson()).setHpkeKeyset(mine.hpkeJson()).build();
        });
  }

  private static LinkToken parse(String token) {
    try {
      return LinkToken.parseFrom(Base64.getUrlDecoder().decode(token.trim()));
    } catch (IllegalArgumentException | InvalidProtocolBufferException e) {
      throw ModuleException.badField("link_token", "is not a link token (expected what `hearth fed create-link-invite` printed)");
    }
  }
}
