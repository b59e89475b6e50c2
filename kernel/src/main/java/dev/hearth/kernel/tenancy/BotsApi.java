package dev.hearth.kernel.tenancy;

import com.google.protobuf.util.Timestamps;
import dev.hearth.bots.v1.*;
import dev.hearth.kernel.identity.Authenticator;
import dev.hearth.kernel.identity.AvatarFiles;
import dev.hearth.kernel.identity.ChannelJoiner;
import dev.hearth.kernel.identity.Check;
import dev.hearth.kernel.identity.IdentityStore;
import dev.hearth.kernel.identity.Roles;
import dev.hearth.kernel.identity.Secrets;
import dev.hearth.kernel.identity.proto.ApiTokenRecord;
import dev.hearth.kernel.identity.proto.AuditRecord;
import dev.hearth.kernel.identity.proto.IncomingHookRecord;
import dev.hearth.kernel.identity.proto.MembershipRecord;
import dev.hearth.kernel.identity.proto.ProjectRecord;
import dev.hearth.kernel.identity.proto.UserRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Bot accounts and incoming webhooks of a project (docs/bots.md). A bot is a user record with
 * {@code bot_project_id} set: no email, no password, so it signs in only by the API tokens made
 * here; the guard keeps it inside that project. Every call names the project, and a bot or hook of
 * another project is NOT_FOUND, exactly like an id that does not exist.
 */
final class BotsApi {

  /** Bots per project, and incoming hooks per project: enough for integrations, bounded for lists. */
  static final int MAX_BOTS = 50;
  static final int MAX_HOOKS = 100;

  private final IdentityStore ids;
  private final Memberships memberships;
  private final Clock clock;
  private final AvatarFiles avatars;
  private final ChannelJoiner channels;

  BotsApi(IdentityStore ids, Memberships memberships, Clock clock, AvatarFiles avatars, ChannelJoiner channels) {
    this.avatars = avatars;
    this.channels = channels;
    this.ids = ids;
    this.memberships = memberships;
    this.clock = clock;
  }

  Future<Bot> createBot(Call call, CreateBotRequest r) {
    String project = r.getProjectId();
    String name = Check.text("display_name", r.getDisplayName(), 1, 80);
    String role = role(r.getRole().isEmpty() ? Roles.PROJECT_USER : r.getRole());
    String avatar = Check.text("avatar_file_id", r.getAvatarFileId(), 0, 64);
    if (!avatar.isEmpty()) avatars.check(call.userId(), project, avatar);
    String id = Ids.next();
    return ids.store.write(call.userId(), project, tx -> {
      ProjectRecord p = tx.get(ids.projects, project).orElseThrow(() -> Check.notFound("project " + project));
      if (bots(tx, project).size() >= MAX_BOTS) {
        throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED,
            "a project has at most " + MAX_BOTS + " bots; delete one first");
      }
      UserRecord u = UserRecord.newBuilder().setId(id).setDisplayName(name).setAvatarFileId(avatar)
          .setAvatarProjectId(avatar.isEmpty() ? "" : project).setCreatedAt(clock.millis())
          .setBotProjectId(project).setBotCreatedBy(call.userId()).build();
      tx.put(ids.users, id, u);
      MembershipRecord m = memberships.grant(tx, id, p.getOrgId(), project, role);
      audit(tx, call.userId(), "bot.created", id, "project " + project + " as " + role);
      return view(u, m.getRole());
    });
  }

  Future<ListBotsResponse> listBots(Call call, ListBotsRequest r) {
    ListBotsResponse.Builder b = ListBotsResponse.newBuilder();
    for (Entry<MembershipRecord> e : IdentityStore.all(ids.members, r.getProjectId() + "/")) {
      ids.users.get(e.value().getUserId()).filter(u -> u.getBotProjectId().equals(r.getProjectId()))
          .ifPresent(u -> b.addBots(view(u, e.value().getRole())));
    }
    return Future.succeededFuture(b.build());
  }

  Future<Bot> updateBot(Call call, UpdateBotRequest r) {
    String project = r.getProjectId();
    String botId = Check.required("bot_id", r.getBotId());
    String name = r.hasDisplayName() ? Check.text("display_name", r.getDisplayName(), 1, 80) : null;
    String avatar = r.hasAvatarFileId() ? Check.text("avatar_file_id", r.getAvatarFileId(), 0, 64) : null;
    String role = r.hasRole() ? role(r.getRole()) : null;
    if (avatar != null && !avatar.isEmpty()) avatars.check(call.userId(), project, avatar);
    return ids.store.write(call.userId(), project, tx -> {
      UserRecord.Builder u = bot(tx, project, botId).toBuilder();
      if (name != null) u.setDisplayName(name);
      if (avatar != null) u.setAvatarFileId(avatar).setAvatarProjectId(avatar.isEmpty() ? "" : project);
      MembershipRecord m = tx.get(ids.memberships, botId + "/" + project).orElseThrow(() -> Check.notFound("bot " + botId));
      if (role != null && !role.equals(m.getRole())) m = memberships.changeRole(tx, m, role);
      UserRecord updated = u.build();
      tx.put(ids.users, botId, updated);
      audit(tx, call.userId(), "bot.updated", botId, "project " + project);
      return view(updated, m.getRole());
    });
  }

  Future<DeleteBotResponse> deleteBot(Call call, DeleteBotRequest r) {
    String project = r.getProjectId();
    String botId = Check.required("bot_id", r.getBotId());
    return ids.store.write(call.userId(), project, tx -> {
      bot(tx, project, botId);
      remove(tx, project, botId);
      audit(tx, call.userId(), "bot.deleted", botId, "project " + project);
      return DeleteBotResponse.getDefaultInstance();
    });
  }

  /**
   * Everything of a project's bots, in the transaction that deletes the project (before its roles
   * go, which is how its bots are found): the bots, their tokens and roles, and every incoming hook
   * of the project. So a deleted project's token is 401 and its hook URL 404 at once.
   */
  void projectDeleted(Tx tx, String project) {
    for (String botId : bots(tx, project)) remove(tx, project, botId);
    for (String h : tx.findKeys(ids.incomingHooks, "project", project, 10_000)) {
      tx.get(ids.incomingHooks, h).filter(x -> x.getProjectId().equals(project)).ifPresent(x -> tx.delete(ids.incomingHooks, h));
    }
  }

  /** The bot, its roles, its tokens and its hooks; its messages stay. */
  private void remove(Tx tx, String project, String botId) {
    for (Entry<MembershipRecord> m : IdentityStore.all(tx, ids.memberships, botId + "/")) {
      memberships.revoke(tx, botId, m.key().substring(botId.length() + 1));
    }
    for (String t : tx.findKeys(ids.apiTokens, "user", botId, 10_000)) tx.delete(ids.apiTokens, t);
    for (String h : tx.findKeys(ids.incomingHooks, "project", project, 10_000)) {
      tx.get(ids.incomingHooks, h).filter(x -> x.getBotId().equals(botId)).ifPresent(x -> tx.delete(ids.incomingHooks, h));
    }
    tx.delete(ids.users, botId);
  }

  Future<CreateBotTokenResponse> createToken(Call call, CreateBotTokenRequest r) {
    String project = r.getProjectId();
    String botId = Check.required("bot_id", r.getBotId());
    String name = Check.text("name", r.getName(), 1, 100);
    long days = r.getExpiresInDays();
    if (days < 0 || days > 3650) throw ModuleException.badField("expires_in_days", "must be between 0 (never) and 3650");
    String id = Ids.next();
    String secret = Secrets.random();
    long now = clock.millis();
    return ids.store.write(call.userId(), project, tx -> {
      bot(tx, project, botId);
      ApiTokenRecord t = ApiTokenRecord.newBuilder().setId(id).setUserId(botId).setName(name)
          .setSecretHash(Secrets.sha256(secret)).setCreatedAt(now).setExpiresAt(days == 0 ? 0 : now + days * 86_400_000L).build();
      tx.put(ids.apiTokens, id, t);
      audit(tx, call.userId(), "bot.token.created", botId, "token " + id);
      return CreateBotTokenResponse.newBuilder().setToken(view(t))
          .setSecret(Authenticator.apiToken(id, secret)).build();
    });
  }

  Future<ListBotTokensResponse> listTokens(Call call, ListBotTokensRequest r) {
    String botId = Check.required("bot_id", r.getBotId());
    ids.users.get(botId).filter(u -> u.getBotProjectId().equals(r.getProjectId()))
        .orElseThrow(() -> Check.notFound("bot " + botId));
    ListBotTokensResponse.Builder b = ListBotTokensResponse.newBuilder();
    for (String id : ids.apiTokens.findKeys("user", botId, 1000)) ids.apiTokens.get(id).ifPresent(t -> b.addTokens(view(t)));
    return Future.succeededFuture(b.build());
  }

  Future<RevokeBotTokenResponse> revokeToken(Call call, RevokeBotTokenRequest r) {
    String project = r.getProjectId();
    String botId = Check.required("bot_id", r.getBotId());
    String tokenId = Check.required("token_id", r.getTokenId());
    return ids.store.write(call.userId(), project, tx -> {
      bot(tx, project, botId);
      if (tx.get(ids.apiTokens, tokenId).filter(t -> t.getUserId().equals(botId)).isEmpty()) {
        throw Check.notFound("token " + tokenId);
      }
      tx.delete(ids.apiTokens, tokenId);
      audit(tx, call.userId(), "bot.token.revoked", botId, "token " + tokenId);
      return RevokeBotTokenResponse.getDefaultInstance();
    });
  }

  /**
   * Adds the bot to the channel through chat (as the admin asking, so chat's own rules decide), then
   * stores the hook; the secret is returned once, in the path.
   */
  Future<CreateIncomingHookResponse> createHook(Call call, CreateIncomingHookRequest r) {
    String project = r.getProjectId();
    String channel = Check.text("channel_id", r.getChannelId(), 1, 64);
    String botId = Check.required("bot_id", r.getBotId());
    String description = Check.text("description", r.getDescription(), 0, 500);
    ids.users.get(botId).filter(u -> u.getBotProjectId().equals(project)).orElseThrow(() -> Check.notFound("bot " + botId));
    String id = Ids.next();
    String secret = Secrets.random();
    return channels.join(call.caller(), project, channel, botId).compose(v -> ids.store.write(call.userId(), project, tx -> {
      bot(tx, project, botId);
      if (tx.findKeys(ids.incomingHooks, "project", project, MAX_HOOKS + 1).size() >= MAX_HOOKS) {
        throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED,
            "a project has at most " + MAX_HOOKS + " incoming webhooks; revoke one first");
      }
      IncomingHookRecord h = IncomingHookRecord.newBuilder().setId(id).setProjectId(project).setChannelId(channel)
          .setBotId(botId).setSecretHash(Secrets.sha256(secret)).setDescription(description)
          .setCreatedAt(clock.millis()).setCreatedBy(call.userId()).build();
      tx.put(ids.incomingHooks, id, h);
      audit(tx, call.userId(), "hook.created", id, "channel " + channel + " as bot " + botId);
      return CreateIncomingHookResponse.newBuilder().setHook(view(h)).setPath("/hooks/" + secret).build();
    }));
  }

  Future<ListIncomingHooksResponse> listHooks(Call call, ListIncomingHooksRequest r) {
    ListIncomingHooksResponse.Builder b = ListIncomingHooksResponse.newBuilder();
    for (String id : ids.incomingHooks.findKeys("project", r.getProjectId(), MAX_HOOKS * 2)) {
      ids.incomingHooks.get(id).filter(h -> h.getProjectId().equals(r.getProjectId())).ifPresent(h -> b.addHooks(view(h)));
    }
    return Future.succeededFuture(b.build());
  }

  Future<RevokeIncomingHookResponse> revokeHook(Call call, RevokeIncomingHookRequest r) {
    String project = r.getProjectId();
    String id = Check.required("hook_id", r.getHookId());
    return ids.store.write(call.userId(), project, tx -> {
      if (tx.get(ids.incomingHooks, id).filter(h -> h.getProjectId().equals(project)).isEmpty()) {
        throw Check.notFound("incoming webhook " + id);
      }
      tx.delete(ids.incomingHooks, id);
      audit(tx, call.userId(), "hook.revoked", id, "project " + project);
      return RevokeIncomingHookResponse.getDefaultInstance();
    });
  }

  /** The bot {@code botId} of {@code project}, read in the transaction; NOT_FOUND for anything else. */
  private UserRecord bot(Tx tx, String project, String botId) {
    return tx.get(ids.users, botId).filter(u -> u.getBotProjectId().equals(project))
        .orElseThrow(() -> Check.notFound("bot " + botId));
  }

  private List<String> bots(Tx tx, String project) {
    List<String> out = new ArrayList<>();
    for (Entry<MembershipRecord> e : IdentityStore.all(tx, ids.members, project + "/")) {
      String u = e.value().getUserId();
      if (tx.get(ids.users, u).map(x -> x.getBotProjectId().equals(project)).orElse(false)) out.add(u);
    }
    return out;
  }

  private void audit(Tx tx, String actor, String action, String target, String detail) {
    String id = Ids.next();
    tx.put(ids.audit, id, AuditRecord.newBuilder().setId(id).setAt(clock.millis())
        .setActorId(actor).setAction(action).setTarget(target).setDetail(detail).build());
  }

  private static String role(String role) {
    if (!Roles.PROJECT_ROLES.contains(role)) throw ModuleException.badField("role", "must be one of " + Roles.PROJECT_ROLES);
    return role;
  }

  private static Bot view(UserRecord u, String role) {
    return Bot.newBuilder().setId(u.getId()).setProjectId(u.getBotProjectId()).setDisplayName(u.getDisplayName())
        .setAvatarFileId(u.getAvatarFileId()).setRole(role).setCreatedAt(Timestamps.fromMillis(u.getCreatedAt()))
        .setCreatedBy(u.getBotCreatedBy()).build();
  }

  private static BotToken view(ApiTokenRecord r) {
    BotToken.Builder b = BotToken.newBuilder().setId(r.getId()).setName(r.getName())
        .setCreatedAt(Timestamps.fromMillis(r.getCreatedAt()));
    if (r.getExpiresAt() != 0) b.setExpiresAt(Timestamps.fromMillis(r.getExpiresAt()));
    if (r.getLastUsedAt() != 0) b.setLastUsedAt(Timestamps.fromMillis(r.getLastUsedAt()));
    return b.build();
  }

  private static IncomingHook view(IncomingHookRecord h) {
    return IncomingHook.newBuilder().setId(h.getId()).setProjectId(h.getProjectId()).setChannelId(h.getChannelId())
        .setBotId(h.getBotId()).setDescription(h.getDescription()).setCreatedAt(Timestamps.fromMillis(h.getCreatedAt()))
        .setCreatedBy(h.getCreatedBy()).build();
  }
}
