package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestRealtime;
import dev.hearth.testkit.TestRest;
import dev.hearth.testkit.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the operations ITs (moves, rolling restarts) do as a client of a cluster of {@link ClusterProcess}es. */
final class ClusterClients {

  static final String PASSWORD = "a-long-password-1";

  private ClusterClients() {}

  static String signUp(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", PASSWORD).put("displayName", email)).ok().getString("accessToken");
  }

  /**
   * Through {@code p}, as the holder of {@code token}: an org "Org", its project "P" and the project's public
   * channel "general". Answers the channel's messages path ({@code /v1/projects/<p>/chat/channels/<c>/messages});
   * {@link #projectOf} reads the project back from it.
   */
  static String generalChannel(ClusterProcess p, String token) throws Exception {
    String org = p.rest.post("/v1/orgs", token, new JsonObject().put("name", "Org")).ok().getString("id");
    String project = p.rest.post("/v1/orgs/" + org + "/projects", token, new JsonObject().put("name", "P")).ok()
        .getString("id");
    String channel = p.rest.post("/v1/projects/" + project + "/chat/channels", token,
        new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
    return "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";
  }

  /** Posts {@code prefix + i} for i in [from, to) through {@code p}, one after another; each acknowledged one joins {@code acknowledged}. */
  static void post(ClusterProcess p, String token, String messages, String prefix, List<String> acknowledged, int from,
      int to) throws Exception {
    for (int i = from; i < to; i++) {
      String text = prefix + i;
      p.rest.post(messages, token, new JsonObject().put("text", text)).ok();
      acknowledged.add(text);
    }
  }

  /** One listing on {@code p}, with no wait: every acknowledged message once, and nothing else. */
  static void assertListsOnce(ClusterProcess p, String token, String messages, List<String> acknowledged, String where)
      throws Exception {
    Map<String, List<String>> listed = messagesByText(p, token, messages);
    assertThat(listed.keySet()).as("the messages %s lists", where).containsExactlyInAnyOrderElementsOf(acknowledged);
    listed.forEach((text, ids) -> assertThat(ids).as("acknowledged message %s once on %s", text, where).hasSize(1));
  }

  /** The project id of a messages path from {@link #generalChannel}. */
  static String projectOf(String messages) {
    return messages.split("/")[3];
  }

  static String logIn(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", PASSWORD))
        .ok().getString("accessToken");
  }

  /** The holder of {@code store}'s lease as {@code p} reports it; null when none. */
  static String holder(ClusterProcess p, String token, String store) throws Exception {
    for (Object o : p.rest.get("/v1/cluster/status", token).ok().getJsonArray("leases", new JsonArray())) {
      JsonObject lease = (JsonObject) o;
      if (lease.getString("store").equals(store)) return lease.getString("holder");
    }
    return null;
  }

  /** The stores process {@code id} owns in {@code p}'s status (its processes table); empty when it is not listed. */
  static List<String> owned(ClusterProcess p, String token, String id) throws Exception {
    for (Object o : p.rest.get("/v1/cluster/status", token).ok().getJsonArray("processes", new JsonArray())) {
      JsonObject e = (JsonObject) o;
      if (e.getString("processId").equals(id)) {
        return e.getJsonArray("owned", new JsonArray()).stream().map(String::valueOf).toList();
      }
    }
    return List.of();
  }

  /** Waits (30 s at most) until {@code p} reports some holder of {@code store}'s lease, and returns it. */
  static String awaitHolder(ClusterProcess p, String token, String store) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String h;
    while ((h = holder(p, token, store)) == null) {
      assertThat(System.nanoTime()).as("%s owned within 30 s", store).isLessThan(deadline);
      Thread.sleep(50);
    }
    return h;
  }

  /** Every message of a channel, oldest first, as text → every id posted with that text. */
  static Map<String, List<String>> messagesByText(ClusterProcess p, String token, String messages) throws Exception {
    Map<String, List<String>> out = new HashMap<>();
    String after = "";
    while (true) {
      JsonObject page = p.rest.get(messages + "?limit=100&oldestFirst=true" + (after.isEmpty() ? "" : "&after=" + after), token).ok();
      for (Object o : page.getJsonArray("messages", new JsonArray())) {
        JsonObject m = (JsonObject) o;
        out.computeIfAbsent(m.getString("text"), t -> new ArrayList<>()).add(m.getString("id"));
      }
      after = page.getString("newerCursor", "");
      if (after.isEmpty()) return out;
    }
  }

  /** Copies a directory tree (a stopped process's kernel store, the stand-in for its replication). */
  static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(target);
        else Files.copy(f, target);
      }
    }
  }

  /**
   * The event frames a client received up to and including the one of message {@code markerId}
   * ({@code seconds} at most): a test proves nothing else came (a duplicate, something late) by the
   * frames before a later marker.
   */
  static List<JsonObject> eventsUpTo(TestRealtime rt, String markerId, int seconds) throws InterruptedException {
    List<JsonObject> events = new ArrayList<>();
    rt.next(f -> {
      if (!"event".equals(f.getString("type"))) return false;
      events.add(f);
      return "message.created".equals(f.getString("event"))
          && markerId.equals(f.getJsonObject("data", new JsonObject()).getString("id"));
    }, seconds);
    return events;
  }

  /** The ids of the messages created in {@code events}, in order. */
  static List<String> createdIds(List<JsonObject> events) {
    return events.stream().filter(e -> "message.created".equals(e.getString("event")))
        .map(e -> e.getJsonObject("data").getString("id")).toList();
  }

  /** Waits (60 s at most) until {@code owner} holds chat and {@code standby}'s placement shows chat followed, lag 0. */
  static void awaitChatFollowed(ClusterProcess p, String root, String owner, String standby) throws InterruptedException {
    Waits.until("chat owned by " + owner + " and followed by " + standby + " with lag 0", Duration.ofSeconds(60), () -> {
      TestRest.Response r = p.rest.get("/v1/cluster/status", root);
      if (r.status() == 503) return false; // NATS slow to answer the status read: asked again
      JsonObject status = r.ok();
      boolean owned = status.getJsonArray("leases", new JsonArray()).stream().map(JsonObject.class::cast)
          .anyMatch(l -> l.getString("store").equals("chat") && owner.equals(l.getString("holder")));
      boolean following = status.getJsonArray("processes", new JsonArray()).stream().map(JsonObject.class::cast)
          .filter(e -> standby.equals(e.getString("processId")))
          .anyMatch(e -> e.getJsonArray("stores", new JsonArray()).stream().map(JsonObject.class::cast)
              .anyMatch(s -> s.getString("name").equals("chat") && "0".equals(String.valueOf(s.getValue("replicaLag")))));
      return owned && following;
    });
  }

  /** Fails unless each event's sequence is above the one before. */
  static void assertIncreasing(List<JsonObject> events) {
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).getLong("seq")).as("event %d's seq after the one before", i)
          .isGreaterThan(events.get(i - 1).getLong("seq"));
    }
  }
}
