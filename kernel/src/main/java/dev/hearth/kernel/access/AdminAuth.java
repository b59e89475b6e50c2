package dev.hearth.kernel.access;

import dev.hearth.kernel.errors.ApiErrors;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Guards {@code /admin/*} with the node's local admin token ({@code <data>/run/admin.token}) until
 * the identity issue brings real accounts. Whoever can read that file (owner-only) is the admin.
 */
public final class AdminAuth implements Handler<RoutingContext> {

  private static final String PREFIX = "Bearer ";

  private final byte[] token;

  public AdminAuth(String token) {
    this.token = Objects.requireNonNull(token, "token").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      byte[] given = header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
      // Constant time, so response timing does not reveal how much of a guessed token was right.
      if (MessageDigest.isEqual(token, given)) {
        ctx.next();
        return;
      }
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"hearth-admin\"");
    ApiErrors.write(ctx, 401, "UNAUTHENTICATED",
        "admin endpoints need 'Authorization: Bearer <token>' with the token from <data>/run/admin.token");
  }
}
