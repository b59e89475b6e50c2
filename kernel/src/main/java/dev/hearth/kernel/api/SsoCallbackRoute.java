package dev.hearth.kernel.api;

import dev.hearth.kernel.config.SsoOptions;
import dev.hearth.kernel.identity.Identity;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Where OpenID Connect providers send the browser back ({@code <publicUrl>/v1/auth/sso/callback}):
 * the node checks the answer and sends the browser on to where the sign-in started, with the flow id
 * the shell or the CLI completes with CompleteSso. Not an RPC: a browser arrives here by a redirect.
 */
public final class SsoCallbackRoute {

  private SsoCallbackRoute() {}

  public static void mount(Router router, Identity identity) {
    router.get(SsoOptions.CALLBACK_PATH).handler(ctx -> answer(ctx, identity));
  }

  private static void answer(RoutingContext ctx, Identity identity) {
    identity.ssoCallback(ctx.queryParams().get("state"), ctx.queryParams().get("code"),
        ctx.queryParams().get("error"), ctx.queryParams().get("error_description")).onComplete(ar -> {
          ctx.response().putHeader("cache-control", "no-store").putHeader("referrer-policy", "no-referrer");
          if (ar.succeeded()) {
            ctx.response().setStatusCode(303).putHeader("location", ar.result()).end();
          } else {
            ctx.response().setStatusCode(400).putHeader("content-type", "text/plain; charset=utf-8")
                .end("Sign-in failed: " + ar.cause().getMessage() + "\n");
          }
        });
  }
}
