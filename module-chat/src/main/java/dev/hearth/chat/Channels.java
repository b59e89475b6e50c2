package dev.hearth.chat;

import dev.hearth.chat.v1.AddMembersRequest;
import dev.hearth.chat.v1.ArchiveChannelRequest;
import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.ChannelKind;
import dev.hearth.chat.v1.CreateChannelRequest;
import dev.hearth.chat.v1.GetChannelRequest;
import dev.hearth.chat.v1.JoinChannelRequest;
import dev.hearth.chat.v1.LeaveChannelRequest;
import dev.hearth.chat.v1.LeaveChannelResponse;
import dev.hearth.chat.v1.ListChannelsRequest;
import dev.hearth.chat.v1.ListChannelsResponse;
import dev.hearth.chat.v1.ListMembersRequest;
import dev.hearth.chat.v1.ListMembersResponse;
import dev.hearth.chat.v1.Member;
import dev.hearth.chat.v1.Membership;
import dev.hearth.chat.v1.RemoveMemberRequest;
import dev.hearth.chat.v1.UpdateChannelRequest;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Entry;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Channel lifecycle and membership. Direct conversations are in {@link Directs}. */
final class Channels {

  /** A project lists at most this many channels; more would need paging. */
  static final int MAX_LISTED = 1000;
  static final int MAX_MEMBERS_LISTED = 1000;
  static final int MAX_SLOW_MODE = 21_600;

  private final ChatStore db;
  private final ChannelAccess access;

  Channels(ChatStore db, ChannelAccess access) {
    this.db = db;
    this.access = access;
  }

  Future<Channel> create(Call call, CreateChannelRequest r) {
    String user = call.userId();
    String name = Checks.name(r.getName());
    String topic = Checks.topic(r.getTopic());
    Visibility visibility = Checks.visibility(r.getVisibility());
    List<String> others = Fields.ids("member_ids", r.getMemberIdsList(), 100);
    others.remove(user);
    access.requireProjectUsers("member_ids", others, r.getProjectId());
    return db.store.write(user, r.getProjectId(), tx -> {
      Channel c = Channel.newBuilder().setId(Ids.next()).setProjectId(r.getProjectId()).setName(name).setTopic(topic)
          .setVisibility(visibility).setKind(ChannelKind.CHANNEL).setCreatorId(user).setCreatedAtMicros(now()).build();
      tx.put(db.channels, c.getId(), c);
      tx.put(db.projectChannels, ChatStore.pair(c.getProjectId(), c.getId()), c.getId());
      addMember(tx, c, user, true);
      for (String o : others) addMember(tx, c, o, false);
      return c;
    });
  }

  Future<ListChannelsResponse> list(Call call, ListChannelsRequest r) {
    String user = call.userId();
    ListChannelsResponse.Builder out = ListChannelsResponse.newBuilder();
    for (Channel c : visible(r.getProjectId(), user)) {
      if (c.getArchived() && !r.getIncludeArchived()) continue;
      out.addChannels(c);
    }
    return Future.succeededFuture(out.build());
  }

  /** The project's channels {@code user} may read: public ones and those they are in. */
  List<Channel> visible(String projectId, String user) {
    List<Channel> out = new ArrayList<>();
    for (Entry<String> e : db.projectChannels.scanPrefix(projectId + "/", MAX_LISTED, false)) {
      db.channels.get(e.value()).ifPresent(c -> {
        if (c.getVisibility() == Visibility.PUBLIC || access.membership(Reads.COMMITTED, c.getId(), user).isPresent()) {
          out.add(c);
        }
      });
    }
    return out;
  }

  Future<Channel> get(Call call, GetChannelRequest r) {
    return Future.succeededFuture(access.readable(Reads.COMMITTED, call.caller(), r.getProjectId(), r.getChannelId()));
  }

  Future<Channel> update(Call call, UpdateChannelRequest r) {
    String name = r.hasName() ? Checks.name(r.getName()) : null;
    String topic = r.hasTopic() ? Checks.topic(r.getTopic()) : null;
    if (r.hasSlowModeSeconds() && (r.getSlowModeSeconds() < 0 || r.getSlowModeSeconds() > MAX_SLOW_MODE)) {
      throw ModuleException.badField("slow_mode_seconds", "must be 0 to " + MAX_SLOW_MODE);
    }
    return db.store.write(call.userId(), r.getProjectId(), tx -> {
      Reads reads = Reads.of(tx);
      Channel c = access.readable(reads, call.caller(), r.getProjectId(), r.getChannelId());
      access.requireAdmin(reads, call.caller(), c, "changing a channel");
      if (c.getKind() == ChannelKind.DIRECT && name != null) {
        throw ModuleException.badField("name", "a direct conversation has no name");
      }
      Channel.Builder b = c.toBuilder().setRevision(c.getRevision() + 1);
      if (name != null) b.setName(name);
      if (topic != null) b.setTopic(topic);
      if (r.hasReadOnly()) b.setReadOnly(r.getReadOnly());
      if (r.hasSlowModeSeconds()) b.setSlowModeSeconds(r.getSlowModeSeconds());
      Channel updated = b.build();
      tx.put(db.channels, updated.getId(), updated);
      return updated;
    });
  }

  Future<Channel> archive(Call call, ArchiveChannelRequest r) {
    return db.store.write(call.userId(), r.getProjectId(), tx -> {
      Reads reads = Reads.of(tx);
      Channel c = access.readable(reads, call.caller(), r.getProjectId(), r.getChannelId());
      access.requireAdmin(reads, call.caller(), c, "archiving a channel");
      Channel updated = c.toBuilder().setArchived(r.getArchived()).setRevision(c.getRevision() + 1).build();
      tx.put(db.channels, updated.getId(), updated);
      return updated;
    });
  }

  Future<Channel> join(Call call, JoinChannelRequest r) {
    String user = call.userId();
    return db.store.write(user, r.getProjectId(), tx -> {
      Reads reads = Reads.of(tx);
      Channel c = access.readable(reads, call.caller(), r.getProjectId(), r.getChannelId());
      if (c.getVisibility() != Visibility.PUBLIC) {
        throw ModuleException.failedPrecondition("channel_id: a private channel takes members through AddMembers")
            .detail("field", "channel_id");
      }
      if (c.getArchived()) throw ModuleException.failedPrecondition("channel " + c.getId() + " is archived");
      if (access.membership(reads, c.getId(), user).isEmpty()) addMember(tx, c, user, false);
      return c;
    });
  }

  Future<LeaveChannelResponse> leave(Call call, LeaveChannelRequest r) {
    String user = call.userId();
    return db.store.write(user, r.getProjectId(), tx -> {
      Channel c = access.readable(Reads.of(tx), call.caller(), r.getProjectId(), r.getChannelId());
      if (c.getKind() == ChannelKind.DIRECT) {
        throw ModuleException.failedPrecondition("channel_id: a direct conversation cannot be left").detail("field", "channel_id");
      }
      tx.delete(db.members, ChatStore.pair(c.getId(), user));
      return LeaveChannelResponse.getDefaultInstance();
    });
  }

  Future<Channel> addMembers(Call call, AddMembersRequest r) {
    List<String> users = Fields.ids("user_ids", r.getUserIdsList(), 100);
    if (users.isEmpty()) throw ModuleException.required("user_ids");
    access.requireProjectUsers("user_ids", users, r.getProjectId());
    return db.store.write(call.userId(), r.getProjectId(), tx -> {
      Reads reads = Reads.of(tx);
      Channel c = access.joined(reads, call.caller(), r.getProjectId(), r.getChannelId());
      if (c.getKind() == ChannelKind.DIRECT) {
        throw ModuleException.failedPrecondition("channel_id: open a new direct conversation instead").detail("field", "channel_id");
      }
      if (c.getVisibility() == Visibility.PRIVATE) access.requireAdmin(reads, call.caller(), c, "adding members to a private channel");
      for (String u : users) {
        if (access.membership(reads, c.getId(), u).isEmpty()) addMember(tx, c, u, false);
      }
      return c;
    });
  }

  Future<Channel> removeMember(Call call, RemoveMemberRequest r) {
    String target = Fields.id("user_id", r.getUserId());
    return db.store.write(call.userId(), r.getProjectId(), tx -> {
      Reads reads = Reads.of(tx);
      Channel c = access.readable(reads, call.caller(), r.getProjectId(), r.getChannelId());
      if (c.getKind() == ChannelKind.DIRECT) {
        throw ModuleException.failedPrecondition("channel_id: members of a direct conversation are fixed").detail("field", "channel_id");
      }
      access.requireAdmin(reads, call.caller(), c, "removing a member");
      if (access.membership(reads, c.getId(), target).isEmpty()) {
        throw ModuleException.notFound("user_id: " + target + " is not a member").detail("field", "user_id");
      }
      tx.delete(db.members, ChatStore.pair(c.getId(), target));
      return c;
    });
  }

  Future<ListMembersResponse> members(Call call, ListMembersRequest r) {
    Channel c = access.readable(Reads.COMMITTED, call.caller(), r.getProjectId(), r.getChannelId());
    ListMembersResponse.Builder out = ListMembersResponse.newBuilder()
        .setMayRemoveMembers(c.getKind() != ChannelKind.DIRECT && access.isAdmin(Reads.COMMITTED, call.caller(), c));
    for (Entry<Membership> e : db.members.scanPrefix(c.getId() + "/", MAX_MEMBERS_LISTED, false)) {
      out.addMembers(Member.newBuilder().setUserId(e.value().getUserId()).setAdmin(e.value().getAdmin()));
    }
    return Future.succeededFuture(out.build());
  }

  /** Writes a membership, and records that the user uses chat in the project (for presence). */
  void addMember(Tx tx, Channel c, String userId, boolean admin) {
    tx.put(db.members, ChatStore.pair(c.getId(), userId), Membership.newBuilder().setChannelId(c.getId())
        .setProjectId(c.getProjectId()).setUserId(userId).setAdmin(admin).setJoinedAtMicros(now())
        .setPrivateChannel(c.getVisibility() != Visibility.PUBLIC).build());
    tx.put(db.userProjects, ChatStore.pair(userId, c.getProjectId()), c.getProjectId());
  }

  static long now() {
    return System.currentTimeMillis() * 1000;
  }
}
