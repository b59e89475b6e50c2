package dev.hearth.chat;

import static dev.hearth.chat.OpenChatStore.ANN;
import static dev.hearth.chat.OpenChatStore.CHANNEL;
import static dev.hearth.chat.OpenChatStore.PROJECT;
import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.ClientIds;
import dev.hearth.chat.v1.ClientPost;
import dev.hearth.chat.v1.Message;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.module.store.Ids;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry record on a real store: its size (paid by every post), records of the previous format,
 * and a hash match that is not the client id.
 */
class RetriesTest {

  @TempDir Path tmp;
  OpenChatStore chat;
  HearthStore store;
  ChatStore db;
  Retries retries;


  @BeforeEach
  void open() {
    chat = new OpenChatStore(tmp);
    store = chat.store;
    db = chat.db;
    retries = new Retries(db);
  }

  @AfterEach
  void close() {
    chat.close();
  }

  private Message message(String clientId, String rootId) {
    return Message.newBuilder().setId(Ids.next()).setChannelId(CHANNEL).setProjectId(PROJECT).setAuthorId(ANN)
        .setText("hello").setClientMessageId(clientId).setThreadRootId(rootId).build();
  }

  /** What Posting does: the check, and when it finds nothing, the message and its client id remembered. */
  private Message post(String clientId, String rootId) {
    return await(store.write(ANN, tx -> {
      Retries.Check check = retries.check(tx, CHANNEL, ANN);
      Optional<Message> earlier = check.earlier(clientId);
      if (earlier.isPresent()) return earlier.get();
      Message m = message(clientId, rootId);
      tx.put(db.messages, ChatStore.keyOf(m), m);
      check.remember(m);
      return m;
    }));
  }

  private ClientIds record() {
    return db.clientIds.get(ChatStore.pair(CHANNEL, ANN)).orElseThrow();
  }

  @Test
  void theRecordOfAnAuthorsLast32Posts_isAboutAThirdOfTheOldFormat_andStillFindsEachPost() {
    List<String> clientIds = new ArrayList<>();
    List<Message> posted = new ArrayList<>();
    Message root = post(UUID.randomUUID().toString(), "");
    for (int i = 0; i < Retries.KEPT; i++) {
      String id = UUID.randomUUID().toString(); // what browsers send (crypto.randomUUID)
      clientIds.add(id);
      posted.add(post(id, i % 4 == 0 ? root.getId() : ""));
    }
    ClientIds r = record();
    assertThat(r.getPostsCount()).isZero();
    assertThat(r.getRecentCount()).isEqualTo(Retries.KEPT);
    // The old format: each client id and message key as strings, ~119 bytes a post here.
    ClientIds old = ClientIds.newBuilder().addAllPosts(posted.stream().map(m -> ClientPost.newBuilder()
        .setClientMessageId(m.getClientMessageId()).setMessageKey(ChatStore.keyOf(m)).build()).toList()).build();
    assertThat(r.getSerializedSize()).as("bytes rewritten by every post").isLessThan(old.getSerializedSize() / 2)
        .isLessThanOrEqualTo(Retries.KEPT * 40);
    for (int i = 0; i < posted.size(); i++) {
      assertThat(post(clientIds.get(i), "").getId()).as("retry of post %s", i).isEqualTo(posted.get(i).getId());
    }
    assertThat(record().getRecentCount()).as("retries remember nothing").isEqualTo(Retries.KEPT);
  }

  @Test
  void aRecordOfTheOldFormat_answersRetries_andTheNextPostRewritesItCompact() {
    Message root = message("old-root", "");
    Message reply = message("old-reply", root.getId());
    Message odd = message("old-odd", "").toBuilder().setId("not-a-uuid").build(); // ids of another origin
    await(store.write(ANN, tx -> {
      for (Message m : List.of(root, reply, odd)) tx.put(db.messages, ChatStore.keyOf(m), m);
      tx.put(db.clientIds, ChatStore.pair(CHANNEL, ANN), ClientIds.newBuilder()
          .addAllPosts(List.of(root, reply, odd).stream().map(m -> ClientPost.newBuilder()
              .setClientMessageId(m.getClientMessageId()).setMessageKey(ChatStore.keyOf(m)).build()).toList())
          .build());
      return null;
    }));
    assertThat(post("old-reply", "").getId()).isEqualTo(reply.getId());

    Message fresh = post("new-1", "");
    ClientIds r = record();
    assertThat(r.getPostsCount()).as("old entries rewritten as recent ones").isZero();
    assertThat(r.getRecentCount()).isEqualTo(4);
    assertThat(r.getRecent(2).getMessageId()).as("an id that is not a UUID stays a string").isEqualTo("not-a-uuid");
    assertThat(post("old-root", "").getId()).isEqualTo(root.getId());
    assertThat(post("old-reply", "").getId()).isEqualTo(reply.getId());
    assertThat(post("old-odd", "").getId()).isEqualTo("not-a-uuid");
    assertThat(post("new-1", "").getId()).isEqualTo(fresh.getId());
  }

  @Test
  void aHashThatMatchesButAMessageWithAnotherClientId_isNoRetry() {
    Message other = message("someone-else", "");
    await(store.write(ANN, tx -> {
      tx.put(db.messages, ChatStore.keyOf(other), other);
      // As a hash collision would leave it: the entry of "wanted" points at a message with another client id.
      tx.put(db.clientIds, ChatStore.pair(CHANNEL, ANN), ClientIds.newBuilder()
          .addRecent(Retries.recent("wanted", other.getId(), "")).build());
      return null;
    }));
    Message posted = post("wanted", "");
    assertThat(posted.getId()).isNotEqualTo(other.getId());
    assertThat(posted.getClientMessageId()).isEqualTo("wanted");
  }
}
