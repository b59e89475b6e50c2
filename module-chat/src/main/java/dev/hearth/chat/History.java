package dev.hearth.chat;

import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.GetMessageRequest;
import dev.hearth.chat.v1.ListMessagesRequest;
import dev.hearth.chat.v1.ListMessagesResponse;
import dev.hearth.chat.v1.ListPinsRequest;
import dev.hearth.chat.v1.Message;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.store.Entry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reading history. Messages are keyed by channel (or thread) then UUIDv7 id, so any page is one
 * range scan of {@code limit + 1} entries: its cost does not grow with the channel's size. The extra
 * entry only tells whether there is more beyond the page.
 */
final class History {

  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 100;
  static final int MAX_PINS = 100;

  private final ChatStore db;
  private final ChannelAccess access;
  private final MessageEdits edits;

  History(ChatStore db, ChannelAccess access, MessageEdits edits) {
    this.db = db;
    this.access = access;
    this.edits = edits;
  }

  Future<ListMessagesResponse> list(Call call, ListMessagesRequest r) {
    int limit = Fields.limit("limit", r.getLimit(), DEFAULT_LIMIT, MAX_LIMIT);
    String before = Fields.optionalId("before", r.getBefore());
    String after = Fields.optionalId("after", r.getAfter());
    String rootId = Fields.optionalId("thread_root_id", r.getThreadRootId());
    Channel c = access.readable(Reads.COMMITTED, call.caller(), r.getProjectId(), r.getChannelId());
    String prefix;
    if (rootId.isEmpty()) {
      prefix = ChatStore.rootPrefix(c.getId());
    } else {
      db.messages.get(ChatStore.rootKey(c.getId(), rootId)).orElseThrow(() ->
          ModuleException.notFound("thread_root_id: no top-level message " + rootId + " in this channel")
              .detail("field", "thread_root_id"));
      prefix = ChatStore.threadPrefix(c.getId(), rootId);
    }
    // Ids have one length, so prefix + id + "\0" sorts right after the id and before every later one.
    String from = after.isEmpty() ? prefix : prefix + after + "\0";
    String to = before.isEmpty() ? prefix + Character.MAX_VALUE : prefix + before;
    // With "after" or oldest_first, read forward from the start of the range; otherwise back from its end.
    boolean forward = !after.isEmpty() || r.getOldestFirst();
    List<Entry<Message>> page = new ArrayList<>(db.messages.scan(from, to, limit + 1, !forward));
    boolean more = page.size() > limit;
    if (more) page = page.subList(0, limit);
    if (!forward) Collections.reverse(page);
    ListMessagesResponse.Builder out = ListMessagesResponse.newBuilder();
    page.forEach(e -> out.addMessages(e.value()));
    if (!page.isEmpty()) {
      String oldest = page.get(0).value().getId();
      String newest = page.get(page.size() - 1).value().getId();
      // Read forward from "after": that message and older ones exist; from the start: none is older.
      boolean older = forward ? !after.isEmpty() : more;
      // Reading back from "before", or forward up to it: that message and newer ones exist.
      boolean newer = more && forward || !before.isEmpty();
      if (older) out.setOlderCursor(oldest);
      if (newer) out.setNewerCursor(newest);
    }
    return Future.succeededFuture(out.build());
  }

  Future<Message> get(Call call, GetMessageRequest r) {
    Fields.id("message_id", r.getMessageId());
    Channel c = access.readable(Reads.COMMITTED, call.caller(), r.getProjectId(), r.getChannelId());
    return Future.succeededFuture(edits.find(Reads.COMMITTED, c.getId(), r.getMessageId())
        .orElseThrow(() -> MessageEdits.messageNotFound(r.getMessageId())));
  }

  Future<ListMessagesResponse> pins(Call call, ListPinsRequest r) {
    Channel c = access.readable(Reads.COMMITTED, call.caller(), r.getProjectId(), r.getChannelId());
    ListMessagesResponse.Builder out = ListMessagesResponse.newBuilder();
    for (Entry<String> e : db.pins.scanPrefix(c.getId() + "/", MAX_PINS, false)) {
      db.messages.get(e.value()).filter(Message::getPinned).ifPresent(out::addMessages);
    }
    return Future.succeededFuture(out.build());
  }
}
