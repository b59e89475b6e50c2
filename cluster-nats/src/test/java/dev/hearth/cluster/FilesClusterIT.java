package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.NodeFiles;
import dev.hearth.testkit.TestRest;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files in the cluster (docs/cluster.md#files), with real processes: three {@code hearth serve}
 * JVMs on one nats-server, blobs in its JetStream object store. pa and pb may own the {@code files}
 * store, pc owns nothing and only serves clients. A file uploaded through pc (its content stored by
 * pc, its metadata written by the files store's owner) downloads byte-identical, whole and a range,
 * through pc and, after the owner is killed with SIGKILL and the other process has taken the store
 * over, through both survivors; an upload after the take-over works too. Nothing under JetStream's
 * store directory, nor under any process's data directory, holds the content or the name in clear.
 *
 * <p>The processes share the cluster's kernel store (pa and pb may own it too): alice signs in once,
 * through pc, and that token is accepted by every process, also after pa's death.
 */
class FilesClusterIT {

  private static final String MARKER = "CLUSTER-FILES-PLAINTEXT-7d41";
  private static final String PASSWORD = "a-long-password-1";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void uploadedThroughAFront_downloadsThroughAnother_afterTheFilesOwnerIsKilled() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "files").start()) {
      JsonObject mayOwn = new JsonObject().put("natsUrls", nats.url()).put("kernel", "shared")
          .put("owns", new JsonArray().add("files").add("kernel"))
          .put("leaseTtlMillis", 2000).put("renewMillis", 400).put("marginMillis", 400);
      JsonObject front = mayOwn.copy().put("owns", new JsonArray());
      JsonObject sections = new JsonObject().put("files", new JsonObject().put("blobs",
          new JsonObject().put("type", "nats").put("bucket", "cluster-blobs")));
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", mayOwn, null, sections);
      List<ClusterProcess> all = new ArrayList<>(List.of(a));
      try {
        String alice = signUp(a, "alice@files.test");
        String org = a.rest.post("/v1/orgs", alice, new JsonObject().put("name", "Org")).ok().getString("id");
        String project = a.rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", "P")).ok().getString("id");

        // pb and pc start with pa's keys and follow the cluster's kernel store: alice is known everywhere.
        List<ClusterProcess> bc = ClusterProcess.together(() -> new ClusterProcess(dir.resolve("b"), "pb", mayOwn, a, sections),
            () -> new ClusterProcess(dir.resolve("c"), "pc", front, a, sections));
        all.addAll(bc);
        ClusterProcess b = bc.get(0);
        ClusterProcess c = bc.get(1);
        String root = a.sysAdminToken();
        String first = awaitFilesOwner(c, root, null);
        ClusterProcess owner = first.equals("pa") ? a : b;
        ClusterProcess standby = owner == a ? b : a;

        // Through pc, which does not own the files store: pc stores the content, the owner the metadata.
        String aliceOnC = logIn(c, "alice@files.test");
        byte[] content = content(2 * (1 << 20) + 777, 22); // three 1 MiB segments
        JsonObject entry = upload(c, aliceOnC, project, MARKER + ".txt", content);
        assertThat(entry.getString("sha256")).isEqualTo(sha256(content));
        String id = entry.getString("id");
        assertDownloads(c, aliceOnC, project, id, content); // pc's copy of the store lacks it: asked of the owner

        // kill -9 of the files store's owner; the standby takes the store over.
        owner.signal("KILL");
        awaitFilesOwner(c, root, standby.id);
        String aliceOnStandby = aliceOnC; // one kernel store: pc's token is the standby's too
        assertDownloads(standby, aliceOnStandby, project, id, content); // from its replica of the files store
        assertDownloads(c, aliceOnC, project, id, content); // pc asks the new owner

        // An upload through pc after the take-over is recorded by the new owner.
        byte[] more = content(300_000, 23);
        JsonObject second = upload(c, aliceOnC, project, "second-" + MARKER + ".txt", more);
        assertDownloads(standby, aliceOnStandby, project, second.getString("id"), more);

        // Contents went to JetStream only, encrypted: no process keeps a blob, nothing is in clear.
        all.forEach(ClusterProcess::close); // their consumers and files settle
        for (String p : List.of("a", "b", "c")) {
          assertThat(NodeFiles.regularFiles(dir.resolve(p).resolve("data/blobs"))).as("blob files of p" + p).isEmpty();
        }
        List<Path> stored = new ArrayList<>(NodeFiles.regularFiles(nats.storeDir()));
        assertThat(stored).isNotEmpty();
        for (String p : List.of("a", "b", "c")) stored.addAll(NodeFiles.regularFiles(dir.resolve(p).resolve("data")));
        byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
        for (Path f : stored) assertThat(holds(f, marker)).as("plaintext in " + f).isFalse();
      } catch (AssertionError | Exception e) {
        for (ClusterProcess p : all) System.out.println("---- log of " + p.id + "\n" + p.log());
        throw e;
      } finally {
        all.forEach(ClusterProcess::close);
      }
    }
  }

  @Test
  void withLocalBlobs_anUploadOnAProcessThatDoesNotOwnFiles_isRefusedSayingWhy() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "local").start()) {
      // pc owns the cluster's kernel store only (it must be owned for sign-up), not files.
      JsonObject front = new JsonObject().put("natsUrls", nats.url()).put("kernel", "shared")
          .put("owns", new JsonArray().add("kernel"))
          .put("leaseTtlMillis", 2000).put("renewMillis", 400).put("marginMillis", 400);
      try (ClusterProcess c = new ClusterProcess(dir.resolve("c"), "pc", front)) {
        String alice = signUp(c, "alice@local.test");
        String org = c.rest.post("/v1/orgs", alice, new JsonObject().put("name", "Org")).ok().getString("id");
        String project = c.rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", "P")).ok().getString("id");
        HttpResponse<String> refused = HTTP.send(post(c, alice, project, "a.txt", content(1000, 1)),
            HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(refused.body()).getString("message"))
            .contains("does not own the files store").contains("files.blobs is local").contains("nats or s3");
        assertThat(NodeFiles.regularFiles(dir.resolve("c/data/blobs"))).as("nothing stored").isEmpty();
      }
    }
  }

  /** Whether {@code f} holds {@code marker}; a file JetStream removed since it was listed holds nothing. */
  private static boolean holds(Path f, byte[] marker) throws Exception {
    try {
      return NodeFiles.contains(f, marker);
    } catch (NoSuchFileException gone) {
      return false;
    }
  }

  private static String signUp(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", email)
        .put("password", PASSWORD).put("displayName", email)).ok().getString("accessToken");
  }

  private static String logIn(ClusterProcess p, String email) throws Exception {
    return p.rest.post("/v1/auth/log-in", null, new JsonObject().put("email", email).put("password", PASSWORD))
        .ok().getString("accessToken");
  }

  /** Waits (30 s at most) until {@code p}'s status shows the files store held by {@code holder} (by anyone: null). */
  private static String awaitFilesOwner(ClusterProcess p, String root, String holder) throws Exception {
    String[] seen = new String[1];
    Waits.until("the files store owned by " + (holder == null ? "a process" : holder), Duration.ofSeconds(30), () -> {
      for (Object o : p.rest.get("/v1/cluster/status", root).ok().getJsonArray("leases", new JsonArray())) {
        JsonObject lease = (JsonObject) o;
        if (lease.getString("store").equals("files") && (holder == null || holder.equals(lease.getString("holder")))) {
          seen[0] = lease.getString("holder");
          return true;
        }
      }
      return false;
    });
    return seen[0];
  }

  /** Uploads through {@code p} as a raw body, again while it answers 503 (the store changing owner), 30 s at most. */
  private static JsonObject upload(ClusterProcess p, String token, String project, String name, byte[] content)
      throws Exception {
    JsonObject[] out = new JsonObject[1];
    Waits.until("an upload of " + name + " through " + p.id, Duration.ofSeconds(30), () -> {
      HttpResponse<String> r = HTTP.send(post(p, token, project, name, content), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 503) return false;
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      out[0] = new JsonObject(r.body());
      return true;
    });
    return out[0];
  }

  private static HttpRequest post(ClusterProcess p, String token, String project, String name, byte[] content) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/v1/projects/" + project
            + "/files?name=" + name)).timeout(Duration.ofSeconds(90))
        .header("authorization", "Bearer " + token).header("content-type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build();
  }

  /** The whole file, and a range from its second segment when it has one, byte-identical through {@code p}. */
  private static void assertDownloads(ClusterProcess p, String token, String project, String id, byte[] content)
      throws Exception {
    HttpResponse<byte[]> whole = download(p, token, project, id, null);
    assertThat(whole.statusCode()).as("download through %s: %s", p.id, new String(whole.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    assertThat(whole.body()).isEqualTo(content);
    int from = content.length > (1 << 20) + 60_000 ? (1 << 20) + 4321 : content.length / 3;
    int to = Math.min(content.length, from + 50_000);
    HttpResponse<byte[]> range = download(p, token, project, id, "bytes=" + from + "-" + (to - 1));
    assertThat(range.statusCode()).as("range through %s", p.id).isEqualTo(206);
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, from, to));
  }

  private static HttpResponse<byte[]> download(ClusterProcess p, String token, String project, String id, String range)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + "/v1/projects/" + project
        + "/files/" + id + "/content")).timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + token);
    if (range != null) r.header("Range", range);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] content(int size, long seed) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    for (int i = 0; i < size; i++) out[i] = (byte) (32 + (out[i] & 0x3f)); // printable: sniffed as text
    byte[] mark = ("text " + MARKER + "\n").getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + mark.length < size; at += 64 * 1024) System.arraycopy(mark, 0, out, at, mark.length);
    return out;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
