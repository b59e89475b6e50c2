package dev.hearth.chat;

import dev.hearth.module.ModuleContext;
import dev.hearth.module.change.ViewHandle;
import dev.hearth.module.ui.PageData;
import dev.hearth.module.ui.PageData.Live;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * The chat module: channels, direct conversations, threads, reactions, pins, unread counts,
 * presence, typing and search for the users of a project. Its data is in its own encrypted store
 * (layout in {@link ChatStore}); its API is {@code hearth.chat.v1.ChatService}; docs/chat.md has
 * the RPCs, topics and limits.
 */
@Extension
public class ChatModule implements dev.hearth.module.Module {

  /** The project's members, loaded with the thread page so a reply shows its author's name. */
  private static final String MEMBERS = "hearth.tenancy.v1.TenancyService/ListProjectMembers";

  @Override
  public String id() {
    return "chat";
  }

  @Override
  public Future<Void> start(ModuleContext context) {
    ChatStore db = new ChatStore(context.store());
    UnreadView unread = new UnreadView(context.store());
    ViewHandle unreadHandle = context.store().registerView(unread);
    SearchView search = new SearchView(context.store());
    ViewHandle searchHandle = context.store().registerView(search);
    ChannelAccess access = new ChannelAccess(db, context.authorization());
    Channels channels = new Channels(db, access);
    context.flags().declare(MessageEdits.EDIT_FLAG, true, "members may edit their own messages");
    MessageEdits edits = new MessageEdits(db, access, context.flags());
    Presence presence = new Presence(db, access, context.realtime());
    context.serve(ChatService.binding(
        channels,
        new Directs(db, access, channels),
        new Posting(db, access, context.metrics(), context.files()),
        edits,
        new History(db, access, edits),
        new ReadState(db, access, edits, channels, unread, unreadHandle),
        presence,
        new Search(db, access, search, searchHandle)));
    context.realtime().topics(new ChatTopics(db, access, context.authorization()));
    String rpc = "hearth.chat.v1.ChatService/";
    context.pages().page("channel-list", "chat.page.channels", "pages/channel-list.json", PageData.of()
        .load("channels", rpc + "ListChannels", "{}", "channels")
        // The channels the caller is in (GetUnread lists exactly those): Join for the others, Open for these.
        .load("unread", rpc + "GetUnread", "{}", "channels")
        // People to pick as a new private channel's first members.
        .load("members", MEMBERS, "{}", "members")
        // Events apply to the data (docs/web.md, "Live"): a new or changed public channel goes into the
        // list by id; a private one the reader was added to, or an archived one, lists channels again;
        // read markers, mentions, direct messages, presence and messages change nothing here.
        .live("channels", Live.upsert("channel.created"), Live.update("channel.updated"), Live.reload("channel.archived"),
            Live.reload("channel.added"), Live.keep("read.updated"), Live.keep("mention"), Live.keep("direct"), Live.keep("presence"))
        // (A channel the reader made, in another tab of theirs, they are in: their channels again.)
        .live("unread", Live.reload("channel.added"), Live.reload("channel.created").when("creatorId", "${user}"),
            Live.keep("channel.*"), Live.keep("read.updated"), Live.keep("mention"), Live.keep("direct"), Live.keep("presence"))
        .live("members", Live.keep("*"))
        .topic("chat/project/${project}")
        .topic("chat/user/${user}"));
    context.pages().page("channel", "chat.page.channel", "pages/channel.json", PageData.of()
        .param("channelId")
        .load("channel", rpc + "GetChannel", "{\"channelId\": \"${params.channelId}\"}", "")
        // Who is in it (Join or Leave, who may add members) and whom the project has to add; a direct
        // conversation's title is its other members' names.
        .load("channelMembers", rpc + "ListMembers", "{\"channelId\": \"${params.channelId}\"}", "members")
        .load("members", MEMBERS, "{}", "members")
        // Messages and authors are loaded by the page's Hearth.Timeline, which pages and applies events itself.
        // Other events change the data in place: the channel's own update replaces it, members join
        // (loaded again: the event has only the id) and leave; other channels, typing and presence do not.
        .live("channel", Live.update("channel.updated").when("id", "${params.channelId}"),
            Live.update("channel.archived").when("id", "${params.channelId}"), Live.keep("*"))
        .live("channelMembers", Live.reload("member.joined"), Live.remove("member.left").key("userId"), Live.keep("*"))
        .live("members", Live.keep("*"))
        .topic("chat/channel/${params.channelId}")
        // Presence events, which the page's Hearth.Members applies to its list.
        .topic("chat/project/${project}"));
    context.pages().page("thread", "chat.page.thread", "pages/thread.json", PageData.of()
        .param("channelId").param("rootId")
        .load("replies", rpc + "ListMessages",
            "{\"channelId\": \"${params.channelId}\", \"threadRootId\": \"${params.rootId}\"}", "messages")
        .load("members", MEMBERS, "{}", "members")
        // The thread's messages go in by id (a deletion is an update to a tombstone); the channel's others change nothing.
        .live("replies", Live.upsert("message.*").when("threadRootId", "${params.rootId}"), Live.keep("*"))
        .live("members", Live.keep("*"))
        .topic("chat/channel/${params.channelId}"));
    context.pages().strings("i18n/chat", "fr", "ru");
    return Future.succeededFuture();
  }
}
