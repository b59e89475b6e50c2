package dev.hearth.chat;

import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.ChannelKind;
import dev.hearth.chat.v1.OpenDirectRequest;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Ids;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct and group-direct conversations. The same set of people always gets the same channel: the
 * channel is found through a blind index on its project and sorted member ids, so the set is never
 * written in clear, and the lookup and the create run in one transaction, so two concurrent opens
 * cannot make two channels.
 */
final class Directs {

  static final int MAX_OTHERS = 8;

  private final ChatStore db;
  private final ChannelAccess access;
  private final Channels channels;

  Directs(ChatStore db, ChannelAccess access, Channels channels) {
    this.db = db;
    this.access = access;
    this.channels = channels;
  }

  Future<Channel> open(Call call, OpenDirectRequest r) {
    String user = call.userId();
    List<String> others = Fields.ids("user_ids", r.getUserIdsList(), MAX_OTHERS);
    others.remove(user);
    if (others.isEmpty()) throw ModuleException.badField("user_ids", "needs at least one other user");
    access.requireProjectUsers("user_ids", others, r.getProjectId());
    List<String> all = new ArrayList<>(others);
    all.add(user);
    all.sort(null);
    String term = ChatStore.directTerm(r.getProjectId(), all);
    return db.store.write(user, r.getProjectId(), tx -> {
      List<String> found = tx.findKeys(db.channels, ChatStore.DIRECT, term, 1);
      if (!found.isEmpty()) return tx.get(db.channels, found.get(0)).orElseThrow();
      Channel c = Channel.newBuilder().setId(Ids.next()).setProjectId(r.getProjectId()).setVisibility(Visibility.PRIVATE)
          .setKind(ChannelKind.DIRECT).setCreatorId(user).setCreatedAtMicros(Channels.now())
          .addAllDirectMemberIds(all).build();
      tx.put(db.channels, c.getId(), c);
      tx.put(db.projectChannels, ChatStore.pair(c.getProjectId(), c.getId()), c.getId());
      // Nobody administers a DM beyond its creator's own messages: every member is a plain member.
      for (String u : all) channels.addMember(tx, c, u, false);
      return c;
    });
  }
}
