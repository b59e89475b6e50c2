package dev.hearth.chat;

import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.ChannelKind;
import dev.hearth.chat.v1.ClientIds;
import dev.hearth.chat.v1.Membership;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.ReadMarker;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import java.util.List;
import java.util.Set;

/**
 * The chat module's collections and how their keys are built. Keys hold ids only (they are stored
 * in clear); names, topics and texts live in the encrypted values, and lookups on them go through
 * blind indexes.
 *
 * <pre>
 * channels          &lt;channelId&gt;                         Channel        index direct: the DM's member set
 * project_channels  &lt;projectId&gt;/&lt;channelId&gt;             channel id     lists a project's channels
 * members           &lt;channelId&gt;/&lt;userId&gt;                Membership
 * user_projects     &lt;userId&gt;/&lt;projectId&gt;                project id     where presence is announced
 * messages          &lt;channelId&gt;/m/&lt;messageId&gt;           Message        top-level messages: a page is one range scan
 *                   &lt;channelId&gt;/t/&lt;rootId&gt;/&lt;replyId&gt;   Message        thread replies, by thread
 *                                                          indexes words (search, before SearchView) and client
 *                                                          (retried posts, before client_ids): no longer written
 * reply_roots       &lt;channelId&gt;/&lt;replyId&gt;               root id        finds a reply by its id
 * pins              &lt;channelId&gt;/&lt;messageId&gt;             message key
 * reads             &lt;channelId&gt;/&lt;userId&gt;                ReadMarker     folded by {@link UnreadView}
 * last_posts        &lt;channelId&gt;/&lt;userId&gt;                micros         slow mode
 * client_ids        &lt;channelId&gt;/&lt;userId&gt;                ClientIds      the author's last client ids: retried posts
 * </pre>
 */
final class ChatStore {

  static final String MESSAGES = "messages";
  static final String READS = "reads";
  static final String MEMBERS = "members";
  static final String CHANNELS = "channels";
  static final String WORDS = "words";
  static final String CLIENT = "client";
  static final String DIRECT = "direct";

  final Store store;
  final Collection<Channel> channels;
  final Collection<String> projectChannels;
  final Collection<Membership> members;
  final Collection<String> userProjects;
  final Collection<Message> messages;
  final Collection<String> replyRoots;
  final Collection<String> pins;
  final Collection<ReadMarker> reads;
  final Collection<String> lastPosts;
  final Collection<ClientIds> clientIds;

  ChatStore(Store store) {
    this.store = store;
    channels = store.collection(CollectionSpec.of(CHANNELS, Codec.of(Channel.parser()))
        .withIndex(BlindIndex.of(DIRECT, c -> c.getKind() == ChannelKind.DIRECT
            ? directTerm(c.getProjectId(), c.getDirectMemberIdsList()) : null)));
    projectChannels = store.collection(CollectionSpec.of("project_channels", Codec.utf8()));
    members = store.collection(CollectionSpec.of(MEMBERS, Codec.of(Membership.parser())));
    userProjects = store.collection(CollectionSpec.of("user_projects", Codec.utf8()));
    messages = store.collection(CollectionSpec.of(MESSAGES, Codec.of(Message.parser()))
        // Search is SearchView's segments now; the index stays declared so that messages of older
        // versions keep their rows until they are next written, but no message gives it a term.
        .withIndex(BlindIndex.ofTerms(WORDS, m -> Set.of()))
        // Retries now go through client_ids (Retries); the index is still declared so that posts of
        // older versions stay findable, but new messages give it no term: no row per post.
        .withIndex(BlindIndex.of(CLIENT, m -> null)));
    replyRoots = store.collection(CollectionSpec.of("reply_roots", Codec.utf8()));
    pins = store.collection(CollectionSpec.of("pins", Codec.utf8()));
    reads = store.collection(CollectionSpec.of(READS, Codec.of(ReadMarker.parser())));
    lastPosts = store.collection(CollectionSpec.of("last_posts", Codec.utf8()));
    clientIds = store.collection(CollectionSpec.of("client_ids", Codec.of(ClientIds.parser())));
  }

  /** The blind-index term of a direct conversation: its project and sorted member ids. */
  static String directTerm(String projectId, List<String> sortedMemberIds) {
    return projectId + ":" + String.join(",", sortedMemberIds);
  }

  /** The `client` index's term, as versions before {@link Retries} wrote it. */
  static String clientTerm(String channelId, String authorId, String clientMessageId) {
    return channelId + ":" + authorId + ":" + clientMessageId;
  }

  static String pair(String a, String b) {
    return a + "/" + b;
  }

  /** Where a top-level message lives. */
  static String rootKey(String channelId, String messageId) {
    return channelId + "/m/" + messageId;
  }

  /** The key prefix of a channel's top-level messages. */
  static String rootPrefix(String channelId) {
    return channelId + "/m/";
  }

  /** The key prefix of one thread's replies. */
  static String threadPrefix(String channelId, String rootId) {
    return channelId + "/t/" + rootId + "/";
  }

  static String keyOf(Message m) {
    return m.getThreadRootId().isEmpty() ? rootKey(m.getChannelId(), m.getId())
        : threadPrefix(m.getChannelId(), m.getThreadRootId()) + m.getId();
  }
}
