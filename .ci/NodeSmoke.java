import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node smoke test of `.ci/jdk25` (a single-file program: `java .ci/NodeSmoke.java DATA_DIR`),
 * against a node already serving on DATA_DIR: waits for it to be ready, signs up, makes an org, a
 * project and a chat channel, subscribes to the channel over the realtime WebSocket, posts a
 * message and waits for its event. JDK classes only, so it runs on whatever JDK is under test.
 * Every wait has a deadline; any failure exits 1 with what was expected.
 */
public class NodeSmoke {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  static String base;

  public static void main(String[] args) throws Exception {
    Path nodeFile = Path.of(args[0], "run", "node.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(nodeFile)) {
      if (System.nanoTime() > deadline) fail("no " + nodeFile + " after 120 s");
      Thread.sleep(200);
    }
    base = "http://127.0.0.1:" + field(Files.readString(nodeFile), "port");
    while (get("/ready") != 200) {
      if (System.nanoTime() > deadline) fail("/ready not 200 after 120 s");
      Thread.sleep(200);
    }
    String token = field(post("/v1/auth/sign-up", null, "{\"email\":\"smoke@ci.test\",\"password\":\"a-long-password-1\"}"), "accessToken");
    String org = field(post("/v1/orgs", token, "{\"name\":\"Smoke\"}"), "id");
    String project = field(post("/v1/orgs/" + org + "/projects", token, "{\"name\":\"Smoke\"}"), "id");
    String channel = field(post("/v1/projects/" + project + "/chat/channels", token, "{\"name\":\"general\",\"visibility\":\"PUBLIC\"}"), "id");

    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(base.replace("http:", "ws:") + "/v1/realtime"),
        new WebSocket.Listener() {
          final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              frames.add(text.toString());
              text.setLength(0);
            }
            w.request(1);
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    ws.sendText("{\"type\":\"auth\",\"id\":\"1\",\"token\":\"" + token + "\"}", true);
    await(frames, "\"authenticated\"");
    ws.sendText("{\"type\":\"subscribe\",\"id\":\"2\",\"topic\":\"chat/channel/" + channel + "\"}", true);
    await(frames, "\"subscribed\"");
    String message = field(post("/v1/projects/" + project + "/chat/channels/" + channel + "/messages", token,
        "{\"text\":\"hello from the smoke test\"}"), "id");
    String event = await(frames, message);
    if (!event.contains("\"event\"")) fail("expected the message's event, got " + event);
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    System.out.println("smoke: signed up, posted message " + message + " and received its event on Java "
        + Runtime.version());
  }

  /** The next frame containing {@code what}, skipping others; fails after 20 s. */
  static String await(LinkedBlockingQueue<String> frames, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      String f = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (f == null) fail("no frame with " + what + " within 20 s");
      if (f.contains(what)) return f;
    }
  }

  static int get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static String post(String path, String token, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) b.header("authorization", "Bearer " + token);
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) fail("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
    return r.body();
  }

  /** A top-level string or number field of a JSON object (enough for these answers; no JSON library here). */
  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
    if (!m.find()) fail("no " + name + " in " + json);
    return m.group(1);
  }

  static void fail(String why) {
    System.err.println("smoke: FAILED: " + why);
    System.exit(1);
  }
}
