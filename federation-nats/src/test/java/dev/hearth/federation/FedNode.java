package dev.hearth.federation;

import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.stream.Stream;

/** A test node with federation on (its own NATS server) and the built chat module, with short ways to call it over REST. */
final class FedNode implements AutoCloseable {

  record User(String id, String token) {}

  final TestNode node;
  final String name;

  FedNode(Path dir, String name, String natsUrl) {
    this(dir, name, natsUrl, new JsonObject());
  }

  /** @param federation settings over the tests' defaults (e.g. a short stream retention) */
  FedNode(Path dir, String name, String natsUrl, JsonObject federation) {
    this(dir, name, natsUrl, federation, Clock.systemUTC());
  }

  /** @param clock the node's clock (a test's {@code MovableClock} to prove an expiry) */
  FedNode(Path dir, String name, String natsUrl, JsonObject federation, Clock clock) {
    this.name = name;
    node = TestNode.start(dir, o -> o.setClock(clock).setFederation(new JsonObject().put("natsUrl", natsUrl).put("nodeId", name)
        .put("jsDomain", name).put("gapTimeoutSeconds", 3).put("forwardTimeoutSeconds", 10).mergeIn(federation)));
    try {
      node.installModule(chatJar());
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  /** The chat jar the reactor built before this module. */
  static Path chatJar() {
    return builtJar("module-chat", "hearth-module-chat");
  }

  /** The jar of a module the reactor built before this one (a test dependency, so it comes first). */
  static Path builtJar(String dir, String artifact) {
    try (Stream<Path> files = Files.list(Path.of("../" + dir + "/target"))) {
      return files.filter(p -> p.getFileName().toString().matches(artifact + "-[^-]+(-SNAPSHOT)?\\.jar"))
          .findFirst().orElseThrow(() -> new IllegalStateException("build " + dir + " first: its jar is missing"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Installs the survey jar the reactor built (only the tests that need it pay for it). */
  FedNode withSurvey() {
    node.installModule(builtJar("module-survey", "hearth-module-survey"));
    return this;
  }

  Federation fed() {
    return node.extension(FedExtension.class).orElseThrow().federation();
  }

  User signUp(String email, String displayName) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", "a-long-password-1").put("displayName", displayName)).ok();
    return new User(s.getString("userId"), s.getString("accessToken"));
  }

  /** Logs {@code email} in again (the password {@link #signUp} gave it): a token made at this node's current time. */
  User logIn(String email) throws Exception {
    JsonObject s = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email)
        .put("password", "a-long-password-1")).ok();
    return new User(s.getString("userId"), s.getString("accessToken"));
  }

  String org(User owner, String name) throws Exception {
    return post("/v1/orgs", owner, new JsonObject().put("name", name)).getString("id");
  }

  String project(User admin, String org, String name) throws Exception {
    return post("/v1/orgs/" + org + "/projects", admin, new JsonObject().put("name", name)).getString("id");
  }

  JsonObject post(String path, User as, JsonObject body) throws Exception {
    return node.rest.post(path, as.token(), body).ok();
  }

  TestRest.Response call(String method, String path, User as, JsonObject body) throws Exception {
    return node.rest.call(method, path, as.token(), body);
  }

  JsonObject get(String path, User as) throws Exception {
    return node.rest.get(path, as.token()).ok();
  }

  String channel(User as, String project, String name) throws Exception {
    return post("/v1/projects/" + project + "/chat/channels", as, new JsonObject().put("name", name).put("visibility", "PUBLIC")).getString("id");
  }

  JsonObject postMessage(User as, String project, String channel, String text, String clientId) throws Exception {
    return post("/v1/projects/" + project + "/chat/channels/" + channel + "/messages", as,
        new JsonObject().put("text", text).put("clientMessageId", clientId));
  }

  /** Every message of a channel, oldest first (pages back from the newest). */
  JsonArray messages(User as, String project, String channel) throws Exception {
    LinkedList<Object> all = new LinkedList<>();
    String base = "/v1/projects/" + project + "/chat/channels/" + channel + "/messages?limit=100";
    JsonObject page = get(base, as);
    while (true) {
      JsonArray ms = page.getJsonArray("messages", new JsonArray());
      for (int i = ms.size() - 1; i >= 0; i--) all.addFirst(ms.getValue(i));
      String before = page.getString("olderCursor", "");
      if (ms.isEmpty() || before.isEmpty()) return new JsonArray(new ArrayList<>(all));
      page = get(base + "&before=" + before, as);
    }
  }

  /** The digest of a project's content in one store, as this node holds it. */
  JsonObject digest(User as, String project, String store) throws Exception {
    return get("/v1/projects/" + project + "/federation/digest/" + store, as);
  }

  @Override
  public void close() {
    node.close();
  }
}
