package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.chat.v1.ChatProto;
import dev.hearth.cli.Main;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.testkit.ModuleJars;
import dev.hearth.testkit.ModuleNode;
import dev.hearth.testkit.ModuleNode.User;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.Workers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of a node under a load of chat writes, restored whole, to a point in the middle of an
 * incremental chain, and one module's store alone while the node serves. "Equal" is checked against
 * a model folded from the source's own change log up to the backup's sequence, independently of
 * the restore code.
 */
class BackupIT {

  @TempDir Path tmp;

  private static final String FILE_TEXT = "minutes of the backup meeting\n";
  private String fileId;
  private Instant mark;
  private String fileProject;

  @Test
  void backupsUnderChatLoad_restoreExactlyTheStateAtTheirSequences_wholeAndToAPointInTheChain() throws Exception {
    Path backups = tmp.resolve("backups");
    List<JsonObject> manifests = new ArrayList<>();
    Map<String, Map<String, Model>> expectedAtLast = new TreeMap<>();
    Map<String, Model> chatAtMid;
    Map<String, Model> chatAtMark;
    long mid;
    try (ModuleNode chat = ModuleNode.start(tmp.resolve("a"), "hearth-module-chat", ChatProto.getDescriptor())) {
      User alice = chat.signUp("alice@example.org");
      String project = chat.project(alice, "Backups");
      String channel = chat.node.rest.post("/v1/projects/" + project + "/chat/channels", alice.token(),
          new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
      String messages = "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";
      // A file: its metadata is in the files store, its encrypted blob under data/blobs/.
      fileId = upload(chat.node.port(), alice.token(), project, "notes.txt", FILE_TEXT);
      fileProject = project;

      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger sent = new AtomicInteger();
      Workers writers = new Workers();
      for (int w = 0; w < 3; w++) {
        writers.start("writer-" + w, () -> {
          while (!stop.get()) {
            chat.node.rest.post(messages, alice.token(), new JsonObject().put("text", "m" + sent.incrementAndGet())).ok();
          }
        });
      }
      try {
        for (int i = 0; i < 3; i++) {
          int atLeast = 150 * (i + 1);
          // A writer that died fails the test here rather than leaving the wait to time out.
          Waits.until(atLeast + " messages sent", Duration.ofSeconds(120), () -> {
            writers.failure();
            return sent.get() >= atLeast;
          });
          if (i == 2) mark = Instant.now(); // a moment between the second and third backups
          // Taken through the running node while the writers keep going.
          String[] r = cli("backup", "create", "--to", backups.toString(), "--data", chat.node.dir.resolve("data").toString());
          assertThat(r[0]).as(r[2]).isEqualTo("0");
          manifests.add(new JsonObject(r[1]));
        }
      } finally {
        stop.set(true);
      }
      writers.join(Duration.ofSeconds(30));

      assertThat(manifests.get(0).getString("kind")).isEqualTo("full");
      assertThat(manifests.get(1).getString("kind")).isEqualTo("incremental");
      assertThat(manifests.get(2).getString("parent")).isEqualTo(manifests.get(1).getString("id"));
      long s1 = lastSeq(manifests.get(0), "chat");
      long s2 = lastSeq(manifests.get(1), "chat");
      assertThat(s2).as("the load went on between the backups").isGreaterThan(s1 + 10);
      assertThat(chat.node.stores().store("chat").lastSequence())
          .as("the load went on after the last backup").isGreaterThan(lastSeq(manifests.get(2), "chat"));
      for (Object o : manifests.get(2).getJsonArray("stores")) {
        JsonObject s = (JsonObject) o;
        if (s.getLong("lastSeq") == 0) continue; // a store nothing was written to (files before any upload)
        expectedAtLast.put(s.getString("name"), model(chat.node.stores().store(s.getString("name")), s.getLong("lastSeq")));
      }
      mid = s1 + (s2 - s1) / 2 + 1;
      chatAtMid = model(chat.node.stores().store("chat"), mid);
      long markMicros = mark.getEpochSecond() * 1_000_000L + mark.getNano() / 1_000;
      chatAtMark = model(chat.node.stores().store("chat"), lastSequenceAt(chat.node.stores().store("chat"), markMicros));
    }

    String[] verified = cli("backup", "verify", "--from", backups.toString(), "--decrypt",
        "--master-key-file", tmp.resolve("a/master.key").toString());
    assertThat(verified[0]).as(verified[1] + verified[2]).isEqualTo("0");
    assertThat(new JsonObject(verified[1]).getJsonArray("chain")).hasSize(3);

    // The whole node, into an empty directory: every store equals the source at the newest backup.
    Path b = tmp.resolve("b");
    String[] restored = cli("restore", "--from", backups.toString(), "--data", b.resolve("data").toString());
    assertThat(restored[0]).as(restored[2]).isEqualTo("0");
    Files.copy(tmp.resolve("a/master.key"), b.resolve("master.key"));
    try (TestNode node = TestNode.start(b)) {
      node.installModule(ModuleJars.built(Path.of("target"), "hearth-module-chat"));
      for (var e : expectedAtLast.entrySet()) {
        assertSameContent(node.stores().store(e.getKey()), e.getValue(), e.getKey());
      }
      // The restored node serves: alice signs in with her password, and her file's blob came back too.
      String token = node.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", "alice@example.org")
          .put("password", "a-long-password-1")).ok().getString("accessToken");
      var download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + node.port() + "/v1/projects/" + fileProject + "/files/" + fileId + "/content"))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo(FILE_TEXT);
    }

    // To a sequence between the full backup and the first incremental, inside a group-commit frame.
    Path c = tmp.resolve("c");
    String[] pit = cli("restore", "--from", backups.toString(), "--backup", manifests.get(2).getString("id"),
        "--store", "chat", "--to-sequence", Long.toString(mid), "--data", c.resolve("data").toString(),
        "--master-key-file", tmp.resolve("a/master.key").toString());
    assertThat(pit[0]).as(pit[2]).isEqualTo("0");
    Files.copy(tmp.resolve("a/master.key"), c.resolve("master.key"));
    try (TestNode node = TestNode.start(c)) {
      node.installModule(ModuleJars.built(Path.of("target"), "hearth-module-chat"));
      HearthStore store = node.stores().store("chat");
      // The module's start may add its own schema record after the cut: compare what the cut restored.
      assertSameContent(store, chatAtMid, "chat at sequence " + mid);
    }

    // The whole node to a moment: every store at its last change made then.
    Path d = tmp.resolve("d");
    String[] atTime = cli("restore", "--from", backups.toString(), "--to-time", mark.toString(),
        "--data", d.resolve("data").toString(), "--master-key-file", tmp.resolve("a/master.key").toString());
    assertThat(atTime[0]).as(atTime[2]).isEqualTo("0");
    Files.copy(tmp.resolve("a/master.key"), d.resolve("master.key"));
    try (TestNode node = TestNode.start(d)) {
      node.installModule(ModuleJars.built(Path.of("target"), "hearth-module-chat"));
      assertSameContent(node.stores().store("chat"), chatAtMark, "chat at " + mark);
    }

    // A damaged file is found by verify, which names it and exits 1.
    Path incr = backups.resolve(manifests.get(1).getString("id")).resolve("stores/chat/log");
    try (Stream<Path> s = Files.list(incr)) {
      Path seg = s.findFirst().orElseThrow();
      byte[] bytes = Files.readAllBytes(seg);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(seg, bytes);
    }
    String[] broken = cli("backup", "verify", "--from", backups.toString());
    assertThat(broken[0]).isEqualTo("1");
    assertThat(new JsonObject(broken[1]).getJsonArray("problems").encode()).contains(manifests.get(1).getString("id"));
  }

  @Test
  void aLostModuleStore_isRestoredThroughTheRunningNode_whileTheRestKeepsServing() throws Exception {
    Path backups = tmp.resolve("backups");
    try (ModuleNode chat = ModuleNode.start(tmp.resolve("a"), "hearth-module-chat", ChatProto.getDescriptor())) {
      User alice = chat.signUp("alice@example.org");
      String project = chat.project(alice, "Restore one");
      String channel = chat.node.rest.post("/v1/projects/" + project + "/chat/channels", alice.token(),
          new JsonObject().put("name", "general").put("visibility", "PUBLIC")).ok().getString("id");
      String messages = "/v1/projects/" + project + "/chat/channels/" + channel + "/messages";
      for (int i = 0; i < 20; i++) {
        chat.node.rest.post(messages, alice.token(), new JsonObject().put("text", "kept " + i)).ok();
      }
      String data = chat.node.dir.resolve("data").toString();
      assertThat(cli("backup", "create", "--to", backups.toString(), "--data", data)[0]).isEqualTo("0");

      // The chat store's files are lost.
      deleteTree(chat.node.dir.resolve("data/stores/chat"));

      String[] r = cli("restore", "--from", backups.toString(), "--store", "chat", "--data", data);
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      JsonArray listed = chat.node.rest.get(messages + "?limit=100", alice.token()).ok().getJsonArray("messages");
      assertThat(listed).hasSize(20);
      assertThat(listed.getJsonObject(19).getString("text")).isEqualTo("kept 19");
      // The rest of the node was never stopped: the kernel still knows alice and her project, and chat writes again.
      assertThat(chat.node.rest.get("/v1/projects/" + project, alice.token()).status()).isEqualTo(200);
      chat.node.rest.post(messages, alice.token(), new JsonObject().put("text", "after the restore")).ok();
      // The kernel store cannot be swapped under a running node.
      String[] kernel = cli("restore", "--from", backups.toString(), "--store", "kernel", "--data", data);
      assertThat(kernel[0]).isEqualTo("1");
      assertThat(kernel[2]).contains("FAILED_PRECONDITION").contains("node stopped");
    }
  }

  private static String upload(int port, String token, String project, String name, String text) throws Exception {
    var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + port + "/v1/projects/" + project + "/files?name=" + name))
        .header("Authorization", "Bearer " + token).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString(text)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body()).getString("id");
  }

  /** The last sequence whose event was written at or before {@code micros}. */
  private static long lastSequenceAt(HearthStore store, long micros) {
    long last = 0;
    long after = 0;
    while (true) {
      List<ChangeEvent> events = store.readLog(after, 1000);
      if (events.isEmpty()) return last;
      for (ChangeEvent e : events) {
        if (e.timeMicros() > micros) return last;
        last = e.sequence();
        after = e.sequence();
      }
    }
  }

  /** A store's entries per scope at a sequence, folded from its change log. */
  record Model(TreeMap<String, byte[]> entries) {}

  private static Map<String, Model> model(HearthStore store, long upTo) {
    Map<String, TreeMap<String, byte[]>> byScope = new TreeMap<>();
    Map<String, String> scopeOf = new TreeMap<>();
    long after = 0;
    while (after < upTo) {
      List<ChangeEvent> events = store.readLog(after, 1000);
      if (events.isEmpty()) break;
      for (ChangeEvent e : events) {
        if (e.sequence() > upTo) break;
        after = e.sequence();
        if (e.collection().startsWith("view.") || e.collection().startsWith("fed.")) continue;
        String id = e.collection() + "\0" + e.key();
        String old = scopeOf.remove(id);
        if (old != null) byScope.get(old).remove(id);
        if (e.op() == ChangeEvent.Op.PUT) {
          byScope.computeIfAbsent(e.scope(), s -> new TreeMap<>()).put(id, e.value());
          scopeOf.put(id, e.scope());
        }
      }
    }
    Map<String, Model> out = new TreeMap<>();
    byScope.forEach((scope, entries) -> out.put(scope, new Model(entries)));
    return out;
  }

  private static void assertSameContent(HearthStore restored, Map<String, Model> expected, String what) throws Exception {
    assertThat(expected).as(what + " has content").isNotEmpty();
    for (var e : expected.entrySet()) {
      var digest = restored.digest(e.getKey());
      assertThat(digest.entries()).as(what + ", scope '" + e.getKey() + "': entries").isEqualTo(e.getValue().entries().size());
      assertThat(digest.sha256()).as(what + ", scope '" + e.getKey() + "'").isEqualTo(sha256(e.getValue()));
    }
  }

  /** The layout {@link HearthStore#digest} documents: per entry u32 len | collection | u32 len | key | SHA-256(value). */
  private static String sha256(Model m) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (var e : m.entries().entrySet()) {
      String[] ck = e.getKey().split("\0", 2);
      field(md, ck[0].getBytes(StandardCharsets.UTF_8));
      field(md, ck[1].getBytes(StandardCharsets.UTF_8));
      md.update(MessageDigest.getInstance("SHA-256").digest(e.getValue()));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void field(MessageDigest md, byte[] b) {
    md.update(ByteBuffer.allocate(4).putInt(b.length).array());
    md.update(b);
  }

  private static long lastSeq(JsonObject manifest, String store) {
    for (Object o : manifest.getJsonArray("stores")) {
      JsonObject s = (JsonObject) o;
      if (s.getString("name").equals(store)) return s.getLong("lastSeq");
    }
    throw new AssertionError("no store " + store + " in " + manifest.encode());
  }

  private static String[] cli(String... args) {
    return Main.run(Map.of(), args);
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }
}
