package dev.hearth.chat;

import com.google.protobuf.ByteString;
import dev.hearth.chat.v1.ClientIds;
import dev.hearth.chat.v1.ClientPost;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.RecentPost;
import dev.hearth.module.store.Tx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A post retried with the same {@code client_message_id} returns its first message. Each (channel,
 * author) keeps the client ids of the author's last {@link #KEPT} posts there in one record, so the
 * check is one point read and remembering is one small update. It was a blind index (`client`) on
 * every message: a row in the store's large index tree per post, and a range read of that tree per
 * check, which profiles put at a quarter of the post path's store work (docs/benchmarks.md, issue 21).
 *
 * <p>The record is read once per post ({@link #check}) and the same copy is rewritten
 * ({@link Check#remember}); its entries are {@link RecentPost}s, a hash of the client id and the
 * message's UUID bytes, since the whole record is paid for again by every post.
 */
final class Retries {

  /** How many of an author's posts in a channel a retry can reach back to. */
  static final int KEPT = 32;

  private final ChatStore db;

  Retries(ChatStore db) {
    this.db = db;
  }

  /** Reads the author's record in the channel once: for the check, and for {@link Check#remember}. */
  Check check(Tx tx, String channelId, String authorId) {
    return new Check(tx, channelId, authorId, tx.get(db.clientIds, ChatStore.pair(channelId, authorId)).orElse(null));
  }

  /** One post's view of its author's record: what it holds now, and its update. */
  final class Check {
    private final Tx tx;
    private final String channelId;
    private final String authorId;
    private final ClientIds kept; // null: none yet

    private Check(Tx tx, String channelId, String authorId, ClientIds kept) {
      this.tx = tx;
      this.channelId = channelId;
      this.authorId = authorId;
      this.kept = kept;
    }

    /** The message an earlier post with this client id made, if it is among those kept. */
    Optional<Message> earlier(String clientId) {
      if (kept == null) {
        // No post with a client id here since this record exists: those of older versions are in the
        // `client` blind index, which still answers for them.
        List<String> keys = tx.findKeys(db.messages, ChatStore.CLIENT, ChatStore.clientTerm(channelId, authorId, clientId), 1);
        return keys.isEmpty() ? Optional.empty() : tx.get(db.messages, keys.get(0));
      }
      for (ClientPost p : kept.getPostsList()) {
        if (p.getClientMessageId().equals(clientId)) return tx.get(db.messages, p.getMessageKey());
      }
      long hash = hash(clientId);
      // Newest first: a retry is nearly always of one of the last posts.
      for (int i = kept.getRecentCount() - 1; i >= 0; i--) {
        RecentPost p = kept.getRecent(i);
        if (p.getClientHash() != hash) continue;
        Optional<Message> m = tx.get(db.messages, key(channelId, p));
        // The hash matched; the message says whether the client id does (a collision reads on).
        if (m.isPresent() && m.get().getClientMessageId().equals(clientId)) return m;
      }
      return Optional.empty();
    }

    /** Notes a new post's client id in the record read by {@link #check}, forgetting the oldest beyond {@link #KEPT}. */
    void remember(Message posted) {
      List<RecentPost> all = new ArrayList<>(KEPT);
      if (kept != null) {
        for (ClientPost p : kept.getPostsList()) all.add(legacy(p.getClientMessageId(), p.getMessageKey()));
        all.addAll(kept.getRecentList());
      }
      int from = Math.max(0, all.size() + 1 - KEPT);
      ClientIds next = ClientIds.newBuilder().addAllRecent(all.subList(from, all.size()))
          .addRecent(recent(posted.getClientMessageId(), posted.getId(), posted.getThreadRootId()))
          .build();
      tx.put(db.clientIds, ChatStore.pair(channelId, authorId), next);
    }

    /** A legacy entry's message key, {@code <channelId>/m/<id>} or {@code <channelId>/t/<rootId>/<id>}. */
    private RecentPost legacy(String clientId, String messageKey) {
      String rest = messageKey.substring(channelId.length() + 1);
      if (rest.startsWith("t/")) {
        int slash = rest.indexOf('/', 2);
        return Retries.recent(clientId, rest.substring(slash + 1), rest.substring(2, slash));
      }
      return Retries.recent(clientId, rest.substring(2), "");
    }
  }

  static RecentPost recent(String clientId, String messageId, String threadRootId) {
    RecentPost.Builder b = RecentPost.newBuilder().setClientHash(hash(clientId));
    ByteString id = uuid(messageId);
    if (id != null) b.setMessageUuid(id);
    else b.setMessageId(messageId);
    if (!threadRootId.isEmpty()) {
      ByteString root = uuid(threadRootId);
      if (root != null) b.setRootUuid(root);
      else b.setThreadRootId(threadRootId);
    }
    return b.build();
  }

  /** Where an entry's message lives in {@code messages}. */
  static String key(String channelId, RecentPost p) {
    String id = p.getMessageUuid().isEmpty() ? p.getMessageId() : uuid(p.getMessageUuid());
    String root = !p.getRootUuid().isEmpty() ? uuid(p.getRootUuid()) : p.getThreadRootId();
    return root.isEmpty() ? ChatStore.rootKey(channelId, id) : ChatStore.threadPrefix(channelId, root) + id;
  }

  /** 64-bit FNV-1a of the client id's chars: stable across versions and JVMs, as stored hashes must be. */
  static long hash(String clientId) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < clientId.length(); i++) {
      h ^= clientId.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The 16 bytes of a canonical (lower-case) UUID string; null for any other id, kept as a string. */
  static ByteString uuid(String id) {
    if (id.length() != 36) return null;
    UUID u;
    try {
      u = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!u.toString().equals(id)) return null;
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
        .putLong(u.getLeastSignificantBits()).array());
  }

  static String uuid(ByteString bytes) {
    ByteBuffer b = bytes.asReadOnlyByteBuffer();
    return new UUID(b.getLong(), b.getLong()).toString();
  }
}
