package dev.hearth.chat;

import dev.hearth.chat.v1.AddMembersRequest;
import dev.hearth.chat.v1.ArchiveChannelRequest;
import dev.hearth.chat.v1.ChatProto;
import dev.hearth.chat.v1.CreateChannelRequest;
import dev.hearth.chat.v1.DeleteMessageRequest;
import dev.hearth.chat.v1.EditMessageRequest;
import dev.hearth.chat.v1.GetChannelRequest;
import dev.hearth.chat.v1.GetMessageRequest;
import dev.hearth.chat.v1.GetPresenceRequest;
import dev.hearth.chat.v1.GetUnreadRequest;
import dev.hearth.chat.v1.JoinChannelRequest;
import dev.hearth.chat.v1.LeaveChannelRequest;
import dev.hearth.chat.v1.ListChannelsRequest;
import dev.hearth.chat.v1.ListMembersRequest;
import dev.hearth.chat.v1.ListMessagesRequest;
import dev.hearth.chat.v1.ListPinsRequest;
import dev.hearth.chat.v1.MarkReadRequest;
import dev.hearth.chat.v1.OpenDirectRequest;
import dev.hearth.chat.v1.PinMessageRequest;
import dev.hearth.chat.v1.PostMessageRequest;
import dev.hearth.chat.v1.ReactRequest;
import dev.hearth.chat.v1.RemoveMemberRequest;
import dev.hearth.chat.v1.SearchMessagesRequest;
import dev.hearth.chat.v1.SetPresenceRequest;
import dev.hearth.chat.v1.SetTypingRequest;
import dev.hearth.chat.v1.UpdateChannelRequest;
import dev.hearth.module.api.ServiceBinding;

/** Binds every method of {@code hearth.chat.v1.ChatService} to the class that implements it. */
final class ChatService {

  private ChatService() {}

  static ServiceBinding binding(Channels channels, Directs directs, Posting posting, MessageEdits edits,
      History history, ReadState reads, Presence presence, Search search) {
    return ServiceBinding.of(ChatProto.getDescriptor().findServiceByName("ChatService"))
        .unary("CreateChannel", CreateChannelRequest.getDefaultInstance(), channels::create)
        .unary("ListChannels", ListChannelsRequest.getDefaultInstance(), channels::list)
        .unary("GetChannel", GetChannelRequest.getDefaultInstance(), channels::get)
        .unary("UpdateChannel", UpdateChannelRequest.getDefaultInstance(), channels::update)
        .unary("ArchiveChannel", ArchiveChannelRequest.getDefaultInstance(), channels::archive)
        .unary("JoinChannel", JoinChannelRequest.getDefaultInstance(), channels::join)
        .unary("LeaveChannel", LeaveChannelRequest.getDefaultInstance(), channels::leave)
        .unary("AddMembers", AddMembersRequest.getDefaultInstance(), channels::addMembers)
        .unary("RemoveMember", RemoveMemberRequest.getDefaultInstance(), channels::removeMember)
        .unary("ListMembers", ListMembersRequest.getDefaultInstance(), channels::members)
        .unary("OpenDirect", OpenDirectRequest.getDefaultInstance(), directs::open)
        .unary("PostMessage", PostMessageRequest.getDefaultInstance(), posting::post)
        .unary("ListMessages", ListMessagesRequest.getDefaultInstance(), history::list)
        .unary("GetMessage", GetMessageRequest.getDefaultInstance(), history::get)
        .unary("EditMessage", EditMessageRequest.getDefaultInstance(), edits::edit)
        .unary("DeleteMessage", DeleteMessageRequest.getDefaultInstance(), edits::delete)
        .unary("React", ReactRequest.getDefaultInstance(), edits::react)
        .unary("PinMessage", PinMessageRequest.getDefaultInstance(), edits::pin)
        .unary("ListPins", ListPinsRequest.getDefaultInstance(), history::pins)
        .unary("MarkRead", MarkReadRequest.getDefaultInstance(), reads::markRead)
        .unary("GetUnread", GetUnreadRequest.getDefaultInstance(), reads::unread)
        .unary("SetTyping", SetTypingRequest.getDefaultInstance(), presence::typing)
        .unary("SetPresence", SetPresenceRequest.getDefaultInstance(), presence::set)
        .unary("GetPresence", GetPresenceRequest.getDefaultInstance(), presence::get)
        .unary("SearchMessages", SearchMessagesRequest.getDefaultInstance(), search::search)
        .build();
  }
}
