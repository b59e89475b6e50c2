package dev.hearth.chat;

import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.DeleteMessageRequest;
import dev.hearth.chat.v1.EditMessageRequest;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.PinMessageRequest;
import dev.hearth.chat.v1.ReactRequest;
import dev.hearth.chat.v1.Reaction;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.flags.Flags;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Changes to posted messages: edit, delete (a tombstone keeps the message's place in history and
 * threads), reactions and pins. Each raises the message's revision, which realtime events use to
 * tell an update from a creation.
 */
final class MessageEdits {

  static final int MAX_REACTIONS = 50;

  /** The flag {@code chat.edit}: whether members may edit their posted messages. */
  static final String EDIT_FLAG = "edit";

  private final ChatStore db;
  private final ChannelAccess access;
  private final Flags flags;

  MessageEdits(ChatStore db, ChannelAccess access, Flags flags) {
    this.db = db;
    this.access = access;
    this.flags = flags;
  }

  Future<Message> edit(Call call, EditMessageRequest r) {
    // Read on every call: an admin's flip applies to the very next edit.
    if (!flags.enabled(EDIT_FLAG, r.getProjectId())) {
      throw ModuleException.failedPrecondition("editing messages is turned off in this project (flag chat.edit)")
          .localized("chat.editOff").detail("flag", "chat.edit");
    }
    String text = Checks.text(r.getText(), false);
    return change(call, r.getProjectId(), r.getChannelId(), r.getMessageId(), (tx, c, m) -> {
      if (!m.getAuthorId().equals(call.userId())) {
        throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "only its author may edit a message")
            .localized("chat.notAuthor");
      }
      return m.toBuilder().setText(text).setEditedAtMicros(Channels.now());
    });
  }

  Future<Message> delete(Call call, DeleteMessageRequest r) {
    return change(call, r.getProjectId(), r.getChannelId(), r.getMessageId(), (tx, c, m) -> {
      if (!m.getAuthorId().equals(call.userId())) access.requireAdmin(Reads.of(tx), call.caller(), c, "deleting another's message");
      if (m.getPinned()) tx.delete(db.pins, ChatStore.pair(c.getId(), m.getId()));
      return m.toBuilder().setDeleted(true).setText("").clearCardJson().clearAttachmentFileIds().clearReactions()
          .clearMentionUserIds().setPinned(false).setEditedAtMicros(Channels.now());
    });
  }

  Future<Message> react(Call call, ReactRequest r) {
    String emoji = Checks.emoji(r.getEmoji());
    String user = call.userId();
    return change(call, r.getProjectId(), r.getChannelId(), r.getMessageId(), (tx, c, m) -> {
      List<Reaction> reactions = new ArrayList<>(m.getReactionsList());
      int i = indexOf(reactions, emoji);
      if (r.getAdd()) {
        if (i < 0) {
          if (reactions.size() >= MAX_REACTIONS) {
            throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "a message takes at most " + MAX_REACTIONS + " distinct reactions");
          }
          reactions.add(Reaction.newBuilder().setEmoji(emoji).addUserIds(user).build());
        } else if (!reactions.get(i).getUserIdsList().contains(user)) {
          reactions.set(i, reactions.get(i).toBuilder().addUserIds(user).build());
        }
      } else if (i >= 0) {
        List<String> users = new ArrayList<>(reactions.get(i).getUserIdsList());
        users.remove(user);
        if (users.isEmpty()) reactions.remove(i);
        else reactions.set(i, reactions.get(i).toBuilder().clearUserIds().addAllUserIds(users).build());
      }
      return m.toBuilder().clearReactions().addAllReactions(reactions);
    });
  }

  Future<Message> pin(Call call, PinMessageRequest r) {
    return change(call, r.getProjectId(), r.getChannelId(), r.getMessageId(), (tx, c, m) -> {
      String key = ChatStore.pair(c.getId(), m.getId());
      if (r.getPinned()) tx.put(db.pins, key, ChatStore.keyOf(m));
      else tx.delete(db.pins, key);
      return m.toBuilder().setPinned(r.getPinned());
    });
  }

  private static int indexOf(List<Reaction> reactions, String emoji) {
    for (int i = 0; i < reactions.size(); i++) {
      if (reactions.get(i).getEmoji().equals(emoji)) return i;
    }
    return -1;
  }

  private interface Change {
    Message.Builder apply(Tx tx, Channel channel, Message message);
  }

  /** Finds the message in a channel the caller has joined, applies {@code fn}, raises the revision. */
  private Future<Message> change(Call call, String projectId, String channelId, String messageId, Change fn) {
    Fields.id("channel_id", channelId);
    Fields.id("message_id", messageId);
    return db.store.write(call.userId(), projectId, tx -> {
      Channel c = access.joined(Reads.of(tx), call.caller(), projectId, channelId);
      if (c.getArchived()) throw ModuleException.failedPrecondition("channel " + c.getId() + " is archived: its messages are frozen");
      Message m = find(Reads.of(tx), c.getId(), messageId).orElseThrow(() -> messageNotFound(messageId));
      if (m.getDeleted()) throw ModuleException.failedPrecondition("message " + messageId + " is deleted");
      Message changed = fn.apply(tx, c, m).setRevision(m.getRevision() + 1).build();
      tx.put(db.messages, ChatStore.keyOf(changed), changed);
      return changed;
    });
  }

  /** A message of the channel by id, top-level or a reply. */
  Optional<Message> find(Reads reads, String channelId, String messageId) {
    Optional<Message> root = reads.get(db.messages, ChatStore.rootKey(channelId, messageId));
    if (root.isPresent()) return root;
    return reads.get(db.replyRoots, ChatStore.pair(channelId, messageId))
        .flatMap(rootId -> reads.get(db.messages, ChatStore.threadPrefix(channelId, rootId) + messageId));
  }

  static ModuleException messageNotFound(String id) {
    return ModuleException.notFound("message " + id + " not found").detail("field", "message_id");
  }
}
