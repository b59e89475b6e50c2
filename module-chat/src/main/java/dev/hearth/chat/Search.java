package dev.hearth.chat;

import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.SearchEntry;
import dev.hearth.chat.v1.SearchMessagesRequest;
import dev.hearth.chat.v1.SearchMessagesResponse;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.module.Fields;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.change.ViewHandle;
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
 * Search through {@link SearchView}'s segments. Each query word is looked up as a blinded term of this
 * project (see {@link SearchTerms}) and the segment sets are intersected: a message with every word is
 * in a segment with every word. The entries of those segments that have every word are the candidates;
 * each is then read and checked as it is now (an edit or deletion leaves its older entries behind) and
 * kept if the caller may read its channel. A search first waits for the view to fold the writes
 * acknowledged so far, so a caller finds what they just posted.
 */
final class Search {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  static final int MAX_WORDS = 8;
  /** Segments read per word; a word more common than this finds only part of its matches. */
  static final int MAX_SEGMENTS_PER_WORD = 10_000;

  private final ChatStore db;
  private final ChannelAccess access;
  private final SearchView view;
  private final ViewHandle handle;

  Search(ChatStore db, ChannelAccess access, SearchView view, ViewHandle handle) {
    this.db = db;
    this.access = access;
    this.view = view;
    this.handle = handle;
  }

  Future<SearchMessagesResponse> search(Call call, SearchMessagesRequest r) {
    int limit = Fields.limit("limit", r.getLimit(), DEFAULT_LIMIT, MAX_LIMIT);
    Set<String> words = SearchTerms.words(r.getQuery());
    if (words.isEmpty()) throw ModuleException.badField("query", "needs a word of two or more letters or digits");
    if (words.size() > MAX_WORDS) throw ModuleException.badField("query", "at most " + MAX_WORDS + " words");
    String only = Fields.optionalId("channel_id", r.getChannelId());
    if (!only.isEmpty()) access.readable(Reads.COMMITTED, call.caller(), r.getProjectId(), only);
    return handle.awaitSequence(db.store.lastSequence()).map(v -> found(call, r, words, only, limit));
  }

  private SearchMessagesResponse found(Call call, SearchMessagesRequest r, Set<String> words, String only, int limit) {
    Set<String> segmentKeys = null;
    for (String w : words) {
      List<String> found = view.segments.findKeys(SearchView.WORDS, SearchTerms.term(r.getProjectId(), w), MAX_SEGMENTS_PER_WORD);
      if (segmentKeys == null) segmentKeys = new LinkedHashSet<>(found);
      else segmentKeys.retainAll(new HashSet<>(found)); // a List's contains would make this quadratic
      if (segmentKeys.isEmpty()) break;
    }
    Set<String> keys = new LinkedHashSet<>();
    for (String segmentKey : segmentKeys) {
      view.segments.get(segmentKey).ifPresent(s -> {
        for (SearchEntry e : s.getEntriesList()) {
          if (e.getWordsList().containsAll(words)) keys.add(e.getMessageKey());
        }
      });
    }
    List<Message> hits = new ArrayList<>();
    Map<String, Boolean> readable = new HashMap<>();
    for (String key : keys) {
      String channelId = key.substring(0, key.indexOf('/'));
      if (!only.isEmpty() && !only.equals(channelId)) continue;
      if (!readable.computeIfAbsent(channelId, id -> mayRead(call, r.getProjectId(), id))) continue;
      db.messages.get(key).filter(m -> SearchTerms.indexed(m).containsAll(words)).ifPresent(hits::add);
    }
    hits.sort(Comparator.comparing(Message::getId).reversed());
    SearchMessagesResponse.Builder out = SearchMessagesResponse.newBuilder();
    hits.stream().limit(limit).forEach(out::addMessages);
    return out.build();
  }

  private boolean mayRead(Call call, String projectId, String channelId) {
    return db.channels.get(channelId).filter(c -> c.getProjectId().equals(projectId))
        .map(c -> c.getVisibility() == Visibility.PUBLIC
            || access.membership(Reads.COMMITTED, c.getId(), call.userId()).isPresent())
        .orElse(false);
  }
}
