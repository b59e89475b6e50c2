package dev.hearth.kernel.realtime;

import dev.hearth.module.realtime.PresenceListener;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.module.realtime.Topics;
import dev.hearth.module.store.Store;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/** The SDK's {@link Realtime} for one running module; {@link RealtimeHub#withdraw} undoes it all. */
final class ModuleRealtime implements Realtime {

  private final RealtimeHub hub;
  private final String moduleId;
  private final Store store;

  ModuleRealtime(RealtimeHub hub, String moduleId, Store store) {
    this.hub = hub;
    this.moduleId = moduleId;
    this.store = store;
  }

  @Override
  public void topics(Topics topics) {
    hub.register(moduleId, store, Objects.requireNonNull(topics, "topics"));
  }

  @Override
  public void publish(String topic, String type, JsonObject data) {
    hub.publish(moduleId, Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(type, "type"),
        Objects.requireNonNull(data, "data"));
  }

  @Override
  public boolean connected(String userId) {
    return hub.isConnected(userId);
  }

  @Override
  public void onPresence(PresenceListener listener) {
    hub.onPresence(moduleId, Objects.requireNonNull(listener, "listener"));
  }
}
