package dev.hearth.kernel.backup;

import dev.hearth.kernel.plugins.ModuleHost;
import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.ModuleException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/v1/backups} and {@code /admin/v1/restore}, behind the local admin token: backups
 * taken by the running node (it knows each store's durable sequence), and restoring one module's
 * store while the rest of the node keeps serving. Whole-node restores and verification need no
 * node and run in the CLI.
 */
public final class BackupRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(BackupRoutes.class);

  private final Vertx vertx;
  private final Stores stores;
  private final ModuleHost modules;
  private final AtomicBoolean running;

  private BackupRoutes(Vertx vertx, Stores stores, ModuleHost modules, AtomicBoolean running) {
    this.vertx = vertx;
    this.stores = stores;
    this.modules = modules;
    this.running = running;
  }

  public static void mount(Router router, Vertx vertx, Stores stores, ModuleHost modules, AtomicBoolean running) {
    BackupRoutes r = new BackupRoutes(vertx, stores, modules, running);
    router.post("/admin/v1/backups").handler(BodyHandler.create(false).setBodyLimit(16 * 1024));
    router.post("/admin/v1/backups").handler(r::take);
    router.get("/admin/v1/backups").handler(r::list);
    router.post("/admin/v1/restore").handler(BodyHandler.create(false).setBodyLimit(16 * 1024));
    router.post("/admin/v1/restore").handler(r::restore);
  }

  /** A store's durable sequence when it is open, else -1 (its log is read to its last frame). */
  public static ToLongFunction<String> durable(Stores stores) {
    return name -> stores.opened().stream().filter(s -> s.name().equals(name)).findFirst()
        .map(HearthStore::lastSequence).orElse(-1L);
  }

  private void take(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String target = string(body, "target", true);
    boolean full = Boolean.TRUE.equals(body.getValue("full"));
    Object keep = body.getValue("keep");
    if (keep != null && (!(keep instanceof Integer k) || k < 1)) {
      throw ModuleException.invalidArgument("'keep' must be a whole number of at least 1");
    }
    if (!running.compareAndSet(false, true)) {
      throw ModuleException.failedPrecondition("a backup is already running on this node");
    }
    vertx.executeBlocking(() -> {
          try (BackupTarget t = BackupTargets.open(target)) {
            Manifest m = BackupWriter.of(stores, step -> LOG.info("backup: {}", step))
                .take(t, full);
            JsonObject out = m.toJson();
            if (keep != null) out.put("removed", new JsonArray(Chain.retain(t, (Integer) keep)));
            return out;
          } finally {
            running.set(false);
          }
        }, false)
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    String target = ctx.queryParams().get("target");
    if (target == null || target.isBlank()) throw ModuleException.invalidArgument("query parameter 'target' is required");
    vertx.executeBlocking(() -> BackupList.of(BackupTargets.open(target)), false).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private void restore(RoutingContext ctx) {
    JsonObject body = body(ctx);
    String target = string(body, "target", true);
    String store = string(body, "store", true);
    Object seq = body.getValue("toSequence", 0);
    if (!(seq instanceof Number n) || n.longValue() < 0) throw ModuleException.invalidArgument("'toSequence' must be a positive number");
    Instant toTime = null;
    String time = string(body, "toTime", false);
    if (time != null) {
      try {
        toTime = Instant.parse(time);
      } catch (DateTimeParseException e) {
        throw ModuleException.invalidArgument("'toTime' must be an ISO-8601 instant such as 2026-11-21T10:15:30Z");
      }
    }
    RestorePlan plan = new RestorePlan(string(body, "backup", false), store, ((Number) seq).longValue(), toTime);
    modules.withStoreClosed(store, () -> {
          try (BackupTarget t = BackupTargets.open(target)) {
            JsonObject out = new Restorer(t, stores.dataDir(), stores::masterKey, step -> LOG.info("restore: {}", step))
                .restore(plan);
            LOG.info("store {} restored from backup {}", store, out.getString("backup"));
            return out;
          }
        })
        .onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject b = ctx.body().asJsonObject();
      if (b != null) return b;
    } catch (RuntimeException e) {
      // fall through to the message below
    }
    throw ModuleException.invalidArgument("body must be a JSON object");
  }

  private static String string(JsonObject body, String key, boolean required) {
    Object v = body.getValue(key);
    if (v == null && !required) return null;
    if (!(v instanceof String s) || s.isBlank()) {
      throw ModuleException.invalidArgument("'" + key + "' must be a non-empty string");
    }
    return s;
  }
}
