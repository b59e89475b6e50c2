package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRealtime;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The one JSON door, from outside: raw bodies over a real HTTP client and raw frames over a real
 * WebSocket against a node on port 0. Malformed JSON is a clean 400 in our words (never a class name
 * or a parser's), unknown fields are ignored, fields are named as the client wrote them, a path
 * cannot be contradicted, a wrong verb is 405 with Allow, CORS follows the config, and nothing a
 * client sends puts a stack trace in the log.
 */
class RequestIntakeIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  /** What must never reach a client: Java class names, exception names, parser wording. */
  private static final Pattern INTERNALS = Pattern.compile(
      "Exception|java\\.|com\\.google|com\\.fasterxml|gson|jackson|LinkedHashMap|line \\d+ column \\d+ path|\\$\\.",
      Pattern.CASE_INSENSITIVE);

  @TempDir static Path tmp;
  static TestNode node;
  static String owner;
  static String orgId;
  static String project;
  static ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp, options -> options.setCors(new JsonObject()
        .put("allowedOrigins", new JsonArray().add("https://app.example.com"))));
    owner = node.signUp("owner@intake.test", "password-owner-1");
    orgId = node.rest.post("/v1/orgs", owner, new JsonObject().put("name", "Acme")).ok().getString("id");
    project = node.rest.post("/v1/orgs/" + orgId + "/projects", owner, new JsonObject().put("name", "Depot")).ok()
        .getString("id");
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    log.start();
    root.addAppender(log);
    for (String name : List.of("dev.hearth.kernel.api.rpc.RestTransport", "dev.hearth.kernel.realtime.WsConnection")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.DEBUG);
    }
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    node.close();
  }

  static HttpResponse<String> raw(String method, String path, String token, byte[] body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (!headers.containsKey("content-type")) b.header("content-type", "application/json");
    headers.forEach(b::header);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String token, String body) throws Exception {
    return raw("POST", path, token, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** A 400 INVALID_ARGUMENT in our words; returns its body. */
  static JsonObject refused(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).doesNotContainPattern(INTERNALS);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("code")).isEqualTo("INVALID_ARGUMENT");
    return body;
  }

  @Test
  void malformedJson_isA400InOurWords_andLogsNoStackTrace() throws Exception {
    int before = log.list.size();
    String deep = "[".repeat(10_000);
    JsonObject nested = refused(post("/v1/auth/log-in", null, deep));
    assertThat(nested.getString("message")).contains("nested deeper than 64");
    // Closed, as the issue sent it: the old parser overflowed its stack on the way back up (500, an 83 KB trace).
    assertThat(refused(post("/v1/auth/log-in", null, deep + "]".repeat(10_000))).getString("message"))
        .contains("nested deeper than 64");
    refused(post("/v1/auth/log-in", null, "{\"email\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101)));
    assertThat(refused(post("/v1/auth/log-in", null, "{")).getString("message")).contains("ends before");
    refused(post("/v1/auth/log-in", null, "{\"email\":\"a@b.c\"} trailing"));
    refused(post("/v1/auth/log-in", null, "{\"email\":\"a@b.c\"}{}"));
    refused(post("/v1/auth/log-in", null, "{/* hi */\"email\":\"a@b.c\"}"));
    refused(post("/v1/auth/log-in", null, "{\"email\":\"a@b.c\"} // bye"));
    refused(post("/v1/auth/log-in", null, "{'email':'a@b.c'}"));
    refused(post("/v1/auth/log-in", null, "{\"email\":\"a@b.c\",}"));
    JsonObject twice = refused(post("/v1/auth/log-in", null, "{\"email\":\"a@b.c\",\"email\":\"d@e.f\"}"));
    assertThat(twice.getString("message")).contains("'email' appears twice");
    refused(post("/v1/orgs/" + orgId + "/projects", owner, "{\"name\":\"X\",\"name\":\"Y\"}"));
    JsonObject nan = refused(post("/v1/rpc/hearth.tenancy.v1.TenancyService/ListProjects", owner,
        "{\"orgId\":\"" + orgId + "\",\"pageSize\":NaN}"));
    assertThat(nan.getString("message")).contains("not valid JSON");
    refused(post("/v1/auth/log-in", null, "[]"));
    refused(post("/v1/auth/log-in", null, "\"text\""));
    refused(raw("POST", "/v1/auth/log-in", null, new byte[] {'{', '"', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'}, Map.of()));
    // One short line per refused request, at DEBUG; none at ERROR, none with a stack trace.
    List<ILoggingEvent> lines = List.copyOf(log.list.subList(before, log.list.size()));
    assertThat(lines.stream().filter(e -> e.getFormattedMessage().startsWith("refused POST"))).hasSize(16);
    assertThat(lines.stream().filter(e -> e.getFormattedMessage().startsWith("refused POST")))
        .allMatch(e -> e.getLevel() == Level.DEBUG);
    assertThat(lines).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR));
    assertThat(lines).noneMatch(e -> e.getThrowableProxy() != null);
    assertThat(lines).allMatch(e -> e.getFormattedMessage().length() < 1_000);
  }

  @Test
  void postWithNoBodyAtAll_isA400NamingTheMissingField_notA500() throws Exception {
    JsonObject r = refused(raw("POST", "/v1/orgs/" + orgId + "/projects", owner, null, Map.of()));
    assertThat(r.getJsonObject("details").getString("field")).isEqualTo("name");
    JsonObject anonymous = refused(raw("POST", "/v1/auth/log-in", null, null, Map.of()));
    assertThat(anonymous.getString("message")).doesNotContainPattern(INTERNALS);
  }

  @Test
  void loneSurrogate_isRefused_notStoredAsAQuestionMark() throws Exception {
    JsonObject r = refused(post("/v1/orgs/" + orgId + "/projects", owner, "{\"name\":\"Depot \\ud800\"}"));
    assertThat(r.getString("message")).contains("unpaired UTF-16 surrogate");
    assertThat(r.getJsonObject("details").getString("field")).isEqualTo("name");
    refused(post("/v1/orgs/" + orgId + "/projects", owner, "{\"name\":\"\\udc00 x\"}"));
    // A surrogate pair is one character and fine.
    assertThat(post("/v1/orgs/" + orgId + "/projects", owner, "{\"name\":\"Fire \\ud83d\\udd25\"}").statusCode()).isEqualTo(200);
    assertThat(node.rest.get("/v1/orgs/" + orgId + "/projects", owner).ok().encode()).doesNotContain("Depot ?")
        .contains("Fire \uD83D\uDD25");
  }

  @Test
  void unknownFields_areIgnored_forNewerClients() throws Exception {
    HttpResponse<String> r = post("/v1/orgs/" + orgId + "/projects", owner,
        "{\"name\":\"Newer\",\"colour\":\"teal\",\"nested\":{\"deep\":[1,2,{\"x\":null}]}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("name")).isEqualTo("Newer");
    assertThat(node.rest.get("/v1/orgs/" + orgId + "/projects?pageSize=50&sortBy=name", owner).status()).isEqualTo(200);
  }

  @Test
  void wrongTypes_nameTheFieldInLowerCamel_withTheProtoNameInDetails() throws Exception {
    JsonObject r = refused(post("/v1/rpc/hearth.tenancy.v1.TenancyService/ListProjects", owner,
        "{\"orgId\":\"" + orgId + "\",\"pageSize\":\"many\"}"));
    assertThat(r.getString("message")).startsWith("pageSize: ");
    assertThat(r.getJsonObject("details").getString("field")).isEqualTo("pageSize");
    assertThat(r.getJsonObject("details").getString("protoField")).isEqualTo("page_size");
    JsonObject big = refused(post("/v1/rpc/hearth.tenancy.v1.TenancyService/ListProjects", owner,
        "{\"orgId\":\"" + orgId + "\",\"page_size\":1e999999999}"));
    assertThat(big.getString("message")).contains("out of range");
    JsonObject notObject = refused(post("/v1/orgs/" + orgId + "/projects", owner, "{\"name\":{\"a\":1}}"));
    assertThat(notObject.getJsonObject("details").getString("field")).isEqualTo("name");
    // A handler's own field error, raised with the proto name, reaches REST in lowerCamel too.
    JsonObject query = refused(raw("GET", "/v1/orgs/" + orgId + "/projects?pageSize=ten", owner, null, Map.of()));
    assertThat(query.getJsonObject("details").getString("field")).isEqualTo("pageSize");
    assertThat(query.getJsonObject("details").getString("protoField")).isEqualTo("page_size");
    assertThat(query.getString("message")).startsWith("pageSize: ");
  }

  @Test
  void aFieldPathThroughAnUnknownKey_namesTheKeyAsSent() throws Exception {
    // Found by FuzzRunIT: "a.a.__proto__" came back as "a.a.Proto", a name the client never sent.
    JsonObject r = refused(post("/v1/orgs/" + orgId + "/projects", owner,
        "{\"name\":\"X\",\"a\":{\"__proto__\":{\"\\udd42\":1}}}"));
    assertThat(r.getJsonObject("details").getString("field")).isEqualTo("a.__proto__");
    assertThat(r.getString("message")).startsWith("a.__proto__: ");
  }

  @Test
  void aTenantIdThatContradictsThePath_isRefused() throws Exception {
    JsonObject body = refused(post("/v1/orgs/" + orgId + "/projects", owner, "{\"orgId\":\"someone-elses-org\",\"name\":\"X\"}"));
    assertThat(body.getJsonObject("details").getString("field")).isEqualTo("orgId");
    assertThat(body.getString("message")).contains("contradicts");
    JsonObject query = refused(raw("GET", "/v1/orgs/" + orgId + "/projects?orgId=other", owner, null, Map.of()));
    assertThat(query.getJsonObject("details").getString("field")).isEqualTo("orgId");
    // The same value as the path is fine.
    assertThat(post("/v1/orgs/" + orgId + "/projects", owner, "{\"orgId\":\"" + orgId + "\",\"name\":\"Same\"}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void badPercentEncoding_isA400_notA500() throws Exception {
    int before = log.list.size();
    for (String path : List.of("/v1/orgs/" + orgId + "/projects?pageSize=%zz", "/v1/orgs/%zz/projects", "/v1/orgs/%/projects")) {
      // A raw socket: the JDK's client refuses to send such a URI.
      String answer;
      try (Socket socket = new Socket("127.0.0.1", node.port())) {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + owner
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }
      int status = Integer.parseInt(answer.substring(9, 12));
      assertThat(status).as(path + " " + answer).isBetween(400, 499);
      assertThat(answer).doesNotContainPattern(INTERNALS);
    }
    List<ILoggingEvent> lines = List.copyOf(log.list.subList(before, log.list.size()));
    assertThat(lines).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null);
  }

  @Test
  void aWrongVerbOnAKnownPath_is405WithAllow() throws Exception {
    HttpResponse<String> r = raw("PUT", "/v1/orgs/" + orgId + "/projects", owner, "{}".getBytes(), Map.of());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue("GET, POST");
    assertThat(new JsonObject(r.body()).getString("code")).isEqualTo("METHOD_NOT_ALLOWED");
    HttpResponse<String> byName = raw("GET", "/v1/rpc/hearth.tenancy.v1.TenancyService/ListProjects", owner, null, Map.of());
    assertThat(byName.statusCode()).isEqualTo(405);
    assertThat(byName.headers().firstValue("allow")).hasValue("POST");
    assertThat(raw("GET", "/v1/no-such-thing", owner, null, Map.of()).statusCode()).isEqualTo(404);
  }

  @Test
  void cors_answersAllowedOriginsOnly() throws Exception {
    Map<String, String> preflight = Map.of("Origin", "https://app.example.com", "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "authorization, content-type");
    HttpResponse<String> ok = raw("OPTIONS", "/v1/orgs", null, null, preflight);
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
    assertThat(ok.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
    assertThat(ok.headers().firstValue("access-control-allow-headers").orElse("")).contains("authorization");
    HttpResponse<String> call = raw("GET", "/v1/orgs", owner, null, Map.of("Origin", "https://app.example.com"));
    assertThat(call.statusCode()).isEqualTo(200);
    assertThat(call.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
    // gRPC-Web never passes the router: it gets the headers too, and may read grpc-status.
    HttpResponse<String> grpcWeb = raw("POST", "/hearth.tenancy.v1.TenancyService/ListOrgs", owner, new byte[5],
        Map.of("Origin", "https://app.example.com", "content-type", "application/grpc-web+proto", "x-grpc-web", "1"));
    assertThat(grpcWeb.headers().firstValue("access-control-allow-origin")).hasValue("https://app.example.com");
    assertThat(grpcWeb.headers().firstValue("access-control-expose-headers").orElse("")).contains("grpc-status");
    // Another origin gets no CORS headers (the browser refuses the answer), and its call is untouched.
    HttpResponse<String> other = raw("OPTIONS", "/v1/orgs", null, null, Map.of("Origin", "https://evil.example",
        "Access-Control-Request-Method", "POST"));
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    HttpResponse<String> otherCall = raw("GET", "/v1/orgs", owner, null, Map.of("Origin", "https://evil.example"));
    assertThat(otherCall.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void webSocketFrames_goThroughTheSameDoor() throws Exception {
    int before = log.list.size();
    try (TestRealtime ws = TestRealtime.connect(node)) {
      for (String bad : List.of("[]", "{", "{\"type\":\"ping\"} x", "{'type':'ping'}", "{\"type\":\"ping\",\"type\":\"auth\"}",
          "[".repeat(10_000), "{\"type\":\"ping\",\"id\":\"\\ud800\"}", "{\"type\":\"ping\"/**/}")) {
        ws.sendText(bad);
        JsonObject error = ws.next("error");
        assertThat(error.getString("code")).as(bad).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.encode()).as(bad).doesNotContainPattern(INTERNALS);
      }
      // Unknown fields are ignored; the connection still works.
      ws.sendText("{\"type\":\"ping\",\"id\":\"p1\",\"newerClientField\":{\"a\":[1]}}");
      assertThat(ws.next("pong").getString("id")).isEqualTo("p1");
      ws.sendText("{\"type\":\"auth\",\"token\":\"" + owner + "\",\"id\":\"a\"}");
      assertThat(ws.next("authenticated").getString("id")).isEqualTo("a");
      ws.sendText("{\"type\":\"subscribe\",\"topic\":\"x\",\"from\":1e999999999,\"id\":\"s\"}");
      JsonObject from = ws.next("error");
      assertThat(from.getJsonObject("details").getString("field")).isEqualTo("from");
    }
    List<ILoggingEvent> lines = List.copyOf(log.list.subList(before, log.list.size()));
    assertThat(lines).noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null);
    assertThat(lines.stream().filter(e -> e.getFormattedMessage().startsWith("realtime frame refused"))).hasSize(8);
  }
}
