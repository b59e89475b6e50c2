package dev.hearth.chat;

import dev.hearth.chat.v1.ClientIds;
import dev.hearth.chat.v1.ClientPost;
import dev.hearth.chat.v1.Message;
import dev.hearth.module.store.Tx;
import java.util.List;
import java.util.Optional;

/**
 * A post retried with the same {@code client_message_id} returns its first message. Each (channel,
 * author) keeps the client ids of the author's last {@link #KEPT} posts there in one record, so the
 * check is one point read and remembering is one small update. It was a blind index (`client`) on
 * every message: a row in the store's large index tree per post, and a range read of that tree per
 * check, which profiles put at a quarter of the post path's store work (docs/benchmarks.md, issue 21).
 */
final class Retries {

  /** How many of an author's posts in a channel a retry can reach back to. */
  static final int KEPT = 32;

  private final ChatStore db;

  Retries(ChatStore db) {
    this.db = db;
  }

  /** The message an earlier post with this client id made, if it is among those kept. */
  Optional<Message> earlier(Tx tx, String channelId, String authorId, String clientId) {
    Optional<ClientIds> kept = tx.get(db.clientIds, ChatStore.pair(channelId, authorId));
    if (kept.isEmpty()) {
      // No post with a client id here since this record exists: those of older versions are in the
      // `client` blind index, which still answers for them.
      List<String> keys = tx.findKeys(db.messages, ChatStore.CLIENT, ChatStore.clientTerm(channelId, authorId, clientId), 1);
      return keys.isEmpty() ? Optional.empty() : tx.get(db.messages, keys.get(0));
    }
    for (ClientPost p : kept.get().getPostsList()) {
      if (p.getClientMessageId().equals(clientId)) return tx.get(db.messages, p.getMessageKey());
    }
    return Optional.empty();
  }

  /** Notes a new post's client id, forgetting the oldest beyond {@link #KEPT}. */
  void remember(Tx tx, Message posted) {
    String key = ChatStore.pair(posted.getChannelId(), posted.getAuthorId());
    List<ClientPost> posts = tx.get(db.clientIds, key).map(ClientIds::getPostsList).orElse(List.of());
    int from = Math.max(0, posts.size() + 1 - KEPT);
    ClientIds next = ClientIds.newBuilder().addAllPosts(posts.subList(from, posts.size()))
        .addPosts(ClientPost.newBuilder().setClientMessageId(posted.getClientMessageId()).setMessageKey(ChatStore.keyOf(posted)))
        .build();
    tx.put(db.clientIds, key, next);
  }
}
