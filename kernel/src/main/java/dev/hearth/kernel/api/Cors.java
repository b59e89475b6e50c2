package dev.hearth.kernel.api;

import dev.hearth.kernel.config.CorsOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Set;

/**
 * CORS for every request on the node's port (REST and gRPC-Web alike), for the origins of the
 * config's {@code cors.allowedOrigins}. Written out rather than vertx-web's {@code CorsHandler}
 * because gRPC-Web never passes the router, and because a request from an origin not on the list
 * must go on untouched (the web shell's own same-origin requests carry an {@code Origin} too): the
 * browser, not the node, refuses the answer when it has no {@code Access-Control-Allow-Origin}.
 * Tokens travel in {@code Authorization}, never in cookies, so credentials are never allowed.
 */
final class Cors {

  private static final String METHODS = "GET, POST, PUT, PATCH, DELETE";
  private static final String HEADERS = "authorization, content-type, accept-language, x-hearth-project, "
      + "x-grpc-web, x-user-agent, grpc-timeout";
  private static final String EXPOSED = "grpc-status, grpc-message, grpc-status-details-bin, retry-after, "
      + "content-disposition, content-range, allow";

  private final Set<String> origins;
  private final boolean any;

  Cors(CorsOptions options) {
    this.origins = Set.copyOf(options.allowedOrigins());
    this.any = origins.contains("*");
  }

  /** Adds the CORS headers an allowed origin gets; true when this answered the request (a preflight). */
  boolean handle(HttpServerRequest request) {
    if (origins.isEmpty()) return false;
    String origin = request.getHeader("origin");
    if (origin == null || !(any || origins.contains(origin))) return false;
    HttpServerResponse response = request.response();
    response.putHeader("Access-Control-Allow-Origin", any ? "*" : origin);
    if (!any) response.putHeader("Vary", "Origin");
    if (request.method() == HttpMethod.OPTIONS && request.getHeader("access-control-request-method") != null) {
      response.putHeader("Access-Control-Allow-Methods", METHODS)
          .putHeader("Access-Control-Allow-Headers", HEADERS)
          .putHeader("Access-Control-Max-Age", "600")
          .setStatusCode(204)
          .end();
      return true;
    }
    response.putHeader("Access-Control-Expose-Headers", EXPOSED);
    return false;
  }
}
