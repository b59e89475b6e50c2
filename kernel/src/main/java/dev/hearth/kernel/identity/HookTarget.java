package dev.hearth.kernel.identity;

import dev.hearth.module.auth.Caller;

/**
 * Where an incoming webhook posts: its channel, as its bot (a caller as on an API token).
 *
 * @param hookId the hook's id: its rate limit is kept per hook
 */
public record HookTarget(String hookId, String projectId, String channelId, Caller bot) {}
