package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.AddMembersRequest;
import dev.hearth.chat.v1.ArchiveChannelRequest;
import dev.hearth.chat.v1.Channel;
import dev.hearth.chat.v1.ChannelKind;
import dev.hearth.chat.v1.ChannelUnread;
import dev.hearth.chat.v1.ChatProto;
import dev.hearth.chat.v1.CreateChannelRequest;
import dev.hearth.chat.v1.DeleteMessageRequest;
import dev.hearth.chat.v1.EditMessageRequest;
import dev.hearth.chat.v1.GetChannelRequest;
import dev.hearth.chat.v1.GetMessageRequest;
import dev.hearth.chat.v1.GetPresenceRequest;
import dev.hearth.chat.v1.GetPresenceResponse;
import dev.hearth.chat.v1.GetUnreadRequest;
import dev.hearth.chat.v1.GetUnreadResponse;
import dev.hearth.chat.v1.JoinChannelRequest;
import dev.hearth.chat.v1.LeaveChannelRequest;
import dev.hearth.chat.v1.LeaveChannelResponse;
import dev.hearth.chat.v1.ListChannelsRequest;
import dev.hearth.chat.v1.ListChannelsResponse;
import dev.hearth.chat.v1.ListMembersRequest;
import dev.hearth.chat.v1.ListMembersResponse;
import dev.hearth.chat.v1.ListMessagesRequest;
import dev.hearth.chat.v1.ListMessagesResponse;
import dev.hearth.chat.v1.ListPinsRequest;
import dev.hearth.chat.v1.MarkReadRequest;
import dev.hearth.chat.v1.MarkReadResponse;
import dev.hearth.chat.v1.Message;
import dev.hearth.chat.v1.OpenDirectRequest;
import dev.hearth.chat.v1.PinMessageRequest;
import dev.hearth.chat.v1.PostMessageRequest;
import dev.hearth.chat.v1.PresenceStatus;
import dev.hearth.chat.v1.ReactRequest;
import dev.hearth.chat.v1.RemoveMemberRequest;
import dev.hearth.chat.v1.SearchMessagesRequest;
import dev.hearth.chat.v1.SearchMessagesResponse;
import dev.hearth.chat.v1.SetPresenceRequest;
import dev.hearth.chat.v1.SetPresenceResponse;
import dev.hearth.chat.v1.SetTypingRequest;
import dev.hearth.chat.v1.SetTypingResponse;
import dev.hearth.chat.v1.UpdateChannelRequest;
import dev.hearth.chat.v1.UserPresence;
import dev.hearth.chat.v1.Visibility;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.TestRealtime;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built chat jar in a real node, used over gRPC and REST by real users of two projects. One node
 * serves every test but the at-rest scan, which stops a node of its own; each test makes its own
 * channels and words.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatIT {

  Path dir;
  ModuleNode chat;
  /** ann administers project A; bob and carol are its users; eve administers project B only. */
  User ann;
  User bob;
  User carol;
  User eve;
  String projectA;
  String projectB;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("chat-it");
    chat = ModuleNode.start(dir, "hearth-module-chat", ChatProto.getDescriptor());
    ann = chat.signUp("ann@chat.test");
    bob = chat.signUp("bob@chat.test");
    carol = chat.signUp("carol@chat.test");
    eve = chat.signUp("eve@chat.test");
    projectA = chat.project(ann, "A");
    projectB = chat.project(eve, "B");
    chat.invite(ann, projectA, bob);
    chat.invite(ann, projectA, carol);
  }

  @AfterAll
  void stop() throws Exception {
    if (chat != null) chat.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  Channel channel(User owner, String project, String name, Visibility visibility, User... members) {
    CreateChannelRequest.Builder r = CreateChannelRequest.newBuilder().setProjectId(project).setName(name).setVisibility(visibility);
    for (User m : members) r.addMemberIds(m.id());
    return chat.call("CreateChannel", r.build(), Channel.getDefaultInstance(), owner);
  }

  Message post(User as, Channel c, String text) {
    return chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(c.getProjectId()).setChannelId(c.getId())
        .setText(text).build(), Message.getDefaultInstance(), as);
  }

  void join(User as, Channel c) {
    chat.call("JoinChannel", JoinChannelRequest.newBuilder().setProjectId(c.getProjectId()).setChannelId(c.getId()).build(),
        Channel.getDefaultInstance(), as);
  }

  ChannelUnread unread(User as, String project, Channel c) {
    GetUnreadResponse r = chat.call("GetUnread", GetUnreadRequest.newBuilder().setProjectId(project).build(),
        GetUnreadResponse.getDefaultInstance(), as);
    return r.getChannelsList().stream().filter(u -> u.getChannelId().equals(c.getId())).findFirst()
        .orElse(ChannelUnread.getDefaultInstance());
  }

  List<String> search(User as, String project, String query) {
    SearchMessagesResponse r = chat.call("SearchMessages", SearchMessagesRequest.newBuilder().setProjectId(project)
        .setQuery(query).build(), SearchMessagesResponse.getDefaultInstance(), as);
    return r.getMessagesList().stream().map(Message::getText).toList();
  }

  ListMessagesResponse page(User as, Channel c, String before, String after, int limit) {
    return chat.call("ListMessages", ListMessagesRequest.newBuilder().setProjectId(c.getProjectId()).setChannelId(c.getId())
        .setBefore(before).setAfter(after).setLimit(limit).build(), ListMessagesResponse.getDefaultInstance(), as);
  }

  @Test
  void session_postsEditsReactsPinsThreadsAndMovesUnreadCounts() throws Exception {
    Channel general = channel(ann, projectA, "general", Visibility.PUBLIC);
    join(bob, general);
    Message hello = chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId())
        .setText("hello @bob").addMentionUserIds(bob.id()).build(), Message.getDefaultInstance(), ann);
    assertThat(unread(bob, projectA, general)).satisfies(u -> {
      assertThat(u.getUnread()).isEqualTo(1);
      assertThat(u.getMentions()).isEqualTo(1);
    });
    assertThat(unread(ann, projectA, general).getUnread()).as("posting marks the poster's read").isZero();

    // A thread reply: counted on its root, listed in the thread, not in the channel's history.
    Message reply = chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId())
        .setText("hi ann").setThreadRootId(hello.getId()).build(), Message.getDefaultInstance(), bob);
    ListMessagesResponse thread = chat.call("ListMessages", ListMessagesRequest.newBuilder().setProjectId(projectA)
        .setChannelId(general.getId()).setThreadRootId(hello.getId()).build(), ListMessagesResponse.getDefaultInstance(), bob);
    assertThat(thread.getMessagesList()).extracting(Message::getId).containsExactly(reply.getId());
    ListMessagesResponse history = page(bob, general, "", "", 0);
    assertThat(history.getMessagesList()).extracting(Message::getId).containsExactly(hello.getId());
    assertThat(history.getMessages(0).getReplyCount()).isEqualTo(1);
    assertThat(unread(ann, projectA, general).getUnread()).isEqualTo(1);

    // Edit: the author only.
    EditMessageRequest edit = EditMessageRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId())
        .setMessageId(hello.getId()).setText("hello @bob, welcome").build();
    chat.fails(GrpcStatus.PERMISSION_DENIED, "EditMessage", edit, bob);
    assertThat(chat.call("EditMessage", edit, Message.getDefaultInstance(), ann).getText()).isEqualTo("hello @bob, welcome");

    // Reactions: adding twice counts once; removing takes it away.
    ReactRequest thumbs = ReactRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId())
        .setMessageId(hello.getId()).setEmoji("👍").setAdd(true).build();
    chat.call("React", thumbs, Message.getDefaultInstance(), bob);
    Message reacted = chat.call("React", thumbs, Message.getDefaultInstance(), bob);
    assertThat(reacted.getReactionsList()).singleElement().satisfies(r -> assertThat(r.getUserIdsList()).containsExactly(bob.id()));
    assertThat(chat.call("React", thumbs.toBuilder().setAdd(false).build(), Message.getDefaultInstance(), bob).getReactionsList()).isEmpty();

    // Pins.
    PinMessageRequest pin = PinMessageRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId())
        .setMessageId(hello.getId()).setPinned(true).build();
    assertThat(chat.call("PinMessage", pin, Message.getDefaultInstance(), bob).getPinned()).isTrue();
    ListPinsRequest pins = ListPinsRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId()).build();
    assertThat(chat.call("ListPins", pins, ListMessagesResponse.getDefaultInstance(), ann).getMessagesList())
        .extracting(Message::getId).containsExactly(hello.getId());

    // Read markers reset unread and mentions.
    chat.call("MarkRead", MarkReadRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId())
        .setMessageId(hello.getId()).build(), MarkReadResponse.getDefaultInstance(), bob);
    assertThat(unread(bob, projectA, general)).satisfies(u -> {
      assertThat(u.getUnread()).isZero();
      assertThat(u.getMentions()).isZero();
    });
    post(ann, general, "second");
    assertThat(unread(bob, projectA, general).getUnread()).isEqualTo(1);

    // Delete: not someone else's (unless admin); a tombstone stays in history, unpinned.
    DeleteMessageRequest delete = DeleteMessageRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId())
        .setMessageId(hello.getId()).build();
    chat.fails(GrpcStatus.PERMISSION_DENIED, "DeleteMessage", delete, bob);
    Message tomb = chat.call("DeleteMessage", delete, Message.getDefaultInstance(), ann);
    assertThat(tomb.getDeleted()).isTrue();
    assertThat(tomb.getText()).isEmpty();
    assertThat(page(bob, general, "", "", 0).getMessagesList()).first().satisfies(m -> assertThat(m.getDeleted()).isTrue());
    assertThat(chat.call("ListPins", pins, ListMessagesResponse.getDefaultInstance(), ann).getMessagesList()).isEmpty();

    // A retried post with the same client id is one message.
    PostMessageRequest retried = PostMessageRequest.newBuilder().setProjectId(projectA).setChannelId(general.getId())
        .setText("once").setClientMessageId("c-1").build();
    Message first = chat.call("PostMessage", retried, Message.getDefaultInstance(), bob);
    assertThat(chat.call("PostMessage", retried, Message.getDefaultInstance(), bob).getId()).isEqualTo(first.getId());

    // Direct conversations: one per set of people, whoever opens it.
    Channel dm = chat.call("OpenDirect", OpenDirectRequest.newBuilder().setProjectId(projectA).addUserIds(bob.id()).build(),
        Channel.getDefaultInstance(), ann);
    assertThat(dm.getKind()).isEqualTo(ChannelKind.DIRECT);
    assertThat(chat.call("OpenDirect", OpenDirectRequest.newBuilder().setProjectId(projectA).addUserIds(ann.id()).build(),
        Channel.getDefaultInstance(), bob).getId()).isEqualTo(dm.getId());
    Channel group = chat.call("OpenDirect", OpenDirectRequest.newBuilder().setProjectId(projectA).addUserIds(bob.id())
        .addUserIds(carol.id()).build(), Channel.getDefaultInstance(), ann);
    assertThat(group.getId()).isNotEqualTo(dm.getId());
    chat.fails(GrpcStatus.INVALID_ARGUMENT, "OpenDirect", OpenDirectRequest.newBuilder().setProjectId(projectA)
        .addUserIds(eve.id()).build(), ann);

    // Lists: public channels for all; private ones and DMs for their members only.
    Channel secret = channel(ann, projectA, "secret", Visibility.PRIVATE, bob);
    ListChannelsRequest list = ListChannelsRequest.newBuilder().setProjectId(projectA).build();
    assertThat(chat.call("ListChannels", list, ListChannelsResponse.getDefaultInstance(), carol).getChannelsList())
        .extracting(Channel::getId).contains(general.getId(), group.getId()).doesNotContain(secret.getId(), dm.getId());
    assertThat(chat.call("ListChannels", list, ListChannelsResponse.getDefaultInstance(), bob).getChannelsList())
        .extracting(Channel::getId).contains(general.getId(), secret.getId(), dm.getId());
    chat.fails(GrpcStatus.NOT_FOUND, "GetChannel", GetChannelRequest.newBuilder().setProjectId(projectA)
        .setChannelId(secret.getId()).build(), carol);
    // Mentioning carol in it would tell her it exists.
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(secret.getId()).setText("psst").addMentionUserIds(carol.id()).build(), ann)
        .trailers.get("hearth-field")).isEqualTo("mention_user_ids");

    // The same session over REST.
    String base = "/v1/projects/" + projectA + "/chat/channels/" + general.getId();
    assertThat(chat.node.rest.post(base + "/messages", carol.token(), new JsonObject().put("text", "via rest")).status())
        .as("carol has not joined: posting is refused").isEqualTo(412);
    chat.node.rest.post(base + "/join", carol.token(), new JsonObject()).ok();
    JsonObject m = chat.node.rest.post(base + "/messages", carol.token(), new JsonObject().put("text", "via rest")).ok();
    assertThat(m.getString("authorId")).isEqualTo(carol.id());
    JsonObject edited = chat.node.rest.call("PATCH", base + "/messages/" + m.getString("id"), carol.token(),
        new JsonObject().put("text", "via rest, edited")).ok();
    assertThat(edited.getString("text")).isEqualTo("via rest, edited");
    JsonObject listed = chat.node.rest.get(base + "/messages?limit=2", carol.token()).ok();
    assertThat(listed.getJsonArray("messages").getJsonObject(1).getString("text")).isEqualTo("via rest, edited");
    assertThat(chat.node.rest.call("DELETE", base + "/messages/" + m.getString("id"), carol.token(), null).ok()
        .getBoolean("deleted")).isTrue();
    JsonObject unread = chat.node.rest.get("/v1/projects/" + projectA + "/chat/unread", bob.token()).ok();
    assertThat(unread.getJsonArray("channels")).isNotEmpty();
  }

  @Test
  void metrics_countNewMessagesAndReplies_notARetriedPost() throws Exception {
    String messages = "hearth_module_chat_messages_posted_total{kind=\"message\"}";
    String replies = "hearth_module_chat_messages_posted_total{kind=\"reply\"}";
    double messagesBefore = chat.metric(messages);
    double repliesBefore = chat.metric(replies);
    Channel c = channel(ann, projectA, "metered", Visibility.PUBLIC);
    PostMessageRequest once = PostMessageRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
        .setText("counted once").setClientMessageId("retry-1").build();
    Message root = chat.call("PostMessage", once, Message.getDefaultInstance(), ann);
    Message retried = chat.call("PostMessage", once, Message.getDefaultInstance(), ann); // the client's retry
    assertThat(retried.getId()).isEqualTo(root.getId());
    chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
        .setText("a reply").setThreadRootId(root.getId()).build(), Message.getDefaultInstance(), ann);

    assertThat(chat.metric(messages) - messagesBefore).isEqualTo(1);
    assertThat(chat.metric(replies) - repliesBefore).isEqualTo(1);
  }

  @Test
  void aRetry_returnsTheFirstMessage_amongTheAuthorsLast32PostsInTheChannel() {
    Channel c = channel(ann, projectA, "retries", Visibility.PUBLIC, bob);
    Function<String, PostMessageRequest> withId = id -> PostMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(c.getId()).setText("post " + id).setClientMessageId(id).build();
    Message first = chat.call("PostMessage", withId.apply("r-0"), Message.getDefaultInstance(), ann);
    // Client ids are the author's own: bob's r-0 is a message of its own.
    Message bobs = chat.call("PostMessage", withId.apply("r-0"), Message.getDefaultInstance(), bob);
    assertThat(bobs.getId()).isNotEqualTo(first.getId());
    for (int i = 1; i < Retries.KEPT; i++) {
      chat.call("PostMessage", withId.apply("r-" + i), Message.getDefaultInstance(), ann);
    }
    assertThat(chat.call("PostMessage", withId.apply("r-0"), Message.getDefaultInstance(), ann).getId())
        .isEqualTo(first.getId());
    chat.call("PostMessage", withId.apply("r-" + Retries.KEPT), Message.getDefaultInstance(), ann);
    // Now r-0 is the 33rd post back: past what is kept, so it posts again (docs/chat.md, Limits).
    assertThat(chat.call("PostMessage", withId.apply("r-0"), Message.getDefaultInstance(), ann).getId())
        .isNotEqualTo(first.getId());
  }

  @Test
  void history_pagesThrough250Messages_eachExactlyOnceInOrder() throws Exception {
    Channel busy = channel(carol, projectA, "busy", Visibility.PUBLIC);
    List<String> posted = new ArrayList<>();
    for (int i = 0; i < 250; i++) posted.add(post(carol, busy, "message " + i).getId());

    // Backwards from the newest, 40 at a time.
    List<String> back = new ArrayList<>();
    ListMessagesResponse p = page(bob, busy, "", "", 40);
    assertThat(p.getNewerCursor()).isEmpty();
    while (true) {
      List<String> ids = p.getMessagesList().stream().map(Message::getId).toList();
      back.addAll(0, ids);
      if (p.getOlderCursor().isEmpty()) break;
      p = page(bob, busy, p.getOlderCursor(), "", 40);
    }
    assertThat(back).containsExactlyElementsOf(posted);

    // Forwards from the first, 33 at a time, over REST.
    List<String> forward = new ArrayList<>(List.of(posted.get(0)));
    String after = posted.get(0);
    String base = "/v1/projects/" + projectA + "/chat/channels/" + busy.getId() + "/messages";
    while (!after.isEmpty()) {
      JsonObject page = chat.node.rest.get(base + "?limit=33&after=" + after, bob.token()).ok();
      page.getJsonArray("messages").forEach(o -> forward.add(((JsonObject) o).getString("id")));
      after = page.getString("newerCursor", "");
    }
    assertThat(forward).containsExactlyElementsOf(posted);

    // From the oldest, 60 at a time: the first page has nothing older; newer cursors lead to the end.
    List<String> fromOldest = new ArrayList<>();
    ListMessagesResponse o = chat.call("ListMessages", ListMessagesRequest.newBuilder().setProjectId(projectA)
        .setChannelId(busy.getId()).setOldestFirst(true).setLimit(60).build(), ListMessagesResponse.getDefaultInstance(), bob);
    assertThat(o.getOlderCursor()).isEmpty();
    assertThat(o.getMessagesList()).extracting(Message::getId).containsExactlyElementsOf(posted.subList(0, 60));
    while (true) {
      o.getMessagesList().forEach(m -> fromOldest.add(m.getId()));
      if (o.getNewerCursor().isEmpty()) break;
      o = page(bob, busy, "", o.getNewerCursor(), 60);
    }
    assertThat(fromOldest).containsExactlyElementsOf(posted);
    JsonObject firstFive = chat.node.rest.get(base + "?limit=5&oldestFirst=true", bob.token()).ok();
    assertThat(firstFive.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("id")).toList())
        .containsExactlyElementsOf(posted.subList(0, 5));
    assertThat(firstFive.getString("newerCursor")).isEqualTo(posted.get(4));
    assertThat(firstFive.getString("olderCursor", "")).isEmpty();

    // Between two ids, and the limit's bounds.
    ListMessagesResponse between = chat.call("ListMessages", ListMessagesRequest.newBuilder().setProjectId(projectA)
        .setChannelId(busy.getId()).setAfter(posted.get(10)).setBefore(posted.get(20)).build(),
        ListMessagesResponse.getDefaultInstance(), bob);
    assertThat(between.getMessagesList()).extracting(Message::getId).containsExactlyElementsOf(posted.subList(11, 20));
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "ListMessages", ListMessagesRequest.newBuilder().setProjectId(projectA)
        .setChannelId(busy.getId()).setLimit(101).build(), bob).trailers.get("hearth-field")).isEqualTo("limit");
  }

  @Test
  void getMessage_returnsAMessageOrAReply_onlyToThoseWhoMayReadTheChannel() throws Exception {
    Channel secret = channel(ann, projectA, "get-secret", Visibility.PRIVATE, carol);
    Message root = post(ann, secret, "the root");
    Message reply = chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA).setChannelId(secret.getId())
        .setText("a reply").setThreadRootId(root.getId()).build(), Message.getDefaultInstance(), carol);
    GetMessageRequest get = GetMessageRequest.newBuilder().setProjectId(projectA).setChannelId(secret.getId())
        .setMessageId(root.getId()).build();

    Message got = chat.call("GetMessage", get, Message.getDefaultInstance(), carol);
    assertThat(got.getText()).isEqualTo("the root");
    assertThat(got.getReplyCount()).isEqualTo(1);
    assertThat(chat.call("GetMessage", get.toBuilder().setMessageId(reply.getId()).build(), Message.getDefaultInstance(), ann))
        .isEqualTo(reply);
    JsonObject rest = chat.node.rest.get("/v1/projects/" + projectA + "/chat/channels/" + secret.getId() + "/messages/"
        + reply.getId(), carol.token()).ok();
    assertThat(rest.getString("threadRootId")).isEqualTo(root.getId());

    // Not a member of the private channel: as if it did not exist. Another project: the guard refuses.
    chat.fails(GrpcStatus.NOT_FOUND, "GetMessage", get, bob);
    chat.fails(GrpcStatus.PERMISSION_DENIED, "GetMessage", get, eve);
    assertThat(chat.fails(GrpcStatus.NOT_FOUND, "GetMessage", get.toBuilder()
        .setMessageId("0190a5c2-0000-7000-8000-000000000000").build(), carol).trailers.get("hearth-field")).isEqualTo("message_id");
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "GetMessage", get.toBuilder().setMessageId("42").build(), carol)
        .trailers.get("hearth-field")).isEqualTo("message_id");
  }

  @Test
  void projects_areIsolated_overGrpcAndRest() throws Exception {
    Channel open = channel(ann, projectA, "open-a", Visibility.PUBLIC);
    post(ann, open, "isolation marker walrus");
    Channel bChannel = channel(eve, projectB, "b-room", Visibility.PUBLIC);

    // Naming project A: the node's guard refuses eve before the module runs.
    chat.fails(GrpcStatus.PERMISSION_DENIED, "ListChannels", ListChannelsRequest.newBuilder().setProjectId(projectA).build(), eve);
    chat.fails(GrpcStatus.PERMISSION_DENIED, "GetChannel", GetChannelRequest.newBuilder().setProjectId(projectA)
        .setChannelId(open.getId()).build(), eve);
    chat.fails(GrpcStatus.PERMISSION_DENIED, "PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(open.getId()).setText("hi").build(), eve);
    chat.fails(GrpcStatus.PERMISSION_DENIED, "SearchMessages", SearchMessagesRequest.newBuilder().setProjectId(projectA)
        .setQuery("walrus").build(), eve);
    String aBase = "/v1/projects/" + projectA + "/chat";
    assertThat(chat.node.rest.get(aBase + "/channels", eve.token()).status()).isEqualTo(403);
    assertThat(chat.node.rest.get(aBase + "/channels/" + open.getId() + "/messages", eve.token()).status()).isEqualTo(403);
    assertThat(chat.node.rest.post(aBase + "/channels/" + open.getId() + "/messages", eve.token(),
        new JsonObject().put("text", "hi")).status()).isEqualTo(403);
    assertThat(chat.node.rest.get(aBase + "/search?query=walrus", eve.token()).status()).isEqualTo(403);

    // Naming her own project B with A's channel: the module answers NOT_FOUND.
    chat.fails(GrpcStatus.NOT_FOUND, "GetChannel", GetChannelRequest.newBuilder().setProjectId(projectB)
        .setChannelId(open.getId()).build(), eve);
    chat.fails(GrpcStatus.NOT_FOUND, "ListMessages", ListMessagesRequest.newBuilder().setProjectId(projectB)
        .setChannelId(open.getId()).build(), eve);
    chat.fails(GrpcStatus.NOT_FOUND, "JoinChannel", JoinChannelRequest.newBuilder().setProjectId(projectB)
        .setChannelId(open.getId()).build(), eve);
    chat.fails(GrpcStatus.NOT_FOUND, "PostMessage", PostMessageRequest.newBuilder().setProjectId(projectB)
        .setChannelId(open.getId()).setText("hi").build(), eve);
    chat.fails(GrpcStatus.NOT_FOUND, "SearchMessages", SearchMessagesRequest.newBuilder().setProjectId(projectB)
        .setChannelId(open.getId()).setQuery("walrus").build(), eve);
    String bBase = "/v1/projects/" + projectB + "/chat";
    assertThat(chat.node.rest.get(bBase + "/channels/" + open.getId() + "/messages", eve.token()).status()).isEqualTo(404);
    assertThat(chat.node.rest.post(bBase + "/channels/" + open.getId() + "/messages", eve.token(),
        new JsonObject().put("text", "hi")).status()).isEqualTo(404);
    assertThat(search(eve, projectB, "walrus")).isEmpty();
    assertThat(chat.call("ListChannels", ListChannelsRequest.newBuilder().setProjectId(projectB).build(),
        ListChannelsResponse.getDefaultInstance(), eve).getChannelsList())
        .extracting(Channel::getId).contains(bChannel.getId()).doesNotContain(open.getId());

    // And the other way round: A's users reach nothing of B.
    chat.fails(GrpcStatus.NOT_FOUND, "GetChannel", GetChannelRequest.newBuilder().setProjectId(projectA)
        .setChannelId(bChannel.getId()).build(), ann);
  }

  @Test
  void search_findsOnlyWhatTheCallerMayRead_andFollowsEditsAndDeletes() {
    Channel pub = channel(ann, projectA, "search-public", Visibility.PUBLIC);
    Channel priv = channel(ann, projectA, "search-private", Visibility.PRIVATE);
    Message visible = post(ann, pub, "The Zebra crossed the quartz river");
    post(ann, priv, "zebra in private");
    Channel b = channel(eve, projectB, "search-b", Visibility.PUBLIC);
    post(eve, b, "zebra of project B");

    assertThat(search(carol, projectA, "zebra")).containsExactly("The Zebra crossed the quartz river");
    assertThat(search(ann, projectA, "ZEBRA")).containsExactly("zebra in private", "The Zebra crossed the quartz river");
    assertThat(search(ann, projectA, "zebra quartz")).containsExactly("The Zebra crossed the quartz river");
    assertThat(search(ann, projectA, "zebra walrusless")).isEmpty();
    assertThat(search(eve, projectB, "zebra")).containsExactly("zebra of project B");

    chat.call("EditMessage", EditMessageRequest.newBuilder().setProjectId(projectA).setChannelId(pub.getId())
        .setMessageId(visible.getId()).setText("a lion now").build(), Message.getDefaultInstance(), ann);
    assertThat(search(carol, projectA, "quartz")).isEmpty();
    assertThat(search(carol, projectA, "lion")).containsExactly("a lion now");
    chat.call("DeleteMessage", DeleteMessageRequest.newBuilder().setProjectId(projectA).setChannelId(pub.getId())
        .setMessageId(visible.getId()).build(), Message.getDefaultInstance(), ann);
    assertThat(search(carol, projectA, "lion")).isEmpty();
  }

  @Test
  void badInput_isRefusedNamingTheField_andTheNodeKeepsWorking() throws Exception {
    Channel c = channel(bob, projectA, "inputs", Visibility.PUBLIC);
    PostMessageRequest ok = PostMessageRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId()).setText("fine").build();

    var empty = chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage", ok.toBuilder().setText("  \n").build(), bob);
    assertThat(empty.trailers.get("hearth-field")).isEqualTo("text");
    var huge = chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage", ok.toBuilder().setText("x".repeat(4001)).build(), bob);
    assertThat(huge.trailers.get("hearth-field")).isEqualTo("text");
    assertThat(huge.getMessage()).contains("4000");
    assertThat(post(bob, c, "x".repeat(4000)).getText()).hasSize(4000);
    // Attachments alone are a message; too many, malformed ids, or ids that are no file of the project are not.
    String file = chat.uploadFile(bob, projectA, "inputs.txt", "attached");
    assertThat(chat.call("PostMessage", ok.toBuilder().setText("").addAttachmentFileIds(file).build(),
        Message.getDefaultInstance(), bob).getAttachmentFileIdsList()).containsExactly(file);
    var unknown = chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage",
        ok.toBuilder().addAttachmentFileIds("0190a5c2-0000-7000-8000-000000000001").build(), bob);
    assertThat(unknown.trailers.get("hearth-field")).isEqualTo("attachment_file_ids");
    String elsewhere = chat.uploadFile(eve, projectB, "b.txt", "project B's");
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage", ok.toBuilder().addAttachmentFileIds(elsewhere).build(), bob)
        .getMessage()).contains("no file " + elsewhere + " in project " + projectA);
    PostMessageRequest.Builder many = ok.toBuilder();
    for (int i = 0; i < 11; i++) many.addAttachmentFileIds("f" + i);
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage", many.build(), bob).trailers.get("hearth-field"))
        .isEqualTo("attachment_file_ids");
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage", ok.toBuilder().addAttachmentFileIds("../etc").build(), bob)
        .trailers.get("hearth-field")).isEqualTo("attachment_file_ids");

    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage", ok.toBuilder().setChannelId("nope").build(), bob)
        .trailers.get("hearth-field")).isEqualTo("channel_id");
    chat.fails(GrpcStatus.NOT_FOUND, "PostMessage", ok.toBuilder().setChannelId("0190a5c2-0000-7000-8000-000000000000").build(), bob);
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "PostMessage", ok.toBuilder().setThreadRootId("x").build(), bob)
        .trailers.get("hearth-field")).isEqualTo("thread_root_id");
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "EditMessage", EditMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(c.getId()).setMessageId("42").setText("t").build(), bob).trailers.get("hearth-field")).isEqualTo("message_id");
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "CreateChannel", CreateChannelRequest.newBuilder().setProjectId(projectA)
        .setName(" ").build(), bob).trailers.get("hearth-field")).isEqualTo("name");
    // No visibility is no public channel by default: it is refused, naming the field, on both transports.
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "CreateChannel", CreateChannelRequest.newBuilder().setProjectId(projectA)
        .setName("unsaid").build(), bob).trailers.get("hearth-field")).isEqualTo("visibility");
    var unsaid = chat.node.rest.post("/v1/projects/" + projectA + "/chat/channels", bob.token(), new JsonObject().put("name", "unsaid"));
    assertThat(unsaid.status()).isEqualTo(400);
    assertThat(unsaid.body().getJsonObject("details").getString("field")).isEqualTo("visibility");
    assertThat(unsaid.body().getString("message")).isEqualTo("visibility: is required: PUBLIC or PRIVATE");
    assertThat(chat.call("ListChannels", ListChannelsRequest.newBuilder().setProjectId(projectA).build(),
        ListChannelsResponse.getDefaultInstance(), bob).getChannelsList()).extracting(Channel::getName).doesNotContain("unsaid");
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "SearchMessages", SearchMessagesRequest.newBuilder().setProjectId(projectA)
        .setQuery("!").build(), bob).trailers.get("hearth-field")).isEqualTo("query");

    // REST says the same with 400 and details.field.
    var rest = chat.node.rest.post("/v1/projects/" + projectA + "/chat/channels/" + c.getId() + "/messages", bob.token(),
        new JsonObject().put("text", ""));
    assertThat(rest.status()).isEqualTo(400);
    assertThat(rest.body().getJsonObject("details").getString("field")).isEqualTo("text");
    assertThat(chat.node.rest.get("/v1/projects/" + projectA + "/chat/channels/nope/messages", bob.token()).status()).isEqualTo(400);

    assertThat(chat.call("PostMessage", ok, Message.getDefaultInstance(), bob).getText()).isEqualTo("fine");
  }

  @Test
  void listMembers_saysWhetherTheCallerMayRemove_asRemoveMemberDecides() {
    // bob creates it (its admin), carol joins; ann administers the project but is not a member.
    Channel c = channel(bob, projectA, "who-may-remove", Visibility.PUBLIC);
    join(carol, c);
    ListMembersRequest list = ListMembersRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId()).build();
    assertThat(chat.call("ListMembers", list, ListMembersResponse.getDefaultInstance(), bob).getMayRemoveMembers()).isTrue();
    assertThat(chat.call("ListMembers", list, ListMembersResponse.getDefaultInstance(), carol).getMayRemoveMembers()).isFalse();
    assertThat(chat.call("ListMembers", list, ListMembersResponse.getDefaultInstance(), ann).getMayRemoveMembers()).isTrue();

    RemoveMemberRequest removeBob = RemoveMemberRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
        .setUserId(bob.id()).build();
    chat.fails(GrpcStatus.PERMISSION_DENIED, "RemoveMember", removeBob, carol);
    chat.call("RemoveMember", RemoveMemberRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
        .setUserId(carol.id()).build(), Channel.getDefaultInstance(), ann);
    assertThat(chat.call("ListMembers", list, ListMembersResponse.getDefaultInstance(), bob).getMembersList().stream()
        .map(m -> m.getUserId()).toList()).containsExactly(bob.id());

    // A direct conversation's members are fixed: nobody is offered Remove.
    Channel direct = chat.call("OpenDirect", OpenDirectRequest.newBuilder().setProjectId(projectA).addUserIds(carol.id()).build(),
        Channel.getDefaultInstance(), bob);
    assertThat(chat.call("ListMembers", ListMembersRequest.newBuilder().setProjectId(projectA).setChannelId(direct.getId()).build(),
        ListMembersResponse.getDefaultInstance(), bob).getMayRemoveMembers()).isFalse();
  }

  @Test
  void slowModeAndReadOnly_holdForMembers_notForAdmins() throws Exception {
    Channel c = channel(ann, projectA, "announcements", Visibility.PUBLIC);
    join(bob, c);
    UpdateChannelRequest slow = UpdateChannelRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
        .setSlowModeSeconds(60).build();
    chat.fails(GrpcStatus.PERMISSION_DENIED, "UpdateChannel", slow, bob);
    assertThat(chat.call("UpdateChannel", slow, Channel.getDefaultInstance(), ann).getSlowModeSeconds()).isEqualTo(60);

    post(bob, c, "one");
    var limited = chat.fails(GrpcStatus.RESOURCE_EXHAUSTED, "PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(c.getId()).setText("two").build(), bob);
    assertThat(Integer.parseInt(limited.trailers.get("retry-after"))).isBetween(1, 60);
    var rest = chat.node.rest.post("/v1/projects/" + projectA + "/chat/channels/" + c.getId() + "/messages", bob.token(),
        new JsonObject().put("text", "three"));
    assertThat(rest.status()).isEqualTo(429);
    assertThat(rest.headers().firstValue("Retry-After")).isPresent();
    post(ann, c, "admins are exempt");
    post(ann, c, "twice");

    chat.call("UpdateChannel", UpdateChannelRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
        .setSlowModeSeconds(0).setReadOnly(true).build(), Channel.getDefaultInstance(), ann);
    var readOnly = chat.fails(GrpcStatus.PERMISSION_DENIED, "PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(c.getId()).setText("may I?").build(), bob);
    assertThat(readOnly.getMessage()).contains("read-only");
    Message last = post(ann, c, "only admins here");

    chat.call("ArchiveChannel", ArchiveChannelRequest.newBuilder().setProjectId(projectA)
        .setChannelId(c.getId()).setArchived(true).build(), Channel.getDefaultInstance(), ann);
    assertThat(chat.fails(GrpcStatus.FAILED_PRECONDITION, "PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(c.getId()).setText("late").build(), ann).getMessage()).contains("archived");
    chat.fails(GrpcStatus.FAILED_PRECONDITION, "EditMessage", EditMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(c.getId()).setMessageId(last.getId()).setText("rewritten").build(), ann);
  }

  @Test
  void presence_isWhatUsersSet_andSharedWithinTheirProjectOnly() {
    GetPresenceRequest ask = GetPresenceRequest.newBuilder().setProjectId(projectA).addUserIds(bob.id()).addUserIds(eve.id()).build();
    assertThat(chat.call("GetPresence", ask, GetPresenceResponse.getDefaultInstance(), carol).getUsersList())
        .as("eve is no user of A: left out").extracting(UserPresence::getUserId).containsExactly(bob.id());
    assertThat(chat.call("SetPresence", SetPresenceRequest.newBuilder().setProjectId(projectA).setStatus(PresenceStatus.DND).build(),
        SetPresenceResponse.getDefaultInstance(), bob).getStatus()).isEqualTo(PresenceStatus.DND);
    assertThat(chat.call("GetPresence", ask, GetPresenceResponse.getDefaultInstance(), carol).getUsers(0).getStatus())
        .isEqualTo(PresenceStatus.DND);
    assertThat(chat.fails(GrpcStatus.INVALID_ARGUMENT, "SetPresence", SetPresenceRequest.newBuilder().setProjectId(projectA).build(), bob)
        .trailers.get("hearth-field")).isEqualTo("status");
    chat.fails(GrpcStatus.PERMISSION_DENIED, "GetPresence", ask, eve);
  }

  @Test
  void aDmOpenerIsNoAdmin_aRejoinStartsRead_andReadMarkersOnlyMoveForward() {
    // Opening a DM first gives no power over the other's messages.
    Channel dm = chat.call("OpenDirect", OpenDirectRequest.newBuilder().setProjectId(projectA).addUserIds(carol.id())
        .build(), Channel.getDefaultInstance(), bob);
    Message carols = post(carol, dm, "mine, not yours");
    chat.fails(GrpcStatus.PERMISSION_DENIED, "DeleteMessage", DeleteMessageRequest.newBuilder().setProjectId(projectA)
        .setChannelId(dm.getId()).setMessageId(carols.getId()).build(), bob);

    // Leaving and coming back does not count what happened meanwhile as unread.
    Channel c = channel(ann, projectA, "comings-and-goings", Visibility.PUBLIC);
    join(bob, c);
    chat.call("LeaveChannel", LeaveChannelRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId()).build(),
        LeaveChannelResponse.getDefaultInstance(), bob);
    Message m1 = post(ann, c, "while bob is away 1");
    Message m2 = post(ann, c, "while bob is away 2");
    join(bob, c);
    assertThat(unread(bob, projectA, c).getUnread()).isZero();

    // A marker set back (an older message, another device) changes nothing.
    Message m3 = post(ann, c, "after bob is back");
    chat.call("MarkRead", MarkReadRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
        .setMessageId(m3.getId()).build(), MarkReadResponse.getDefaultInstance(), bob);
    Message m4 = post(ann, c, "one more");
    try (TestRealtime rt = TestRealtime.connect(chat.node, bob.token())) {
      rt.subscribe("chat/user/" + bob.id(), null);
      chat.call("MarkRead", MarkReadRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
          .setMessageId(m1.getId()).build(), MarkReadResponse.getDefaultInstance(), bob);
      assertThat(unread(bob, projectA, c).getUnread()).isEqualTo(1);
      chat.call("MarkRead", MarkReadRequest.newBuilder().setProjectId(projectA).setChannelId(c.getId())
          .setMessageId(m4.getId()).build(), MarkReadResponse.getDefaultInstance(), bob);
      // Other devices hear only the forward move: the step back wrote nothing.
      JsonObject read = rt.next(f -> "read.updated".equals(f.getString("event")), 10);
      assertThat(read.getJsonObject("data").getString("messageId")).isEqualTo(m4.getId());
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    assertThat(m2.getId()).isNotEmpty();
  }

  @Test
  void aProjectAdmin_canSwitchChatOffForTheirProject() throws Exception {
    String project = chat.project(ann, "Switch");
    Channel c = channel(ann, project, "soon-off", Visibility.PUBLIC);
    String module = "/v1/projects/" + project + "/modules/chat";
    chat.node.rest.call("PUT", module, ann.token(), new JsonObject().put("enabled", false)).ok();
    chat.fails(GrpcStatus.FAILED_PRECONDITION, "PostMessage", PostMessageRequest.newBuilder().setProjectId(project)
        .setChannelId(c.getId()).setText("anyone?").build(), ann);
    assertThat(chat.node.rest.get("/v1/projects/" + project + "/chat/channels", ann.token()).status()).isEqualTo(412);
    // Its live topics are off too: no history through a resume either.
    try (TestRealtime rt = TestRealtime.connect(chat.node, ann.token())) {
      JsonObject refused = rt.request(new JsonObject().put("type", "subscribe").put("topic", "chat/channel/" + c.getId())
          .put("from", 0));
      assertThat(refused.getString("type")).isEqualTo("error");
      assertThat(refused.getString("code")).isEqualTo("FAILED_PRECONDITION");
    }
    // Other projects keep it.
    chat.call("ListChannels", ListChannelsRequest.newBuilder().setProjectId(projectA).build(), ListChannelsResponse.getDefaultInstance(), ann);
    chat.node.rest.call("PUT", module, ann.token(), new JsonObject().put("enabled", true)).ok();
    assertThat(post(ann, c, "back on").getText()).isEqualTo("back on");
  }

  @Test
  void realtime_deliversChannelUserAndProjectEvents_toThoseWhoMayReadThem() throws Exception {
    User dave = chat.signUp("dave@chat.test");
    chat.invite(ann, projectA, dave);
    Channel room = channel(ann, projectA, "live", Visibility.PUBLIC);
    join(dave, room);
    Channel hidden = channel(ann, projectA, "live-private", Visibility.PRIVATE);
    String roomTopic = "chat/channel/" + room.getId();
    try (TestRealtime bobRt = TestRealtime.connect(chat.node, bob.token());
        TestRealtime carolRt = TestRealtime.connect(chat.node, carol.token());
        TestRealtime eveRt = TestRealtime.connect(chat.node, eve.token())) {
      // Who may subscribe to what.
      bobRt.subscribe(roomTopic, null);
      bobRt.subscribe("chat/user/" + bob.id(), null);
      carolRt.subscribe("chat/project/" + projectA, null);
      assertThat(carolRt.request(new JsonObject().put("type", "subscribe").put("topic", "chat/channel/" + hidden.getId()))
          .getString("code")).isEqualTo("NOT_FOUND");
      assertThat(carolRt.request(new JsonObject().put("type", "subscribe").put("topic", "chat/user/" + bob.id()))
          .getString("code")).isEqualTo("PERMISSION_DENIED");
      assertThat(eveRt.request(new JsonObject().put("type", "subscribe").put("topic", roomTopic)).getString("code"))
          .isEqualTo("PERMISSION_DENIED");
      assertThat(eveRt.request(new JsonObject().put("type", "subscribe").put("topic", "chat/project/" + projectA))
          .getString("code")).isEqualTo("PERMISSION_DENIED");

      // Durable events of the channel, in order, with the message's data.
      Message m = chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(projectA).setChannelId(room.getId())
          .setText("live one").addMentionUserIds(bob.id()).build(), Message.getDefaultInstance(), ann);
      chat.call("EditMessage", EditMessageRequest.newBuilder().setProjectId(projectA).setChannelId(room.getId())
          .setMessageId(m.getId()).setText("live one, edited").build(), Message.getDefaultInstance(), ann);
      // (TestRealtime drops frames a wait skips, so take both topics' events together.)
      List<JsonObject> all = events(bobRt, 3, roomTopic, "chat/user/" + bob.id());
      List<JsonObject> events = all.stream().filter(e -> e.getString("topic").equals(roomTopic)).toList();
      assertThat(events).extracting(e -> e.getString("event")).containsExactly("message.created", "message.updated");
      assertThat(events.get(1).getJsonObject("data").getString("text")).isEqualTo("live one, edited");
      assertThat(all).filteredOn(e -> e.getString("topic").startsWith("chat/user/")).singleElement()
          .satisfies(e -> assertThat(e.getString("event")).isEqualTo("mention"));

      // A resume from the first event's sequence gets the second again, exactly.
      try (TestRealtime again = TestRealtime.connect(chat.node, bob.token())) {
        again.subscribe(roomTopic, events.get(0).getLong("seq"));
        assertThat(again.events(roomTopic, 1).get(0).getLong("seq")).isEqualTo(events.get(1).getLong("seq"));
      }

      // Typing is ephemeral: delivered now, with no sequence.
      chat.call("SetTyping", SetTypingRequest.newBuilder().setProjectId(projectA)
          .setChannelId(room.getId()).build(), SetTypingResponse.getDefaultInstance(), dave);
      JsonObject typing = bobRt.events(roomTopic, 1).get(0);
      assertThat(typing.getString("event")).isEqualTo("typing");
      assertThat(typing.getJsonObject("data").getString("userId")).isEqualTo(dave.id());
      assertThat(typing.containsKey("seq")).isFalse();

      // Presence follows dave's connection, on the project topic.
      GetPresenceRequest ask = GetPresenceRequest.newBuilder().setProjectId(projectA).addUserIds(dave.id()).build();
      try (TestRealtime daveRt = TestRealtime.connect(chat.node, dave.token())) {
        JsonObject online = carolRt.next(f -> "presence".equals(f.getString("event"))
            && dave.id().equals(f.getJsonObject("data").getString("userId")), 10);
        assertThat(online.getJsonObject("data").getString("status")).isEqualTo("ONLINE");
        assertThat(chat.call("GetPresence", ask, GetPresenceResponse.getDefaultInstance(), carol).getUsers(0).getStatus())
            .isEqualTo(PresenceStatus.ONLINE);
      }
      JsonObject offline = carolRt.next(f -> "presence".equals(f.getString("event"))
          && dave.id().equals(f.getJsonObject("data").getString("userId")), 10);
      assertThat(offline.getJsonObject("data").getString("status")).isEqualTo("OFFLINE");

      // Being added to a private channel reaches the user's own topic.
      chat.call("AddMembers", AddMembersRequest.newBuilder().setProjectId(projectA)
          .setChannelId(hidden.getId()).addUserIds(bob.id()).build(), Channel.getDefaultInstance(), ann);
      JsonObject added = bobRt.events("chat/user/" + bob.id(), 1).get(0);
      assertThat(added.getString("event")).isEqualTo("channel.added");
      assertThat(added.getJsonObject("data").getString("channelId")).isEqualTo(hidden.getId());
    }
  }

  /** The next {@code n} event frames of any of {@code topics}, in arrival order. */
  private static List<JsonObject> events(TestRealtime rt, int n, String... topics) throws InterruptedException {
    List<String> wanted = List.of(topics);
    List<JsonObject> out = new ArrayList<>();
    while (out.size() < n) {
      out.add(rt.next(f -> "event".equals(f.getString("type")) && wanted.contains(f.getString("topic")), 20));
    }
    return out;
  }

  /** Its own node, to stop it and read every file it wrote. */
  @Test
  void afterASession_noFileUnderTheDataDirectoryHoldsTextNamesOrEmailsInClear(@TempDir Path tmp) throws Exception {
    String email = "quillon.marsh@rest.test";
    String name = "Verdigrischannel";
    String topic = "Obsidiantopic";
    String text = "Pellucidity of the marmalade";
    String edited = "Crepuscular saxophones";
    String channelId;
    try (ModuleNode chat = ModuleNode.start(tmp, "hearth-module-chat", ChatProto.getDescriptor())) {
      User user = chat.signUp(email);
      String project = chat.project(user, "Rest");
      Channel c = chat.call("CreateChannel", CreateChannelRequest.newBuilder().setProjectId(project).setName(name)
          .setTopic(topic).setVisibility(Visibility.PUBLIC).build(), Channel.getDefaultInstance(), user);
      channelId = c.getId();
      Message m = chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(project).setChannelId(c.getId())
          .setText(text).build(), Message.getDefaultInstance(), user);
      chat.call("PostMessage", PostMessageRequest.newBuilder().setProjectId(project).setChannelId(c.getId())
          .setText(text + " again").setThreadRootId(m.getId()).build(), Message.getDefaultInstance(), user);
      chat.call("EditMessage", EditMessageRequest.newBuilder().setProjectId(project).setChannelId(c.getId())
          .setMessageId(m.getId()).setText(edited).build(), Message.getDefaultInstance(), user);
      assertThat(chat.call("SearchMessages", SearchMessagesRequest.newBuilder().setProjectId(project).setQuery("saxophones")
          .build(), SearchMessagesResponse.getDefaultInstance(), user).getMessagesCount()).isEqualTo(1);
    }
    List<String> needles = List.of(email, name, topic, text, edited, "pellucidity", "marmalade", "saxophones");
    List<String> found = new ArrayList<>();
    boolean sawKey = false;
    int scanned = 0;
    try (Stream<Path> files = Files.walk(tmp.resolve("data"))) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        scanned++;
        byte[] bytes = Files.readAllBytes(p);
        sawKey |= indexOf(bytes, channelId.getBytes(StandardCharsets.US_ASCII)) >= 0;
        for (String n : needles) {
          if (indexOf(bytes, n.getBytes(StandardCharsets.UTF_8)) >= 0 || indexOf(bytes, packed(n)) >= 0) {
            found.add(n + " in " + tmp.relativize(p));
          }
        }
      }
    }
    assertThat(scanned).as("files scanned").isGreaterThan(3);
    // Keys are in clear (state format 2: one byte per ASCII character, a node's shared prefix written
    // once, docs/store.md "Key format"): finding the channel's id proves the scan reads the store's files
    // in the form a name or word used as a key would have taken. The needles are looked for both as
    // such bytes (UTF-8) and as MapDB's packed strings (format 1, and values MapDB serializes itself).
    assertThat(sawKey).as("the channel id, a key, is found").isTrue();
    assertThat(found).isEmpty();
  }

  /** An ASCII string as MapDB's string serializer writes it: each char packed in one byte, high bit set. */
  private static byte[] packed(String ascii) {
    byte[] out = new byte[ascii.length()];
    for (int i = 0; i < out.length; i++) out[i] = (byte) (ascii.charAt(i) | 0x80);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}
