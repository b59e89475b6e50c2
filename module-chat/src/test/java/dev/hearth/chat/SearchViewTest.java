package dev.hearth.chat;

import static dev.hearth.chat.OpenChatStore.ANN;
import static dev.hearth.chat.OpenChatStore.CHANNEL;
import static dev.hearth.chat.OpenChatStore.PROJECT;
import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.Counter;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.SearchSegment;
import dev.hearth.chat.v1.UserUnread;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.store.Ids;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The views' batches on a real store: messages written together make one search segment (a shared word
 * is one index row) and one update of the channel's counter and the author's read mark.
 */
class SearchViewTest {

  @TempDir Path tmp;
  OpenChatStore chat;
  HearthStore store;
  ChatStore db;

  static final String OTHER = "0190a000-0000-7000-8000-000000000002";

  @BeforeEach
  void open() {
    chat = new OpenChatStore(tmp);
    store = chat.store;
    db = chat.db;
  }

  @AfterEach
  void close() {
    chat.close();
  }

  private Message message(String project, String text) {
    return Message.newBuilder().setId(Ids.next()).setChannelId(CHANNEL).setProjectId(project).setAuthorId(ANN)
        .setText(text).build();
  }

  private void post(Message... messages) {
    await(store.write(ANN, tx -> {
      for (Message m : messages) tx.put(db.messages, ChatStore.keyOf(m), m);
      return null;
    }));
  }

  @Test
  void messagesWrittenTogether_shareOneSegment_perProject_withOneIndexRowPerDistinctWord() {
    SearchView view = new SearchView(store);
    ViewHandle h = store.registerView(view);
    Message a = message(PROJECT, "hello walrus");
    Message b = message(PROJECT, "hello otter");
    Message c = message(PROJECT, "Hello again walrus");
    Message d = message(OTHER, "hello elsewhere");
    post(a, b, c, d);
    await(h.awaitSequence(store.lastSequence()));

    List<String> segments = view.segments.findKeys(SearchView.WORDS, SearchTerms.term(PROJECT, "hello"), 100);
    assertThat(segments).hasSize(1);
    SearchSegment s = view.segments.get(segments.get(0)).orElseThrow();
    assertThat(s.getEntriesList()).extracting(e -> e.getMessageKey())
        .containsExactly(ChatStore.keyOf(a), ChatStore.keyOf(b), ChatStore.keyOf(c));
    assertThat(SearchView.terms(s)).containsExactlyInAnyOrder(SearchTerms.term(PROJECT, "hello"),
        SearchTerms.term(PROJECT, "walrus"), SearchTerms.term(PROJECT, "otter"), SearchTerms.term(PROJECT, "again"));
    assertThat(view.segments.findKeys(SearchView.WORDS, SearchTerms.term(OTHER, "hello"), 100))
        .hasSize(1).doesNotContainAnyElementsOf(segments);
    assertThat(db.messages.findKeys(ChatStore.WORDS, SearchTerms.term(PROJECT, "hello"), 100))
        .as("the message itself has no index row").isEmpty();
  }

  @Test
  void anEditAddsTheMessageAgain_andATombstoneNothing() {
    SearchView view = new SearchView(store);
    ViewHandle h = store.registerView(view);
    Message a = message(PROJECT, "zebra crossing");
    post(a);
    post(a.toBuilder().setText("lion crossing").setRevision(1).build());
    post(a.toBuilder().setText("").setDeleted(true).setRevision(2).build());
    await(h.awaitSequence(store.lastSequence()));
    assertThat(view.segments.findKeys(SearchView.WORDS, SearchTerms.term(PROJECT, "zebra"), 100)).hasSize(1);
    assertThat(view.segments.findKeys(SearchView.WORDS, SearchTerms.term(PROJECT, "lion"), 100)).hasSize(1);
    assertThat(view.segments.findKeys(SearchView.WORDS, SearchTerms.term(PROJECT, "crossing"), 100)).hasSize(2);
  }

  @Test
  void unread_ofMessagesWrittenTogether_countsEachOnce() {
    UnreadView unread = new UnreadView(store);
    ViewHandle h = store.registerView(unread);
    Message a = message(PROJECT, "one");
    Message b = message(PROJECT, "two").toBuilder().addMentionUserIds(OTHER).build();
    Message c = message(PROJECT, "three");
    post(a, b, c);
    post(message(PROJECT, "four"));
    await(h.awaitSequence(store.lastSequence()));
    assertThat(unread.counters.get(CHANNEL)).contains(Counter.newBuilder().setValue(4).build());
    assertThat(unread.ordinals.get(ChatStore.pair(CHANNEL, c.getId()))).contains(Counter.newBuilder().setValue(3).build());
    assertThat(unread.users.get(ChatStore.pair(CHANNEL, ANN)).map(UserUnread::getReadOrdinal)).contains(4L);
    assertThat(unread.counts(CHANNEL, OTHER)).containsExactly(4, 1);
  }
}
