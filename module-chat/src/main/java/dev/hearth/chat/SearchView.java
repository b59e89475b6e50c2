package dev.hearth.chat;

import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.SearchEntry;
import dev.hearth.chat.v1.SearchSegment;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.View;
import dev.hearth.module.change.ViewTx;
import dev.hearth.module.store.BlindIndex;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.Collection;
import dev.hearth.module.store.CollectionSpec;
import dev.hearth.module.store.Store;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The search index, folded from the change log a batch at a time: the messages of one applied batch
 * and project go into one segment (`view.search.segments`, key {@code <projectId>/<sequence>}) whose
 * blind index `words` has a row per distinct word of the segment. A word shared by the batch's
 * messages is one index row, not one per message; the post itself writes no index row (it was one per
 * distinct word, each a MapDB B-tree put on the applier thread: docs/benchmarks.md, issue 21 item 2).
 *
 * <p>A segment is written once. An edit, a reaction or a deletion puts the message again, so it is
 * added to a later segment with its words then (none for a tombstone); older entries stay, and
 * {@link Search} checks every hit against the message as it is now.
 */
final class SearchView implements View {

  static final String NAME = "search";
  static final String WORDS = "words";
  /** A segment's size bounds, so that its value and its index rows stay small to write and to read. */
  static final int MAX_ENTRIES = 256;
  static final int MAX_WORDS = 2048;

  final Collection<SearchSegment> segments;

  SearchView(Store store) {
    segments = store.collection(spec());
  }

  private static CollectionSpec<SearchSegment> spec() {
    return CollectionSpec.of("view.search.segments", Codec.of(SearchSegment.parser()))
        .withIndex(BlindIndex.ofTerms(WORDS, SearchView::terms));
  }

  /** The distinct words of a segment's messages as terms of its project. */
  static Set<String> terms(SearchSegment s) {
    Set<String> terms = new LinkedHashSet<>();
    for (SearchEntry e : s.getEntriesList()) {
      for (String w : e.getWordsList()) terms.add(SearchTerms.term(s.getProjectId(), w));
    }
    return terms;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<CollectionSpec<?>> collections() {
    return List.of(spec());
  }

  @Override
  public void apply(ChangeEvent event, ViewTx tx) {
    applyAll(List.of(event), tx);
  }

  @Override
  public void applyAll(List<ChangeEvent> events, ViewTx tx) {
    Map<String, Open> open = new LinkedHashMap<>();
    for (ChangeEvent e : events) {
      if (e.op() != ChangeEvent.Op.PUT || !e.collection().equals(ChatStore.MESSAGES)) continue;
      Message m = e.value(Codec.of(Message.parser()));
      Set<String> words = SearchTerms.indexed(m);
      if (words.isEmpty()) continue;
      Open o = open.get(m.getProjectId());
      if (o != null && (o.segment.getEntriesCount() >= MAX_ENTRIES || o.words.size() + words.size() > MAX_WORDS)) {
        o.write(tx, segments);
        o = null;
      }
      if (o == null) {
        o = new Open(m.getProjectId(), e.sequence());
        open.put(m.getProjectId(), o);
      }
      o.segment.addEntries(SearchEntry.newBuilder().setMessageKey(ChatStore.keyOf(m)).addAllWords(words));
      o.words.addAll(words);
    }
    for (Open o : open.values()) o.write(tx, segments);
  }

  /** The segment being filled for one project, keyed by the sequence of its first message's event. */
  private static final class Open {
    final String key;
    final SearchSegment.Builder segment;
    final Set<String> words = new LinkedHashSet<>();

    Open(String projectId, long firstSequence) {
      // Zero-padded, so a project's segments list oldest first.
      this.key = projectId + "/" + String.format("%016x", firstSequence);
      this.segment = SearchSegment.newBuilder().setProjectId(projectId);
    }

    void write(ViewTx tx, Collection<SearchSegment> segments) {
      tx.put(segments, key, segment.build());
    }
  }
}
