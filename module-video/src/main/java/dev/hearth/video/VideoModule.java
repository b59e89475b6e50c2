package dev.hearth.video;

import dev.hearth.module.ModuleContext;
import dev.hearth.module.ui.PageData;
import dev.hearth.module.ui.PageData.Live;
import io.vertx.core.Future;
import org.pf4j.Extension;

/**
 * The video module: rooms in a project, who is in them with what media state, moderation, and the
 * WebRTC signaling relay between a room's participants (mesh), or SFU access tokens when an SFU is
 * configured. Its data is in its own encrypted store (layout in {@link VideoStore}); its API is
 * {@code hearth.video.v1.VideoService}; docs/video.md has the RPCs, topics, config and limits.
 */
@Extension
public class VideoModule implements dev.hearth.module.Module {

  static final String ID = "video";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public Future<Void> start(ModuleContext context) {
    VideoConfig config;
    try {
      config = VideoConfig.from(context.config());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    VideoStore db = new VideoStore(context.store());
    Rooms rooms = new Rooms(db, context.authorization(), config);
    Participants participants = new Participants(db, rooms, config);
    context.serve(VideoService.binding(rooms, participants, new Signaling(db, rooms, context.realtime(), config.maxSignalsPer10s())));
    context.realtime().topics(new VideoTopics(db, context.authorization()));
    new Presence(context.vertx(), context.realtime(), participants, config.presenceGraceSeconds()).start();
    String rpc = "hearth.video.v1.VideoService/";
    context.pages().page("lobby", "video.page.lobby", "pages/lobby.json", PageData.of()
        .load("rooms", rpc + "ListRooms", "{}", "rooms")
        // A changed room is merged into the list by id, a closed one leaves it; a new room and someone
        // joining or leaving need the count the node keeps, so the list is loaded again (docs/web.md, "Live").
        .live("rooms", Live.update("room.updated"), Live.remove("room.closed"), Live.reload("room.created"),
            Live.reload("participant.*"))
        .topic("video/rooms/${project}"));
    context.pages().page("room", "video.page.room", "pages/room.json", PageData.of()
        .param("roomId")
        .load("room", rpc + "GetRoom", "{\"roomId\": \"${params.roomId}\"}", "")
        .topic("video/room/${params.roomId}"));
    context.pages().strings("i18n/video", "ru");
    return Future.succeededFuture();
  }
}
