package dev.hearth.chat;

import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.SearchMessagesRequest;
import dev.hearth.chat.v1.SearchMessagesResponse;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Search through the blind index of message words. Each query word is looked up as a blinded
 * term of this project (see {@link SearchTerms}), the key sets are intersected, and what remains is
 * filtered to channels the caller may read. The index only ever holds a message's current words:
 * the store replaces a key's index entries when the value changes, and a tombstone has none.
 */
final class Search {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  static final int MAX_WORDS = 8;
  /** Keys read per word; a word more common than this finds only part of its matches. */
  static final int MAX_KEYS_PER_WORD = 10_000;

  private final ChatStore db;
  private final ChannelAccess access;

  Search(ChatStore db, ChannelAccess access) {
    this.db = db;
    this.access = access;
  }

  Future<SearchMessagesResponse> search(Call call, SearchMessagesRequest r) {
    int limit = Fields.limit("limit", r.getLimit(), DEFAULT_LIMIT, MAX_LIMIT);
    Set<String> words = SearchTerms.words(r.getQuery());
    if (words.isEmpty()) throw ModuleException.badField("query", "needs a word of two or more letters or digits");
    if (words.size() > MAX_WORDS) throw ModuleException.badField("query", "at most " + MAX_WORDS + " words");
    String only = Fields.optionalId("channel_id", r.getChannelId());
    if (!only.isEmpty()) access.readable(Reads.COMMITTED, call.caller(), r.getProjectId(), only);

    Set<String> keys = null;
    for (String w : words) {
      List<String> found = db.messages.findKeys(ChatStore.WORDS, SearchTerms.term(r.getProjectId(), w), MAX_KEYS_PER_WORD);
      if (keys == null) keys = new LinkedHashSet<>(found);
      else keys.retainAll(new HashSet<>(found)); // a List's contains would make this quadratic
      if (keys.isEmpty()) break;
    }
    List<Message> hits = new ArrayList<>();
    Map<String, Boolean> readable = new HashMap<>();
    for (String key : keys) {
      String channelId = key.substring(0, key.indexOf('/'));
      if (!only.isEmpty() && !only.equals(channelId)) continue;
      if (!readable.computeIfAbsent(channelId, id -> mayRead(call, r.getProjectId(), id))) continue;
      db.messages.get(key).ifPresent(hits::add);
    }
    hits.sort(Comparator.comparing(Message::getId).reversed());
    SearchMessagesResponse.Builder out = SearchMessagesResponse.newBuilder();
    hits.stream().limit(limit).forEach(out::addMessages);
    return Future.succeededFuture(out.build());
  }

  private boolean mayRead(Call call, String projectId, String channelId) {
    return db.channels.get(channelId).filter(c -> c.getProjectId().equals(projectId))
        .map(c -> c.getVisibility() == Visibility.PUBLIC
            || access.membership(Reads.COMMITTED, c.getId(), call.userId()).isPresent())
        .orElse(false);
  }
}
