package dev.hearth.kernel.errors;

import dev.hearth.module.ModuleException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses: a JSON body {@code {code, message, details}}, a status
 * derived from {@link ModuleException.Code}, and never a stack trace. Unexpected exceptions are
 * logged with their trace here and reach the client as a bare {@code INTERNAL}.
 */
public final class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private ApiErrors() {}

  /** Installs the failure handler and the handlers for requests no route matched. */
  public static void install(Router router) {
    router.route().failureHandler(ApiErrors::handleFailure);
    router.errorHandler(404, ctx -> {
      if (!notAllowed(router, ctx)) {
        write(ctx, 404, "NOT_FOUND", "no route for " + ctx.request().method() + " " + ctx.request().path());
      }
    });
    router.errorHandler(405, ctx -> {
      if (!notAllowed(router, ctx)) {
        write(ctx, 405, "METHOD_NOT_ALLOWED", ctx.request().method() + " is not allowed on " + ctx.request().path());
      }
    });
    router.errorHandler(500, ApiErrors::handleFailure);
  }

  /**
   * Answers 405 with {@code Allow} when the path is one the router knows for other methods (a route
   * such as {@code /v1/projects/:project_id/channels}, matched segment by segment; prefix routes do not count).
   */
  private static boolean notAllowed(Router router, RoutingContext ctx) {
    Set<String> allowed = new TreeSet<>();
    String[] path = ctx.request().path().split("/", -1);
    for (Route r : router.getRoutes()) {
      Set<HttpMethod> methods = r.methods();
      String template = r.getPath();
      if (methods == null || methods.isEmpty() || template == null) continue;
      if (matches(template.split("/", -1), path)) methods.forEach(m -> allowed.add(m.name()));
    }
    if (allowed.isEmpty() || allowed.contains(ctx.request().method().name())) return false;
    String allow = String.join(", ", allowed);
    ctx.response().putHeader("Allow", allow);
    write(ctx, 405, "METHOD_NOT_ALLOWED", ctx.request().method() + " is not allowed on " + ctx.request().path()
        + "; allowed: " + allow, new JsonObject().put("allow", allow));
    return true;
  }

  private static boolean matches(String[] template, String[] path) {
    if (template.length != path.length) return false;
    for (int i = 0; i < template.length; i++) {
      boolean variable = template[i].startsWith(":") && !path[i].isEmpty();
      if (!variable && !template[i].equals(path[i])) return false;
    }
    return true;
  }

  /** HTTP status for a module error code; mirrors the usual gRPC-to-HTTP mapping. */
  public static int status(ModuleException.Code code) {
    switch (code) {
      case INVALID_ARGUMENT: return 400;
      case UNAUTHENTICATED: return 401;
      case PERMISSION_DENIED: return 403;
      case NOT_FOUND: return 404;
      case ALREADY_EXISTS: return 409;
      case FAILED_PRECONDITION: return 412;
      case RESOURCE_EXHAUSTED: return 429;
      case UNAVAILABLE: return 503;
      case UNIMPLEMENTED: return 501;
      default: return 500; // DATA_LOSS, INTERNAL
    }
  }

  private static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (ctx.response().ended() || ctx.response().closed()) {
      // Already answered (a body whose framing broke is answered 400 by ConnectionLimits) or the client
      // left: nothing more can reach it, and a client's broken request is no server error.
      log.debug("{} {} failed after its answer: {}", ctx.request().method(), ctx.request().path(), String.valueOf(failure));
      return;
    }
    if (failure instanceof ModuleException) {
      ModuleException e = (ModuleException) failure;
      if (status(e.code()) >= 500) {
        log.error("{} {} failed: {}", ctx.request().method(), ctx.request().path(), e.getMessage(), e);
      } else if (log.isDebugEnabled()) {
        log.debug("refused {} {}: {}", ctx.request().method(), shorten(ctx.request().path()), shorten(e.getMessage()));
      }
      write(ctx, status(e.code()), e);
    } else if (failure instanceof HttpException) {
      HttpException e = (HttpException) failure;
      String payload = e.getPayload();
      write(ctx, e.getStatusCode(), codeFor(e.getStatusCode()),
          payload != null ? payload : HttpResponseStatus.valueOf(e.getStatusCode()).reasonPhrase());
    } else if (failure == null && ctx.statusCode() > 0 && ctx.statusCode() < 500) {
      write(ctx, ctx.statusCode(), codeFor(ctx.statusCode()), HttpResponseStatus.valueOf(ctx.statusCode()).reasonPhrase());
    } else {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      write(ctx, 500, "INTERNAL", "internal error; details are in the node's log");
    }
  }

  private static String shorten(String s) {
    return s == null || s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }

  private static String codeFor(int status) {
    switch (status) {
      case 400: return "INVALID_ARGUMENT";
      case 401: return "UNAUTHENTICATED";
      case 403: return "PERMISSION_DENIED";
      case 404: return "NOT_FOUND";
      case 405: return "METHOD_NOT_ALLOWED";
      case 413: case 429: return "RESOURCE_EXHAUSTED";
      case 503: return "UNAVAILABLE";
      default: return status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
    }
  }

  /**
   * Writes a module error with its details: a field named by its proto name ({@code avatar_project_id})
   * is given to REST clients in lowerCamel as their bodies are ({@code details.field}, and the message's
   * prefix), with the proto name in {@code details.protoField}.
   */
  public static void write(RoutingContext ctx, int status, ModuleException e) {
    JsonObject details = new JsonObject();
    e.details().forEach(details::put);
    String message = e.getMessage();
    String field = e.details().get("field");
    if (field != null && !e.details().containsKey("protoField")) {
      String camel = lowerCamel(field);
      details.put("field", camel).put("protoField", field);
      if (message.startsWith(field + ":")) message = camel + message.substring(field.length());
    }
    write(ctx, status, e.code().name(), message, details);
  }

  /**
   * {@code questions[2].option_ids} as {@code questions[2].optionIds}: protobuf's JSON names, segment by
   * segment. A segment that cannot be a proto field name (one that does not start with a letter, such as
   * a client's unknown key {@code __proto__}) is left as the client wrote it: turned into
   * {@code Proto} it named something the client never sent (found by {@code FuzzRunIT}: {@code a.a.Proto}).
   * A key quoted as a JSON string ({@code ["a_b.c"]}) is left whole.
   */
  public static String lowerCamel(String protoPath) {
    StringBuilder out = new StringBuilder(protoPath.length());
    boolean upper = false;
    boolean convert = true;
    for (int i = 0; i < protoPath.length(); i++) {
      char c = protoPath.charAt(i);
      if (c == '[' && i + 1 < protoPath.length() && protoPath.charAt(i + 1) == '"') {
        // A client's key quoted as a JSON string (["a@b.c"]): as sent, up to its closing quote.
        int end = i + 2;
        while (end < protoPath.length() && protoPath.charAt(end) != '"') end += protoPath.charAt(end) == '\\' ? 2 : 1;
        end = Math.min(protoPath.length(), end + 2); // the quote and the bracket
        out.append(protoPath, i, end);
        i = end - 1;
        upper = false;
        continue;
      }
      if (i == 0 || protoPath.charAt(i - 1) == '.') {
        convert = c < 128 && Character.isLetter(c);
        upper = false;
      }
      if (c == '_' && convert) {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** Writes an error body unless a response was already started (then only the log has it). */
  public static void write(RoutingContext ctx, int status, String code, String message) {
    write(ctx, status, code, message, new JsonObject());
  }

  /** Writes {@code {code, message, details}}; details name the field at fault, a retry delay, ... */
  public static void write(RoutingContext ctx, int status, String code, String message, JsonObject details) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("code", code).put("message", message).put("details", details).encode());
  }
}
