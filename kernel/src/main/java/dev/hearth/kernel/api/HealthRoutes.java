package dev.hearth.kernel.api;

import dev.hearth.kernel.store.HearthStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;

/**
 * Liveness and readiness, in the shape orchestrators probe: {@code /health} answers as long as the
 * process serves HTTP; {@code /ready} only while the stores are open and the node is not shutting
 * down, so a load balancer drains a node before it stops.
 */
public final class HealthRoutes {

  private HealthRoutes() {}

  /**
   * @param openStores the open stores while the node is ready, {@code null} while it starts or stops
   */
  public static void mount(Router router, Supplier<List<HearthStore>> openStores) {
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router.get("/ready").handler(ctx -> {
      List<HearthStore> stores = openStores.get();
      if (stores == null) {
        ctx.response().setStatusCode(503);
        ctx.json(new JsonObject().put("status", "NOT_READY"));
        return;
      }
      JsonArray list = new JsonArray();
      for (HearthStore store : stores) {
        list.add(new JsonObject().put("name", store.name()).put("lastSequence", store.lastSequence()));
      }
      ctx.json(new JsonObject().put("status", "READY").put("stores", list));
    });
  }
}
