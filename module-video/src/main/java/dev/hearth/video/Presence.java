package dev.hearth.video;

import dev.hearth.module.realtime.Realtime;
import io.vertx.core.Vertx;

/**
 * Takes people out of rooms when their browser is gone: when a user's last realtime connection
 * closes and none came back within the grace period (a reload or a network blip reconnects in
 * about a second), they leave every room they were in. Without this a closed tab would hold a
 * place in a small mesh room until someone removed it by hand. At start, everyone listed who is
 * not connected is taken out: after a node restart that is everyone, since nobody can be connected yet.
 */
final class Presence {

  private final Vertx vertx;
  private final Realtime realtime;
  private final Participants participants;
  private final long graceMillis;

  Presence(Vertx vertx, Realtime realtime, Participants participants, int graceSeconds) {
    this.vertx = vertx;
    this.realtime = realtime;
    this.participants = participants;
    this.graceMillis = graceSeconds * 1000L;
  }

  void start() {
    participants.sweep(realtime::connected);
    realtime.onPresence((userId, connected) -> {
      if (connected) return;
      long gone = VideoStore.nowMicros();
      Runnable check = () -> {
        if (!realtime.connected(userId)) participants.leaveAll(userId, gone);
      };
      if (graceMillis == 0) check.run();
      else vertx.setTimer(graceMillis, id -> check.run());
    });
  }
}
