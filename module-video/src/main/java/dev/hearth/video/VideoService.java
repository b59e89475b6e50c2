package dev.hearth.video;

import dev.hearth.module.api.ServiceBinding;
import dev.hearth.video.v1.CreateRoomRequest;
import dev.hearth.video.v1.JoinRoomRequest;
import dev.hearth.video.v1.ListRoomsRequest;
import dev.hearth.video.v1.ParticipantRef;
import dev.hearth.video.v1.RoomRef;
import dev.hearth.video.v1.SetMediaStateRequest;
import dev.hearth.video.v1.SignalRequest;
import dev.hearth.video.v1.VideoProto;

/** Binds every method of {@code hearth.video.v1.VideoService} to the class that implements it. */
final class VideoService {

  private VideoService() {}

  static ServiceBinding binding(Rooms rooms, Participants participants, Signaling signaling) {
    return ServiceBinding.of(VideoProto.getDescriptor().findServiceByName("VideoService"))
        .unary("CreateRoom", CreateRoomRequest.getDefaultInstance(), rooms::create)
        .unary("ListRooms", ListRoomsRequest.getDefaultInstance(), rooms::list)
        .unary("GetRoom", RoomRef.getDefaultInstance(), rooms::get)
        .unary("CloseRoom", RoomRef.getDefaultInstance(), rooms::close)
        .unary("JoinRoom", JoinRoomRequest.getDefaultInstance(), participants::join)
        .unary("LeaveRoom", RoomRef.getDefaultInstance(), participants::leave)
        .unary("SetMediaState", SetMediaStateRequest.getDefaultInstance(), participants::setMedia)
        .unary("MuteParticipant", ParticipantRef.getDefaultInstance(), participants::mute)
        .unary("RemoveParticipant", ParticipantRef.getDefaultInstance(), participants::remove)
        .unary("Signal", SignalRequest.getDefaultInstance(), signaling::signal)
        .build();
  }
}
