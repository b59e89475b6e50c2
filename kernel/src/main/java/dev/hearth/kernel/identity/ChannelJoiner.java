package dev.hearth.kernel.identity;

import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;

/**
 * How an incoming webhook's bot becomes a member of its channel: through chat's own AddMembers, as
 * the admin creating the hook, so chat's rules (the channel exists in the project, the admin may add
 * members) decide. The node supplies it; identity does not know chat.
 */
@FunctionalInterface
public interface ChannelJoiner {

  Future<Void> join(Caller admin, String projectId, String channelId, String botId);
}
