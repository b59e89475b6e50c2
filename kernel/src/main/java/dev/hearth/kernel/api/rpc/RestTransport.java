package dev.hearth.kernel.api.rpc;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.hearth.kernel.access.RequestLimits;
import dev.hearth.kernel.errors.ApiErrors;
import dev.hearth.kernel.json.JsonIntake;
import dev.hearth.kernel.json.ProtoJson;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.RpcMethod;
import dev.hearth.module.api.ServiceBinding;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the registry's methods as REST/JSON from their {@code google.api.http} rules: path
 * variables and query parameters fill request fields, a {@code body: "*"} rule takes the JSON body
 * (read by {@link JsonIntake}, strict RFC 8259, then {@link ProtoJson}: the proto3 JSON mapping, field
 * names in lowerCamelCase or as in the proto, unknown fields ignored). A body or query value that
 * contradicts a path variable is refused. Field errors name the field in lowerCamel
 * ({@code details.field}) and by its proto name ({@code details.protoField}). Answers are the response
 * message as JSON with every field present; errors are {@code {code, message, details}} with the
 * matching HTTP status and, for rate limits, a {@code Retry-After} header. A body over the method's
 * {@link RequestLimits limit} is refused with 413 before it is read in full.
 */
public final class RestTransport {

  private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");
  private static final Logger log = LoggerFactory.getLogger(RestTransport.class);
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().alwaysPrintFieldsWithNoPresence();

  /**
   * Route order of the standard body handler on {@code /v1/*}: before the router's catch-all failure
   * handler, so that its 413 names the limit. Upload methods' own body handlers come before it.
   */
  public static final int BODY_ORDER = -1;
  private static final int UPLOAD_BODY_ORDER = BODY_ORDER - 1;
  /** Route order of the checks made from headers alone ({@link HeaderGate}): before any body handler. */
  private static final int HEADER_ORDER = UPLOAD_BODY_ORDER - 1;

  /** Where the header gate leaves the method it found, for the route that serves it. */
  private static final String MATCH = "hearth.restMatch";

  private final Router router;
  private final Dispatcher dispatcher;
  private final RequestLimits limits;
  private final RestPaths paths = new RestPaths();

  /**
   * Mounts the two routes that find and serve every method added later ({@link RestPaths}): the
   * header gate before the body handlers and the serving route after them, where each method's own
   * route used to be. The methods' own routes stay on the router behind the serving route, which
   * answers every request they would: they are what the router's 405 (with {@code Allow}) reads.
   *
   * @param router a router whose API paths already have a body handler with the standard size limit
   */
  public RestTransport(Router router, Dispatcher dispatcher, RequestLimits limits) {
    this.router = router;
    this.dispatcher = dispatcher;
    this.limits = limits;
    router.route("/v1/*").order(HEADER_ORDER).handler(this::gate);
    router.route("/v1/*").handler(this::serveMatched);
  }

  private final Map<String, List<Route>> routes = new ConcurrentHashMap<>();
  /** The {@link HeaderGate} routes of methods the router serves (uploads), by the method's full name. */
  private final Map<String, Route> headerGates = new ConcurrentHashMap<>();

  public void add(ServiceBinding binding) {
    List<Route> added = new ArrayList<>();
    for (RpcMethod m : binding.methods()) {
      httpRule(m).ifPresent(rule -> added.add(route(m, rule)));
    }
    routes.put(binding.descriptor().getFullName(), added);
  }

  /**
   * Mounts {@code POST /v1/rpc/{package.Service}/{Method}}: every served unary method by name, with
   * the request as proto JSON in the body, for clients that know methods by name rather than by path
   * (the web shell: a page names the RPCs it loads). A request whose {@code project_id} field is
   * empty gets the value of the {@code X-Hearth-Project} header, so a page need not repeat it.
   */
  public void mountByName(RpcRegistry registry) {
    router.post("/v1/rpc/:service/:method").order(HEADER_ORDER).handler(ctx -> HeaderGate.check(ctx,
        registry.method(ctx.pathParam("service") + "/" + ctx.pathParam("method")).orElse(null),
        ctx.pathParams(), dispatcher.guard(), e -> fail(ctx, e)));
    router.post("/v1/rpc/:service/:method").handler(ctx -> {
      String name = ctx.pathParam("service") + "/" + ctx.pathParam("method");
      Optional<RpcMethod> m = registry.method(name);
      if (m.isEmpty()) {
        fail(ctx, ModuleException.notFound("no method " + name + " is served"));
        return;
      }
      Message request;
      try {
        Message.Builder builder = m.get().requestPrototype().newBuilderForType();
        parseBody(ctx, builder);
        String project = ctx.request().getHeader("x-hearth-project");
        var field = builder.getDescriptorForType().findFieldByName("project_id");
        if (project != null && !project.isEmpty() && field != null && !field.isRepeated()
            && field.getJavaType() == Descriptors.FieldDescriptor.JavaType.STRING
            && ((String) builder.getField(field)).isEmpty()) {
          builder.setField(field, project);
        }
        request = builder.build();
      } catch (ModuleException e) {
        refuse(ctx, unreadable(ctx, m.get(), e));
        return;
      }
      respond(ctx, m.get(), request);
    });
  }

  /** Removes the routes of service {@code fullName}; its paths answer 404 from then on. */
  public void remove(String fullName) {
    paths.removeService(fullName);
    List<Route> gone = routes.remove(fullName);
    if (gone != null) gone.forEach(Route::remove);
    headerGates.entrySet().removeIf(e -> {
      boolean of = e.getKey().startsWith(fullName + "/");
      if (of) e.getValue().remove();
      return of;
    });
  }

  /** The method's {@code google.api.http} rule, when it has one. */
  static Optional<HttpRule> httpRule(RpcMethod m) {
    var options = m.descriptor().getOptions();
    return options.hasExtension(AnnotationsProto.http)
        ? Optional.of(options.getExtension(AnnotationsProto.http))
        : Optional.empty();
  }

  private Route route(RpcMethod m, HttpRule rule) {
    HttpMethod verb;
    String template;
    switch (rule.getPatternCase()) {
      case GET -> { verb = HttpMethod.GET; template = rule.getGet(); }
      case POST -> { verb = HttpMethod.POST; template = rule.getPost(); }
      case PUT -> { verb = HttpMethod.PUT; template = rule.getPut(); }
      case PATCH -> { verb = HttpMethod.PATCH; template = rule.getPatch(); }
      case DELETE -> { verb = HttpMethod.DELETE; template = rule.getDelete(); }
      default -> throw new IllegalStateException(m.fullName() + ": unsupported HTTP rule " + rule.getPatternCase());
    }
    Matcher v = VARIABLE.matcher(template);
    String path = v.replaceAll(":$1");
    if (!RestPaths.plain(path)) {
      throw new IllegalStateException(m.fullName() + ": unsupported HTTP path " + template
          + " (segments must be literals or whole {variables})");
    }
    boolean body = rule.getBody().equals("*");
    RequestLimits.Limit limit = limits.of(m);
    boolean upload = body && !limit.equals(limits.standard());
    paths.add(verb, path, m, body, upload);
    Route route = router.route(verb, path);
    if (upload) {
      headerGates.computeIfAbsent(m.fullName(), n -> router.route(verb, path).order(HEADER_ORDER)
          .handler(ctx -> HeaderGate.check(ctx, m, ctx.pathParams(), dispatcher.guard(), e -> fail(ctx, e))));
      // A body is read by the first body handler only: this one comes before the standard one on /v1/*.
      long json = limits.restBodyBytes(m);
      RequestLimits.Limit asJson = new RequestLimits.Limit(json,
          limit.setting() + " = " + limit.bytes() + " bytes, as base64 in JSON");
      route.order(UPLOAD_BODY_ORDER).handler(BodyHandler.create(false).setBodyLimit(json)).failureHandler(ctx -> tooLarge(ctx, asJson));
    }
    return route.handler(ctx -> serve(ctx, m, body));
  }

  /** The failure handler of a body handler: a body over the limit is answered 413, naming the limit. */
  public static void tooLarge(RoutingContext ctx, RequestLimits.Limit limit) {
    if (ctx.failure() == null && ctx.statusCode() == 413) fail(ctx, RequestLimits.tooLarge("the request body", limit));
    else ctx.next();
  }

  /** The header gate of the method the request names, if {@link RestPaths} serves it. */
  private void gate(RoutingContext ctx) {
    RestPaths.Match match = paths.match(ctx.request().method(), ctx.normalizedPath());
    if (match == null || match.method() == null) {
      ctx.next();
      return;
    }
    ctx.put(MATCH, match);
    HeaderGate.check(ctx, match.method(), match.params(), dispatcher.guard(), e -> fail(ctx, e));
  }

  /** Serves the method the gate found, with its path variables where the router would have put them. */
  private void serveMatched(RoutingContext ctx) {
    RestPaths.Match match = ctx.get(MATCH);
    if (match == null) {
      ctx.next();
      return;
    }
    ctx.pathParams().remove("*"); // left by the /v1/* routes; a method's own route removed it too
    for (Map.Entry<String, String> p : match.params().entrySet()) {
      if (!ctx.request().params().contains(p.getKey())) ctx.request().params().add(p.getKey(), p.getValue());
      ctx.pathParams().put(p.getKey(), p.getValue());
    }
    serve(ctx, match.method(), match.body());
  }

  private void serve(RoutingContext ctx, RpcMethod m, boolean takesBody) {
    Message request;
    try {
      request = request(ctx, m, takesBody);
    } catch (ModuleException e) {
      refuse(ctx, unreadable(ctx, m, e));
      return;
    }
    respond(ctx, m, request);
  }

  /**
   * A request that could not be read still counts where the guard counts attempts (a method anyone may
   * call: an attempt from its address); over that limit the answer is the limit's (429), not the 400.
   */
  private ModuleException unreadable(RoutingContext ctx, RpcMethod m, ModuleException why) {
    if (why.code() != ModuleException.Code.INVALID_ARGUMENT) return why;
    try {
      dispatcher.guard().unreadable(m, clientAddress(ctx));
      return why;
    } catch (ModuleException limited) {
      return limited;
    }
  }

  private static String clientAddress(RoutingContext ctx) {
    return ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
  }

  private void respond(RoutingContext ctx, RpcMethod m, Message request) {
    String client = clientAddress(ctx);
    dispatcher.dispatch(Transport.REST, m, request, ctx.request().getHeader("authorization"), client,
            ctx.request().getHeader("accept-language"))
        .onSuccess(response -> {
          try {
            ctx.response().putHeader("content-type", "application/json").end(PRINTER.print(response));
          } catch (InvalidProtocolBufferException e) {
            fail(ctx, Dispatcher.normalize(m, e));
          }
        })
        .onFailure(err -> fail(ctx, Dispatcher.normalize(m, err)));
  }

  private static Message request(RoutingContext ctx, RpcMethod m, boolean takesBody) {
    Message.Builder builder = m.requestPrototype().newBuilderForType();
    if (takesBody) parseBody(ctx, builder);
    if (!takesBody) {
      List<String> unknown = new ArrayList<>();
      for (Map.Entry<String, String> q : ctx.queryParams()) {
        if (!Fields.query(builder, q.getKey(), q.getValue())) unknown.add(q.getKey());
      }
      ignored(ctx, "query parameters", unknown);
    }
    for (Map.Entry<String, String> p : ctx.pathParams().entrySet()) {
      Fields.path(builder, p.getKey(), p.getValue());
    }
    return builder.build();
  }

  /** The body through the one JSON door: strict RFC 8259, unknown fields left out and logged at DEBUG. */
  private static void parseBody(RoutingContext ctx, Message.Builder builder) {
    // No body at all (buffer null, e.g. an empty POST): nothing to merge, as for an empty one.
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() <= 0) return;
    JsonObject json = JsonIntake.object(ctx.body().buffer().getBytes(), "request body");
    ignored(ctx, "fields", ProtoJson.merge(json, builder));
  }

  private static void ignored(RoutingContext ctx, String what, List<String> names) {
    if (names.isEmpty() || !log.isDebugEnabled()) return;
    String shown = names.stream().limit(10).map(n -> n.length() > 64 ? n.substring(0, 61) + "..." : n)
        .collect(Collectors.joining(", "));
    log.debug("{} {}: ignored unknown {} {}{}", ctx.request().method(), ctx.request().path(), what, shown,
        names.size() > 10 ? " and " + (names.size() - 10) + " more" : "");
  }

  /** A request refused before it reached the dispatcher (which logs its own calls): one DEBUG line. */
  private static void refuse(RoutingContext ctx, ModuleException e) {
    if (log.isDebugEnabled()) {
      String why = e.getMessage().length() > 200 ? e.getMessage().substring(0, 197) + "..." : e.getMessage();
      String path = ctx.request().path();
      if (path.length() > 100) path = path.substring(0, 97) + "...";
      log.debug("refused {} {}: {} {}", ctx.request().method(), path, e.code(), why);
    }
    fail(ctx, e);
  }

  private static void fail(RoutingContext ctx, ModuleException e) {
    String retry = e.details().get("retryAfterSeconds");
    if (retry != null) ctx.response().putHeader("Retry-After", retry);
    // Too large is 413 rather than the 429 of other RESOURCE_EXHAUSTED errors (rate limits).
    int status = e.details().containsKey("maxBytes") ? 413 : ApiErrors.status(e.code());
    ApiErrors.write(ctx, status, e);
  }

}
