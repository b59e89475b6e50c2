package dev.hearth.kernel.api;

import dev.hearth.kernel.identity.Identity;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /admin/v1/sysadmin}: makes a sys-admin, for {@code hearth admin create-sysadmin};
 * {@code POST /admin/v1/jwt/rotate}: a new access-token signing key now.
 * Mount behind {@link AdminAuth}: only someone who can read the node's run files on this machine
 * can call it, which is how the first sys-admin comes to be without a default password.
 */
public final class SysAdminRoutes {

  private SysAdminRoutes() {}

  public static void mount(Router router, Identity identity) {
    router.post("/admin/v1/sysadmin").handler(BodyHandler.create(false).setBodyLimit(16 * 1024));
    router.post("/admin/v1/sysadmin").handler(ctx -> create(ctx, identity));
    // Makes a new access-token signing key at once (a suspected leak; tests of a cluster's rotation).
    router.post("/admin/v1/jwt/rotate").handler(ctx -> identity.rotateJwtKeys()
        .onSuccess(v -> ctx.json(new JsonObject().put("rotated", true))).onFailure(ctx::fail));
  }

  private static void create(RoutingContext ctx, Identity identity) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw ModuleException.invalidArgument("body must be a JSON object {email, password}");
    }
    if (body == null || !(body.getValue("email") instanceof String) || !(body.getValue("password", "") instanceof String)) {
      throw ModuleException.invalidArgument("body must be a JSON object {email, password} of strings");
    }
    identity.createSysAdmin(body.getString("email"), body.getString("password", ""))
        .onSuccess(created -> ctx.json(new JsonObject().put("email", body.getString("email").trim().toLowerCase())
            .put("created", created).put("sysAdmin", true)))
        .onFailure(ctx::fail);
  }
}
