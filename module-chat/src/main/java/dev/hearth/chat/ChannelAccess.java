package dev.hearth.chat;

import dev.hearth.api.v1.Level;
import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.ChannelKind;
import dev.hearth.chat.v1.Membership;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.auth.Caller;
import java.util.List;
import java.util.Optional;

/**
 * Who may see and change which channel. The node has already checked that the caller is a user of
 * the request's project; everything here adds the module's own rule: a channel is only reachable
 * through its own project (NOT_FOUND otherwise, so ids of other projects reveal nothing), and a
 * private channel only by its members (NOT_FOUND too, so its existence stays private).
 */
final class ChannelAccess {

  private final ChatStore db;
  private final Authorization authorization;

  ChannelAccess(ChatStore db, Authorization authorization) {
    this.db = db;
    this.authorization = authorization;
  }

  /** The channel, when it exists and belongs to {@code projectId}. */
  Channel inProject(Reads reads, String projectId, String channelId) {
    Fields.id("channel_id", channelId);
    Optional<Channel> c = reads.get(db.channels, channelId);
    if (c.isEmpty() || !c.get().getProjectId().equals(projectId)) throw notFound(channelId);
    return c.get();
  }

  /** The channel, when {@code caller} may read it: public, or they are a member. */
  Channel readable(Reads reads, Caller caller, String projectId, String channelId) {
    Channel c = inProject(reads, projectId, channelId);
    if (c.getVisibility() != Visibility.PUBLIC && membership(reads, channelId, caller.userId()).isEmpty()) {
      throw notFound(channelId);
    }
    return c;
  }

  /** The channel, when {@code caller} may read it and is a member (to post, react, mark read). */
  Channel joined(Reads reads, Caller caller, String projectId, String channelId) {
    Channel c = inProject(reads, projectId, channelId);
    // One membership read answers both: a private channel's non-member must not learn it exists.
    if (membership(reads, channelId, caller.userId()).isEmpty()) {
      if (c.getVisibility() != Visibility.PUBLIC) throw notFound(channelId);
      throw ModuleException.failedPrecondition("channel_id: join channel " + channelId + " first")
          .detail("field", "channel_id");
    }
    return c;
  }

  Optional<Membership> membership(Reads reads, String channelId, String userId) {
    return reads.get(db.members, ChatStore.pair(channelId, userId));
  }

  /** Channel admins (its creator, members made admin) and the project's admins. */
  /**
   * A channel admin: a member marked admin, its creator while still a member (never of a direct
   * conversation: opening a DM first gives no power over the others in it), or a project admin.
   */
  boolean isAdmin(Reads reads, Caller caller, Channel c) {
    Optional<Membership> m = membership(reads, c.getId(), caller.userId());
    if (m.map(Membership::getAdmin).orElse(false)) return true;
    if (m.isPresent() && c.getKind() != ChannelKind.DIRECT && c.getCreatorId().equals(caller.userId())) return true;
    return projectAdmin(caller, c.getProjectId());
  }

  boolean projectAdmin(Caller caller, String projectId) {
    return authorization.allows(caller, Level.PROJECT_ADMIN, projectId);
  }

  void requireAdmin(Reads reads, Caller caller, Channel c, String what) {
    if (!isAdmin(reads, caller, c)) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
          what + " needs a channel admin or a project admin");
    }
  }

  /**
   * Whether {@code userId} is a user of the project. The SDK's Authorization answers for a caller,
   * so ask it for a caller who is that user: the same roles the RPC guard would read for them.
   */
  boolean isProjectUser(String userId, String projectId) {
    return authorization.allows(new Caller(userId, false, null, Caller.Via.API_TOKEN), Level.PROJECT_USER, projectId);
  }

  /** Whether the user is a bot account: its messages are marked. */
  boolean isBot(String userId) {
    return authorization.isBot(userId);
  }

  void requireProjectUsers(String field, List<String> userIds, String projectId) {
    for (String u : userIds) {
      if (!isProjectUser(u, projectId)) throw ModuleException.badField(field, u + " is not a user of this project");
    }
  }

  static ModuleException notFound(String channelId) {
    return ModuleException.notFound("channel " + channelId + " not found").detail("field", "channel_id");
  }
}
