package dev.hearth.chat;

import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.ChannelUnread;
import dev.hearth.chat.v1.GetUnreadRequest;
import dev.hearth.chat.v1.GetUnreadResponse;
import dev.hearth.chat.v1.MarkReadRequest;
import dev.hearth.chat.v1.MarkReadResponse;
import dev.hearth.chat.v1.ReadMarker;
import dev.hearth.module.Fields;
import dev.hearth.module.api.Call;
import dev.hearth.module.change.ViewHandle;
import io.vertx.core.Future;

/**
 * MarkRead writes the caller's read marker; GetUnread reads the {@link UnreadView}. GetUnread first
 * waits for the view to fold every event written so far, so a caller sees their own posts and
 * marks reflected (the view is otherwise a step behind the writes).
 */
final class ReadState {

  private final ChatStore db;
  private final ChannelAccess access;
  private final MessageEdits edits;
  private final Channels channels;
  private final UnreadView view;
  private final ViewHandle handle;

  ReadState(ChatStore db, ChannelAccess access, MessageEdits edits, Channels channels, UnreadView view, ViewHandle handle) {
    this.db = db;
    this.access = access;
    this.edits = edits;
    this.channels = channels;
    this.view = view;
    this.handle = handle;
  }

  Future<MarkReadResponse> markRead(Call call, MarkReadRequest r) {
    String user = call.userId();
    Fields.id("channel_id", r.getChannelId());
    Fields.id("message_id", r.getMessageId());
    return db.store.write(user, r.getProjectId(), tx -> {
      Reads reads = Reads.of(tx);
      Channel c = access.joined(reads, call.caller(), r.getProjectId(), r.getChannelId());
      edits.find(reads, c.getId(), r.getMessageId()).orElseThrow(() -> MessageEdits.messageNotFound(r.getMessageId()));
      // A marker only moves forward (ids are UUIDv7, so they sort by time): an older one from a
      // second device must not pull the others back.
      var current = tx.get(db.reads, ChatStore.pair(c.getId(), user));
      if (current.isPresent() && current.get().getMessageId().compareTo(r.getMessageId()) >= 0) {
        return MarkReadResponse.getDefaultInstance();
      }
      tx.put(db.reads, ChatStore.pair(c.getId(), user),
          ReadMarker.newBuilder().setChannelId(c.getId()).setUserId(user).setMessageId(r.getMessageId()).build());
      return MarkReadResponse.getDefaultInstance();
    });
  }

  Future<GetUnreadResponse> unread(Call call, GetUnreadRequest r) {
    String user = call.userId();
    return handle.awaitSequence(db.store.lastSequence()).map(v -> {
      GetUnreadResponse.Builder out = GetUnreadResponse.newBuilder();
      for (Channel c : channels.visible(r.getProjectId(), user)) {
        if (c.getArchived() || access.membership(Reads.COMMITTED, c.getId(), user).isEmpty()) continue;
        long[] counts = view.counts(c.getId(), user);
        out.addChannels(ChannelUnread.newBuilder().setChannelId(c.getId()).setUnread(counts[0]).setMentions(counts[1]));
      }
      return out.build();
    });
  }
}
