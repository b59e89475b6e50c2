package dev.hearth.chat;

import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.ChannelKind;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.PostMessageRequest;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.files.FileRefs;
import dev.hearth.module.metrics.Metrics;
import dev.hearth.module.store.Ids;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * PostMessage: the one write path for new messages and thread replies, with the channel's rules
 * (archived, read-only, slow mode) checked inside the transaction so they hold under concurrency.
 */
final class Posting {

  private final ChatStore db;
  private final ChannelAccess access;
  private final Metrics.Counter posted;
  private final Metrics.Counter replies;
  private final FileRefs files;
  private final Retries retries;

  /** @param metrics where new messages are counted: hearth_module_chat_messages_posted_total{kind} */
  Posting(ChatStore db, ChannelAccess access, Metrics metrics, FileRefs files) {
    this.db = db;
    this.files = files;
    this.access = access;
    this.retries = new Retries(db);
    // Two kinds, so two series; the channel or project would be a label per id: never.
    this.posted = metrics.counter("messages_posted", "kind", "message");
    this.replies = metrics.counter("messages_posted", "kind", "reply");
  }

  Future<Message> post(Call call, PostMessageRequest r) {
    String user = call.userId();
    List<String> attachments = Checks.attachments(r.getAttachmentFileIdsList());
    for (String f : attachments) {
      // A message can only point at files its readers may download: those of its own project.
      if (!files.exists(r.getProjectId(), f)) {
        throw ModuleException.badField("attachment_file_ids", "no file " + f + " in project " + r.getProjectId());
      }
    }
    String card = Checks.card(r.getCardJson());
    String text = Checks.text(r.getText(), !attachments.isEmpty() || !card.isEmpty());
    boolean bot = access.isBot(user);
    String rootId = Fields.optionalId("thread_root_id", r.getThreadRootId());
    List<String> mentions = Fields.ids("mention_user_ids", r.getMentionUserIdsList(), Checks.MAX_MENTIONS);
    String clientId = Checks.clientMessageId(r.getClientMessageId());
    Fields.id("channel_id", r.getChannelId());
    access.requireProjectUsers("mention_user_ids", mentions, r.getProjectId());
    boolean[] created = new boolean[1]; // a retry with the same client id returns the earlier message: not counted
    return db.store.write(user, r.getProjectId(), tx -> {
      Reads reads = Reads.of(tx);
      Channel c = access.joined(reads, call.caller(), r.getProjectId(), r.getChannelId());
      Retries.Check kept = clientId.isEmpty() ? null : retries.check(tx, c.getId(), user);
      if (kept != null) {
        Optional<Message> earlier = kept.earlier(clientId);
        if (earlier.isPresent()) return earlier.get();
      }
      checkRules(tx, reads, call, c);
      if (c.getVisibility() != Visibility.PUBLIC) {
        // A mention must not tell a non-member that a private conversation exists.
        for (String u : mentions) {
          if (access.membership(reads, c.getId(), u).isEmpty()) {
            throw ModuleException.badField("mention_user_ids", u + " is not a member of this channel");
          }
        }
      }
      Message.Builder m = Message.newBuilder().setId(Ids.next()).setChannelId(c.getId()).setProjectId(c.getProjectId())
          .setAuthorId(user).setText(text).addAllMentionUserIds(mentions).addAllAttachmentFileIds(attachments)
          .setClientMessageId(clientId).setCreatedAtMicros(Channels.now()).setCardJson(card).setFromBot(bot);
      if (c.getKind() == ChannelKind.DIRECT) {
        // Who a direct message is for, kept on it: its routing (a "direct" notice to each) reads only the message.
        for (String u : c.getDirectMemberIdsList()) if (!u.equals(user)) m.addDirectRecipientIds(u);
      }
      if (!rootId.isEmpty()) {
        Message root = tx.get(db.messages, ChatStore.rootKey(c.getId(), rootId)).orElseThrow(() ->
            ModuleException.notFound("thread_root_id: no top-level message " + rootId + " in this channel")
                .detail("field", "thread_root_id"));
        tx.put(db.messages, ChatStore.keyOf(root),
            root.toBuilder().setReplyCount(root.getReplyCount() + 1).setRevision(root.getRevision() + 1).build());
        m.setThreadRootId(rootId);
        tx.put(db.replyRoots, ChatStore.pair(c.getId(), m.getId()), rootId);
      }
      Message posted = m.build();
      tx.put(db.messages, ChatStore.keyOf(posted), posted);
      if (kept != null) kept.remember(posted);
      created[0] = true;
      return posted;
    }).onSuccess(m -> {
      if (created[0]) (m.getThreadRootId().isEmpty() ? posted : replies).increment();
    });
  }

  /** Archived, read-only and slow mode; channel admins and project admins pass the last two. */
  private void checkRules(Tx tx, Reads reads, Call call, Channel c) {
    if (c.getArchived()) {
      throw ModuleException.failedPrecondition("channel " + c.getId() + " is archived: it takes no new messages");
    }
    boolean needsAdmin = c.getReadOnly();
    boolean slow = c.getSlowModeSeconds() > 0;
    if (!needsAdmin && !slow) return;
    boolean admin = access.isAdmin(reads, call.caller(), c);
    if (needsAdmin && !admin) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
          "channel " + c.getId() + " is read-only: only its admins may post");
    }
    if (slow && !admin) {
      String key = ChatStore.pair(c.getId(), call.userId());
      long now = Channels.now();
      long last = tx.get(db.lastPosts, key).map(Long::parseLong).orElse(0L);
      long waitMicros = last + c.getSlowModeSeconds() * 1_000_000L - now;
      if (waitMicros > 0) {
        long seconds = (waitMicros + 999_999) / 1_000_000;
        throw new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED,
            "slow mode: one message per " + c.getSlowModeSeconds() + " s in this channel; retry in " + seconds + " s")
            .detail("retryAfterSeconds", Long.toString(seconds));
      }
      tx.put(db.lastPosts, key, Long.toString(now));
    }
  }
}
