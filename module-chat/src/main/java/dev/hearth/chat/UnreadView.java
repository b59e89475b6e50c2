package dev.hearth.chat;

import dev.hearth.chat.v1.Counter;
import dev.hearth.chat.v1.Membership;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.ReadMarker;
import dev.hearth.chat.v1.UserUnread;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * Unread and mention counts as a materialized view, O(1) per event whatever the channel's size:
 * each channel counts its messages, each message keeps its ordinal, and each (channel, user) keeps
 * the ordinal they have read up to plus the ordinals of mentions after it. Unread is then the
 * channel's count minus the user's read ordinal.
 *
 * <ul>
 *   <li>a new message: the channel's count rises; its author has read it; mentioned users get a mention;</li>
 *   <li>a read marker: the user's read ordinal moves forward (never back); mentions up to it go;</li>
 *   <li>a new membership: the member starts with everything before read, so joining a busy channel
 *       does not start with its whole history unread.</li>
 * </ul>
 * Edits, reactions and deletions do not change counts: a deleted message still counts as unread
 * until read past, like its tombstone stays in history.
 */
final class UnreadView implements View {

  static final String NAME = "unread";

  final Collection<Counter> counters;
  final Collection<Counter> ordinals;
  final Collection<UserUnread> users;

  UnreadView(Store store) {
    counters = store.collection(CollectionSpec.of("view.unread.counters", Codec.of(Counter.parser())));
    ordinals = store.collection(CollectionSpec.of("view.unread.ordinals", Codec.of(Counter.parser())));
    users = store.collection(CollectionSpec.of("view.unread.users", Codec.of(UserUnread.parser())));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** 2: a rejoin marks what came before as read (rebuilt from the log on upgrade). */
  @Override
  public int version() {
    return 2;
  }

  @Override
  public List<CollectionSpec<?>> collections() {
    return List.of(
        CollectionSpec.of(counters.name(), Codec.of(Counter.parser())),
        CollectionSpec.of(ordinals.name(), Codec.of(Counter.parser())),
        CollectionSpec.of(users.name(), Codec.of(UserUnread.parser())));
  }

  @Override
  public void apply(ChangeEvent event, ViewTx tx) {
    if (event.op() != ChangeEvent.Op.PUT) return;
    switch (event.collection()) {
      case ChatStore.MESSAGES -> message(event.value(Codec.of(Message.parser())), tx);
      case ChatStore.READS -> read(event.value(Codec.of(ReadMarker.parser())), tx);
      case ChatStore.MEMBERS -> joined(event.value(Codec.of(Membership.parser())), tx);
      default -> { }
    }
  }

  /**
   * A batch's events folded through one {@link BatchTx}: ten posts to a channel read and write its
   * counter and their authors' read marks once, not ten times (each write is a MapDB put with encryption
   * on the store's applier thread: docs/benchmarks.md, issue 21 item 2).
   */
  @Override
  public void applyAll(List<ChangeEvent> events, ViewTx tx) {
    BatchTx batch = new BatchTx(tx);
    for (ChangeEvent e : events) apply(e, batch);
    batch.flush();
  }

  private void message(Message m, ViewTx tx) {
    // Only a new message counts: every later put of it (edit, reaction, pin, reply count, delete)
    // raises its revision, and the store folds each event once. A read of its ordinal told the same.
    if (m.getRevision() != 0) return;
    String ordKey = ChatStore.pair(m.getChannelId(), m.getId());
    long n = tx.get(counters, m.getChannelId()).map(Counter::getValue).orElse(0L) + 1;
    tx.put(counters, m.getChannelId(), Counter.newBuilder().setValue(n).build());
    tx.put(ordinals, ordKey, Counter.newBuilder().setValue(n).build());
    readUpTo(tx, m.getChannelId(), m.getAuthorId(), n);
    for (String u : m.getMentionUserIdsList()) {
      if (u.equals(m.getAuthorId())) continue;
      String key = ChatStore.pair(m.getChannelId(), u);
      UserUnread cur = tx.get(users, key).orElse(UserUnread.getDefaultInstance());
      tx.put(users, key, cur.toBuilder().addMentionOrdinals(n).build());
    }
  }

  private void read(ReadMarker r, ViewTx tx) {
    tx.get(ordinals, ChatStore.pair(r.getChannelId(), r.getMessageId()))
        .ifPresent(o -> readUpTo(tx, r.getChannelId(), r.getUserId(), o.getValue()));
  }

  /**
   * A (re)join starts with everything before it read: also for someone who was mentioned while not a
   * member, or who comes back after leaving (their old entry would count all that happened since).
   */
  private void joined(Membership m, ViewTx tx) {
    long n = tx.get(counters, m.getChannelId()).map(Counter::getValue).orElse(0L);
    String key = ChatStore.pair(m.getChannelId(), m.getUserId());
    if (tx.get(users, key).isEmpty()) tx.put(users, key, UserUnread.newBuilder().setReadOrdinal(n).build());
    else readUpTo(tx, m.getChannelId(), m.getUserId(), n);
  }

  private void readUpTo(ViewTx tx, String channelId, String userId, long ordinal) {
    String key = ChatStore.pair(channelId, userId);
    UserUnread cur = tx.get(users, key).orElse(UserUnread.getDefaultInstance());
    if (ordinal <= cur.getReadOrdinal()) return;
    List<Long> left = new ArrayList<>();
    for (long o : cur.getMentionOrdinalsList()) if (o > ordinal) left.add(o);
    tx.put(users, key, UserUnread.newBuilder().setReadOrdinal(ordinal).addAllMentionOrdinals(left).build());
  }

  /** The unread and mention counts of {@code userId} in a channel, as of the view's last event. */
  long[] counts(String channelId, String userId) {
    long total = counters.get(channelId).map(Counter::getValue).orElse(0L);
    UserUnread u = users.get(ChatStore.pair(channelId, userId)).orElse(UserUnread.getDefaultInstance());
    return new long[] {Math.max(0, total - u.getReadOrdinal()), u.getMentionOrdinalsCount()};
  }
}
