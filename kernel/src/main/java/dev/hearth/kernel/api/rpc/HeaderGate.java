package dev.hearth.kernel.api.rpc;

import com.google.protobuf.Message;
import dev.hearth.kernel.access.CallGuard;
import dev.hearth.kernel.errors.ApiErrors;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A REST call's checks that need only its headers, run before the body handler reads a byte of the
 * body: a body that is not JSON is refused with 415 (rather than parsed as a form, as Vert.x would),
 * and a caller the guard will refuse anyway is refused here ({@link CallGuard#screen}), so an
 * anonymous 64 MiB upload costs the node its headers, not 64 MiB of heap.
 */
final class HeaderGate {

  private static final Logger log = LoggerFactory.getLogger(HeaderGate.class);

  private static final String SCREENED = "hearth.headersChecked";

  private HeaderGate() {}

  /**
   * @param method the call's method, or {@code null} when it is unknown (then only the content type is checked)
   * @param pathParams the path's variables, as the route that found the method read them
   * @param fail how a refusal is answered
   */
  static void check(RoutingContext ctx, RpcMethod method, Map<String, String> pathParams, CallGuard guard,
      Consumer<ModuleException> fail) {
    HttpServerRequest request = ctx.request();
    // Paths can overlap (a literal segment and a variable): the first gate that matches is the one of
    // the method the router will serve, as methods are matched in the order of their routes.
    if (ctx.get(SCREENED) != null || !hasBody(request)) {
      ctx.next();
      return;
    }
    String type = request.getHeader("content-type");
    if (type != null && !isJson(type)) {
      log.debug("refused {} {}: content type {}", request.method(), request.path(), type);
      ApiErrors.write(ctx, 415, ModuleException.Code.INVALID_ARGUMENT.name(), "the request body must be JSON "
          + "(Content-Type: application/json), not " + type.split(";", 2)[0].trim(),
          new JsonObject().put("field", "Content-Type"));
      return;
    }
    ctx.put(SCREENED, Boolean.TRUE);
    if (method != null) {
      try {
        guard.screen(method, pathOnly(pathParams, method), request.getHeader("authorization"));
      } catch (ModuleException e) {
        log.debug("refused {} {} from its headers: {}", request.method(), request.path(), e.code());
        fail.accept(e);
        return;
      }
    }
    ctx.next();
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader("content-length");
    return request.getHeader("transfer-encoding") != null || (length != null && !length.trim().equals("0"));
  }

  /** {@code application/json} or any {@code +json} type, with or without parameters (charset). */
  static boolean isJson(String contentType) {
    String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return base.equals("application/json") || (base.startsWith("application/") && base.endsWith("+json"));
  }

  /** The request as far as the path fills it: enough for a scope named by a path variable. */
  private static Message pathOnly(Map<String, String> pathParams, RpcMethod method) {
    Message.Builder builder = method.requestPrototype().newBuilderForType();
    for (Map.Entry<String, String> p : pathParams.entrySet()) {
      try {
        Fields.path(builder, p.getKey(), p.getValue());
      } catch (RuntimeException e) {
        // A bad path value is the handler's to report, once the body is in.
      }
    }
    return builder.buildPartial();
  }
}
