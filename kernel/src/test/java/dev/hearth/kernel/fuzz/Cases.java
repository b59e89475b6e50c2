package dev.hearth.kernel.fuzz;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.vertx.core.MultiMap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The cases of a fuzz run, one jqwik generator per surface, built from what the node serves
 * ({@link ServedApi}) and the fuzzing owner's tenant: REST requests to every bound method (its verb
 * or another, its path with real ids or junk, JSON bodies from {@link MalformedJson}, content types
 * and credentials of every kind), gRPC calls to every method (bodies from {@link MalformedProto}),
 * realtime messages, and user-module definitions ({@link MalformedDefinitions}).
 */
final class Cases {

  private static final Pattern VARIABLE = Pattern.compile("\\{([a-z_][a-z0-9_]*)}");
  private static final List<String> VERBS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD",
      "TRACE", "PROPFIND");

  /** A REST request, whole (well-delimited), and what the client chose in it (an answer may quote that). */
  record Rest(byte[] request, byte[] sent) {
    boolean head() {
      return request.length >= 5 && request[0] == 'H' && request[1] == 'E' && request[4] == ' ';
    }
  }

  private final ServedApi api;
  private final Fuzzing.Tenant tenant;
  private final MalformedJson json;
  private final MalformedProto proto;

  Cases(ServedApi api, Fuzzing.Tenant tenant) {
    this.api = api;
    this.tenant = tenant;
    this.json = new MalformedJson(tenant);
    this.proto = new MalformedProto(tenant);
  }

  Arbitrary<Rest> rest() {
    return Choice.oneOf(api.rest().stream().map(this::rest).toList());
  }

  private Arbitrary<Rest> rest(ServedApi.Method m) {
    Arbitrary<String> verb = Choice.frequencyOf(Tuple.of(12, Arbitraries.just(m.verb())),
        Tuple.of(1, Arbitraries.of(VERBS)));
    boolean bodied = !m.body().isEmpty();
    Arbitrary<byte[]> body = Choice.frequencyOf(Tuple.of(bodied ? 12 : 1, json.body(bodyType(m))),
        Tuple.of(bodied ? 1 : 12, Arbitraries.just(new byte[0])));
    Arbitrary<String> query = Choice.frequencyOf(Tuple.of(6, Arbitraries.just("")),
        Tuple.of(1, query(m.request())));
    return Combinators.combine(verb, path(m.path()), query, contentType(), authorization(m.destructive()),
        extraHeader(), body).as((v, p, q, type, auth, extra, b) -> {
          StringBuilder head = new StringBuilder(v).append(' ').append(p).append(q).append(" HTTP/1.1\r\n")
              .append("Host: 127.0.0.1\r\n");
          if (!type.isEmpty()) head.append("Content-Type: ").append(type).append("\r\n");
          if (!auth.isEmpty()) head.append("Authorization: ").append(auth).append("\r\n");
          if (!extra.isEmpty()) head.append(extra).append("\r\n");
          head.append("Content-Length: ").append(b.length).append("\r\n\r\n");
          ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + b.length);
          out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
          out.writeBytes(b);
          byte[] chosen = (p + q + "\n").getBytes(StandardCharsets.ISO_8859_1);
          return new Rest(out.toByteArray(), MalformedProto.concat(chosen, b));
        });
  }

  private static Descriptor bodyType(ServedApi.Method m) {
    if (m.body().equals("*") || m.body().isEmpty()) return m.request();
    FieldDescriptor f = m.request().findFieldByName(m.body());
    return f != null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? f.getMessageType() : m.request();
  }

  /** A path from a template: each variable the tenant's id (for org and project), another id, or junk. */
  private Arbitrary<String> path(String template) {
    Matcher v = VARIABLE.matcher(template);
    List<String> names = new ArrayList<>();
    while (v.find()) names.add(v.group(1));
    if (names.isEmpty()) {
      return Choice.frequencyOf(Tuple.of(12, Arbitraries.just(template)),
          Tuple.of(1, Arbitraries.of("/", "x", "/", "//", "/..", "%2e%2e", ";x", "%00").map(s -> template + s)));
    }
    return pathValue(names.get(0)).list().ofSize(names.size()).map(values -> {
      StringBuilder out = new StringBuilder();
      Matcher m = VARIABLE.matcher(template);
      int i = 0;
      while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(values.get(i++)));
      m.appendTail(out);
      return out.toString();
    });
  }

  private Arbitrary<String> pathValue(String name) {
    Arbitrary<String> real = name.equals("org_id") ? Arbitraries.just(tenant.org())
        : name.equals("project_id") ? Arbitraries.just(tenant.project()) : Arbitraries.of(tenant.org(), tenant.project());
    return Choice.frequencyOf(Tuple.of(8, real),
        Tuple.of(2, Arbitraries.of("0193a4b2-0000-7000-8000-000000000000", "me", "1", "general", "en", "x")),
        Tuple.of(2, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(12).map(Cases::escape)),
        Tuple.of(1, Arbitraries.of("%00", "%FF", "%ZZ", "%", "..", "%2e%2e", "%2F", "a%2Fb", "%C0%AE", "x".repeat(400))));
  }

  /** A query string with the request's fields (a tenant id that contradicts the path among them) or junk. */
  private static Arbitrary<String> query(Descriptor request) {
    List<String> keys = new ArrayList<>(request.getFields().stream().map(FieldDescriptor::getJsonName).toList());
    keys.addAll(List.of("orgId", "projectId", "pageSize", "unknown", "", "a[b]"));
    Arbitrary<String> pair = Combinators.combine(Arbitraries.of(keys),
        Choice.oneOf(Arbitraries.of("0193a4b2-0000-7000-8000-000000000000", "-1", "99999999999", "true", "%FF",
            "%", "OLDEST", "NEWEST"), Arbitraries.strings().all().ofMaxLength(10).map(Cases::escape)))
        .as((k, val) -> k + "=" + val);
    return pair.list().ofMinSize(1).ofMaxSize(3).map(ps -> "?" + String.join("&", ps));
  }

  private static Arbitrary<String> contentType() {
    return Choice.frequencyOf(Tuple.of(16, Arbitraries.just("application/json")),
        Tuple.of(1, Arbitraries.of("", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=iso-8859-1", "application/grpc", "*/*", "application/json, text/plain",
            "application/JSON", "application/json;;", "application/x-protobuf")));
  }

  private Arbitrary<String> authorization(boolean destructive) {
    Arbitrary<String> junk = Arbitraries.of("", "Bearer", "Bearer ", "Bearer junk.junk.junk", "Basic dXNlcjpwYXNz",
        "Bearer " + tenant.token() + "x", "bearer " + "a".repeat(5000), "Token x");
    if (destructive) return junk;
    return Choice.frequencyOf(Tuple.of(10, Arbitraries.just("Bearer " + tenant.token())), Tuple.of(3, junk));
  }

  private static Arbitrary<String> extraHeader() {
    return Choice.frequencyOf(Tuple.of(12, Arbitraries.just("")), Tuple.of(1, Arbitraries.of(
        "Accept-Language: xx-ZZ;q=junk, *;q=2", "Origin: https://elsewhere.test", "Accept: application/x-protobuf",
        "Expect: 100-continue-junk", "X-Forwarded-For: 256.1.1.1", "Accept-Encoding: gzip, br, junk",
        "Cookie: a=b; c", "If-None-Match: \"x\"", "Range: bytes=5-1")));
  }

  /** {@code s} as a path or query can carry it: bytes outside visible ASCII and the delimiters percent-encoded. */
  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && "?#&/% ".indexOf(c) < 0) out.append((char) c);
      else out.append('%').append(String.format("%02X", c));
    }
    return out.toString();
  }

  /** A gRPC call to a served unary method (or a path that names none), with credentials and headers of every kind. */
  Arbitrary<GrpcProbe.Call> grpc() {
    // Not the streams that answer for as long as the client listens (health Watch, Subscribe): a well-formed
    // call of theirs never ends, and the seed replays cover their malformed requests.
    return Choice.oneOf(api.methods().stream().filter(m -> !m.streaming()).map(this::grpc).toList());
  }

  private Arbitrary<GrpcProbe.Call> grpc(ServedApi.Method m) {
    Arbitrary<String> path = Choice.frequencyOf(Tuple.of(20, Arbitraries.just(m.grpcPath())),
        Tuple.of(1, Arbitraries.of("/", "/x", m.grpcPath() + "x", m.grpcPath().toLowerCase(), "/hearth.Nope/Nope")));
    Arbitrary<String> type = Choice.frequencyOf(Tuple.of(16, Arbitraries.just("application/grpc")),
        Tuple.of(1, Arbitraries.of("application/grpc+proto", "application/grpc+json", "application/grpc-web",
            "application/grpc-web-text", "application/json", "application/grpc; junk")));
    Arbitrary<String> extra = Choice.frequencyOf(Tuple.of(12, Arbitraries.just("")),
        Tuple.of(1, Arbitraries.of("grpc-timeout: 1S", "grpc-timeout: 99999999H", "grpc-timeout: x", "grpc-encoding: gzip",
            "grpc-encoding: snappy", "grpc-accept-encoding: junk", "accept-language: zz", "hearth-locale: \u00e9")));
    return Combinators.combine(path, type, authorization(m.destructive()), extra, proto.framed(m.request()))
        .as((p, t, auth, x, body) -> {
          MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", t).add("te", "trailers");
          if (!auth.isEmpty() && auth.length() < 4000) headers.add("authorization", auth);
          if (!x.isEmpty() && x.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            int colon = x.indexOf(':');
            headers.add(x.substring(0, colon), x.substring(colon + 1).trim());
          }
          // As a seed file reads (GrpcProbe): a finding kept from it replays with its headers.
          StringBuilder head = new StringBuilder(p).append('\n');
          headers.forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
          String text = head.append('\n').toString().replace(tenant.token(), "$TOKEN");
          return new GrpcProbe.Call(p, headers, body, MalformedProto.concat(text.getBytes(StandardCharsets.UTF_8), body));
        });
  }

  /** One realtime message: a protocol message with wrong or junk values, often not JSON; sometimes binary, fragmented, a ping. */
  Arbitrary<RealtimeProbe.Message> realtime() {
    Arbitrary<String> type = Choice.frequencyOf(Tuple.of(4, Arbitraries.of("auth", "subscribe", "unsubscribe", "ping")),
        Tuple.of(1, Arbitraries.of("", "AUTH", "pong", "event", "resume", "batch", "x".repeat(300))));
    Arbitrary<String> token = Choice.frequencyOf(Tuple.of(3, Arbitraries.just(MalformedJson.quote(tenant.token()))),
        Tuple.of(1, Arbitraries.of("\"\"", "null", "1", "\" \"", "\"junk\"", "[]", "{}")));
    Arbitrary<String> topic = Choice.frequencyOf(
        Tuple.of(2, Arbitraries.of("kernel/project/" + tenant.project(), "kernel/org/" + tenant.org(), "chat/channel/x",
            "kernel/user/me").map(MalformedJson::quote)),
        Tuple.of(1, MalformedJson.string()), Tuple.of(1, json.any(2)));
    Arbitrary<String> from = Choice.oneOf(MalformedJson.integer(), Arbitraries.of("\"now\"", "\"then\"", "null", "NaN"));
    Arbitrary<String> member = Choice.oneOf(
        token.map(t -> "\"token\":" + t), topic.map(t -> "\"topic\":" + t), from.map(f -> "\"from\":" + f),
        Arbitraries.of("\"batch\":true", "\"batch\":\"yes\"", "\"id\":\"1\"", "\"id\":{}", "\"id\":" + "9".repeat(40)),
        Combinators.combine(MalformedJson.string(), json.any(2)).as((k, v) -> k + ":" + v));
    Arbitrary<String> message = Combinators.combine(type, member.list().ofMaxSize(4))
        .as((t, ms) -> "{\"type\":" + MalformedJson.quote(t) + (ms.isEmpty() ? "" : "," + String.join(",", ms)) + "}");
    Arbitrary<String> text = Choice.frequencyOf(Tuple.of(12, message), Tuple.of(1, json.any(1)));
    Arbitrary<byte[]> payload = json.broken(text);
    return Choice.frequencyOf(Tuple.of(30, payload.map(p -> new RealtimeProbe.Message("text", p))),
        Tuple.of(1, payload.map(p -> new RealtimeProbe.Message("binary", p))),
        Tuple.of(1, payload.map(p -> new RealtimeProbe.Message("frag", p))),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(125).map(p -> new RealtimeProbe.Message("ping", p))));
  }
}
