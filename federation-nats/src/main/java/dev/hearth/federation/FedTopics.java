package dev.hearth.federation;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hearth.api.v1.Level;
import dev.hearth.federation.v1.LinkRecord;
import dev.hearth.federation.v1.ShareRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.realtime.TopicEvent;
import dev.hearth.module.realtime.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An org's links, live: {@code link.updated} on {@code federation/org/<org id>} (org-admins, as
 * the console's changes need) whenever a link of the org is written here — made, paused or resumed,
 * removed (state {@code REMOVED}), a share offered, accepted or detached — by this node's admins or
 * by control from the peer. Routed from the kernel store's change log, so a console that was away
 * resumes them by sequence. The data is the link as {@code ListLinks} gives it, in lowerCamel, without
 * the figures read at call time (fingerprint, rejected count, replication lag): never keys.
 */
final class FedTopics implements Topics {

  static final String PREFIX = "federation/org/";

  private final Authorization authorization;

  FedTopics(Authorization authorization) {
    this.authorization = authorization;
  }

  @Override
  public void authorize(Caller caller, String topic) {
    String org = topic.startsWith(PREFIX) ? topic.substring(PREFIX.length()) : "";
    if (org.isEmpty() || org.contains("/")) {
      throw ModuleException.badField("topic", "federation topics are federation/org/<org id>");
    }
    if (!authorization.allows(caller, Level.ORG_ADMIN, org)) throw ModuleException.notFound("no topic " + topic);
  }

  @Override
  public List<TopicEvent> route(ChangeEvent event) {
    if (!event.collection().equals(LinkBook.LINKS) || event.op() != ChangeEvent.Op.PUT) return List.of();
    LinkRecord l;
    try {
      l = LinkRecord.parseFrom(event.value());
    } catch (InvalidProtocolBufferException e) {
      return List.of();
    }
    return List.of(new TopicEvent(PREFIX + l.getOrgId(), "link.updated", json(l)));
  }

  static JsonObject json(LinkRecord l) {
    JsonArray shares = new JsonArray();
    for (ShareRecord s : l.getSharesList()) {
      shares.add(new JsonObject().put("projectId", s.getProjectId()).put("projectName", s.getProjectName())
          .put("ownedHere", s.getOwnedHere()).put("state", s.getState().name()));
    }
    return new JsonObject().put("id", l.getId()).put("orgId", l.getOrgId()).put("peerNodeId", l.getPeerNodeId())
        .put("peerOrgId", l.getPeerOrgId()).put("peerOrgName", l.getPeerOrgName()).put("state", l.getState().name())
        .put("shares", shares);
  }
}
