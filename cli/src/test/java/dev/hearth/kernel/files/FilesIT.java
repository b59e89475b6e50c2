package dev.hearth.kernel.files;

import dev.hearth.testkit.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.hearth.cli.Main;
import dev.hearth.files.v1.DownloadRequest;
import dev.hearth.files.v1.DownloadResponse;
import dev.hearth.files.v1.Entry;
import dev.hearth.files.v1.UploadRequest;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRest;
import dev.hearth.module.change.ChangeEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.hearth.testkit.TestRealtime;
import java.net.Socket;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Random;

/**
 * Project files on a real node over real HTTP and gRPC: CRUD, paging, move and rename, dedupe and
 * freeing, quota and type errors that leave nothing behind, ranges, cross-project denial, and no
 * plaintext anywhere under data/.
 */
class FilesIT {

  @TempDir static Path tmp;
  static TestNode node;
  static TestRest rest;
  static FileClient files;
  static String alice; // org-admin of Acme: projects A (alice) and B (bob's)
  static String bob; // project-user of B only
  static String org;
  static String projectA;
  static String projectB;

  static final int MAX_FILE = 4 << 20;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp, o -> o.setFiles(new JsonObject().put("maxFileBytes", MAX_FILE)
        .put("allowedTypes", new JsonArray(List.of("text/*", "image/png", "application/octet-stream")))));
    rest = node.rest;
    files = new FileClient(node.port());
    alice = node.signUp("alice@files.test", "alice-password-1");
    bob = node.signUp("bob@files.test", "bob-password-12");
    org = rest.post("/v1/orgs", alice, new JsonObject().put("name", "Acme")).ok().getString("id");
    projectA = project("A");
    projectB = project("B");
    String code = rest.post("/v1/projects/" + projectB + "/invites", alice, new JsonObject().put("role", "project-user"))
        .ok().getString("code");
    rest.post("/v1/invites/redeem", bob, new JsonObject().put("code", code)).ok();
  }

  static String project(String name) throws Exception {
    return rest.post("/v1/orgs/" + org + "/projects", alice, new JsonObject().put("name", name)).ok().getString("id");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static JsonObject folder(String token, String project, String parent, String name) throws Exception {
    return rest.post("/v1/projects/" + project + "/folders", token, new JsonObject().put("parentId", parent).put("name", name)).ok();
  }

  static JsonArray list(String project, String parent) throws Exception {
    return rest.get("/v1/projects/" + project + "/files?parentId=" + parent + "&pageSize=500", alice).ok().getJsonArray("entries");
  }

  static List<Path> blobFiles() throws Exception {
    Path blobs = node.dir.resolve("data/blobs");
    if (!Files.exists(blobs)) return List.of();
    try (Stream<Path> s = Files.walk(blobs)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static byte[] text(String s, int repeat) {
    return s.repeat(repeat).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void foldersAndFiles_createListPageMoveRenameDelete() throws Exception {
    String p = project("crud");
    JsonObject docs = folder(alice, p, "", "docs");
    JsonObject inner = folder(alice, p, docs.getString("id"), "inner");
    JsonObject file = files.raw(alice, p, "name=notes.txt&folderId=" + docs.getString("id"), "text/plain", text("hello ", 10)).ok();
    assertThat(file.getString("kind")).isEqualTo("FILE");
    assertThat(file.getString("size")).isEqualTo("60");
    assertThat(file.getString("sha256")).isEqualTo(sha(text("hello ", 10)));

    // Names are unique per folder, case-insensitively.
    TestRest.Response taken = rest.post("/v1/projects/" + p + "/folders", alice,
        new JsonObject().put("parentId", docs.getString("id")).put("name", "NOTES.txt"));
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.code()).isEqualTo("ALREADY_EXISTS");
    assertThat(rest.post("/v1/projects/" + p + "/folders", alice, new JsonObject().put("name", "a/b")).code())
        .isEqualTo("INVALID_ARGUMENT");

    // Paging: 7 folders at the root, 3 per page, oldest first.
    for (int i = 0; i < 6; i++) folder(alice, p, "", "f" + i);
    List<String> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      JsonObject page = rest.get("/v1/projects/" + p + "/files?pageSize=3&pageToken=" + token, alice).ok();
      page.getJsonArray("entries").forEach(e -> seen.add(((JsonObject) e).getString("name")));
      token = page.getString("nextPageToken");
      pages++;
    } while (!token.isEmpty());
    assertThat(seen).containsExactly("docs", "f0", "f1", "f2", "f3", "f4", "f5");
    assertThat(pages).isEqualTo(3);

    // Rename and move; a folder cannot go below itself.
    String id = file.getString("id");
    rest.post("/v1/projects/" + p + "/files/" + id + "/rename", alice, new JsonObject().put("name", "renamed.txt")).ok();
    JsonObject moved = rest.post("/v1/projects/" + p + "/files/" + id + "/move", alice,
        new JsonObject().put("parentId", inner.getString("id"))).ok();
    assertThat(moved.getString("parentId")).isEqualTo(inner.getString("id"));
    assertThat(list(p, docs.getString("id"))).extracting(e -> ((JsonObject) e).getString("name")).containsExactly("inner");
    assertThat(list(p, inner.getString("id"))).extracting(e -> ((JsonObject) e).getString("name")).containsExactly("renamed.txt");
    TestRest.Response loop = rest.post("/v1/projects/" + p + "/files/" + docs.getString("id") + "/move", alice,
        new JsonObject().put("parentId", inner.getString("id")));
    assertThat(loop.status()).isEqualTo(400);
    assertThat(loop.body().getString("message")).contains("below itself");

    // A non-empty folder stays; the file, then the folders go.
    assertThat(rest.call("DELETE", "/v1/projects/" + p + "/files/" + inner.getString("id"), alice, null).status()).isEqualTo(412);
    rest.call("DELETE", "/v1/projects/" + p + "/files/" + id, alice, null).ok();
    rest.call("DELETE", "/v1/projects/" + p + "/files/" + inner.getString("id"), alice, null).ok();
    assertThat(rest.get("/v1/projects/" + p + "/files/" + id, alice).status()).isEqualTo(404);
    assertThat(rest.get("/v1/projects/" + p + "/files-quota", alice).ok().getString("usedBytes")).isEqualTo("0");
  }

  @Test
  void metadataChanges_areChangeEventsScopedToTheProject() throws Exception {
    String p = project("log");
    var store = node.stores().store(ProjectFiles.STORE);
    long before = store.lastSequence();
    JsonObject f = folder(alice, p, "", "logged");
    rest.post("/v1/projects/" + p + "/files/" + f.getString("id") + "/rename", alice, new JsonObject().put("name", "x")).ok();
    List<ChangeEvent> events = store.readLog(before, 1000);
    assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.scope()).isEqualTo(p));
    assertThat(events).anySatisfy(e -> assertThat(e.key()).isEqualTo(f.getString("id")));
  }

  @Test
  void equalContent_isStoredOnce_andFreedWithTheLastFile() throws Exception {
    String p = project("dedupe");
    byte[] content = text("same bytes in two files\n", 5000);
    int before = blobFiles().size();
    String one = files.raw(alice, p, "name=one.txt", "text/plain", content).ok().getString("id");
    assertThat(blobFiles()).hasSize(before + 1);
    String two = files.multipart(alice, p, "", "two.txt", "text/plain", content).ok().getString("id");
    assertThat(blobFiles()).as("two uploads, one blob").hasSize(before + 1);
    // Another project of the same org shares it too; quota counts each file.
    String three = files.raw(alice, projectA, "name=three.txt", "text/plain", content).ok().getString("id");
    assertThat(blobFiles()).hasSize(before + 1);
    assertThat(rest.get("/v1/projects/" + p + "/files-quota", alice).ok().getString("usedBytes"))
        .isEqualTo(Integer.toString(2 * content.length));

    rest.call("DELETE", "/v1/projects/" + p + "/files/" + one, alice, null).ok();
    assertThat(files.download(alice, p, two, Map.of()).body()).isEqualTo(content);
    rest.call("DELETE", "/v1/projects/" + p + "/files/" + two, alice, null).ok();
    assertThat(blobFiles()).as("still used by three.txt").hasSize(before + 1);
    rest.call("DELETE", "/v1/projects/" + projectA + "/files/" + three, alice, null).ok();
    assertThat(blobFiles()).as("the last file freed it").hasSize(before);
  }

  @Test
  void overQuotaOrTooLarge_isRefusedNamingTheLimit_andLeavesNothing() throws Exception {
    String p = project("quota");
    JsonObject q = rest.call("PUT", "/v1/projects/" + p + "/files-quota", alice, new JsonObject().put("quotaBytes", 100_000)).ok();
    assertThat(q.getString("quotaBytes")).isEqualTo("100000");
    // bob is no admin of the project: he cannot raise it.
    assertThat(rest.call("PUT", "/v1/projects/" + projectB + "/files-quota", bob, new JsonObject().put("quotaBytes", 1)).status())
        .isEqualTo(403);
    List<Path> before = blobFiles();

    // Declared size (Content-Length) over the quota: refused before the content is read.
    FileClient.Answer declared = files.raw(alice, p, "name=big.bin", "application/octet-stream", new byte[150_000]);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.json().getString("code")).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(declared.json().getString("message")).contains("project quota exceeded").contains("100000");
    assertThat(declared.json().getJsonObject("details").getString("quota")).isEqualTo("project");

    // Multipart has no size up front: refused while streaming, at the quota.
    FileClient.Answer streamed = files.multipart(alice, p, "", "big.bin", "application/octet-stream", new byte[150_000]);
    assertThat(streamed.status()).isEqualTo(413);
    assertThat(streamed.json().getString("message")).contains("project quota exceeded");

    // Over files.maxFileBytes (4 MiB) with a quota that would allow it.
    rest.call("PUT", "/v1/projects/" + p + "/files-quota", alice, new JsonObject().put("quotaBytes", 100L << 20)).ok();
    FileClient.Answer huge = files.multipart(alice, p, "", "huge.bin", "application/octet-stream", new byte[MAX_FILE + 1]);
    assertThat(huge.status()).isEqualTo(413);
    assertThat(huge.json().getString("message")).contains("files.maxFileBytes");

    // gRPC: the same quota error, as RESOURCE_EXHAUSTED.
    rest.call("PUT", "/v1/projects/" + p + "/files-quota", alice, new JsonObject().put("quotaBytes", 100_000)).ok();
    assertThatThrownBy(() -> grpcUpload(alice, p, "", "g.bin", "application/octet-stream", new byte[300_000], 64 * 1024, false))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
          assertThat(f.status).isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
          assertThat(f.getMessage()).contains("project quota exceeded");
        });

    waitForNoPartFiles();
    assertThat(blobFiles()).as("nothing stored").containsExactlyInAnyOrderElementsOf(before);
    assertThat(list(p, "")).isEmpty();
    assertThat(rest.get("/v1/projects/" + p + "/files-quota", alice).ok().getString("usedBytes")).isEqualTo("0");
  }

  @Test
  void aClientThatGoesAwayMidUpload_leavesNothing() throws Exception {
    String p = project("gone");
    List<Path> before = blobFiles();
    try (Socket socket = new Socket("127.0.0.1", node.port())) {
      var out = socket.getOutputStream();
      out.write(("POST /v1/projects/" + p + "/files?name=half.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Authorization: Bearer " + alice + "\r\nContent-Type: application/octet-stream\r\n"
          + "Content-Length: 2000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[300_000]);
      out.flush();
      for (int i = 0; i < 100 && blobFiles().stream().noneMatch(f -> f.toString().endsWith(".part")); i++) Thread.sleep(20);
      assertThat(blobFiles()).as("the upload is under way").anySatisfy(f -> assertThat(f.toString()).endsWith(".part"));
    } // closed with 1.7 MB unsent
    waitForNoPartFiles();
    assertThat(blobFiles()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(list(p, "")).isEmpty();
  }

  @Test
  void typesNotAllowed_areRefusedNamingTheType_declaredOrSniffed() throws Exception {
    String p = project("types");
    List<Path> before = blobFiles();
    FileClient.Answer declared = files.raw(alice, p, "name=setup.exe", "application/x-msdownload", text("MZ....", 10));
    assertThat(declared.status()).isEqualTo(400);
    assertThat(declared.json().getString("code")).isEqualTo("INVALID_ARGUMENT");
    assertThat(declared.json().getString("message")).contains("application/x-msdownload").contains("files.allowedTypes");

    byte[] elf = new byte[4096];
    elf[0] = 0x7f;
    elf[1] = 'E';
    elf[2] = 'L';
    elf[3] = 'F';
    FileClient.Answer sniffed = files.multipart(alice, p, "", "cat.png", "image/png", elf);
    assertThat(sniffed.status()).isEqualTo(400);
    assertThat(sniffed.json().getString("message")).contains("application/x-executable").contains("sniffed");
    assertThatThrownBy(() -> grpcUpload(alice, p, "", "cat.png", "image/png", elf, 1024, true))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> {
          assertThat(f.status).isEqualTo(GrpcStatus.INVALID_ARGUMENT);
          assertThat(f.getMessage()).contains("application/x-executable");
        });

    waitForNoPartFiles();
    assertThat(blobFiles()).containsExactlyInAnyOrderElementsOf(before);
    assertThat(list(p, "")).isEmpty();
  }

  @Test
  void download_servesRanges_206_and416() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 17]; // spans several 1 MiB segments
    new Random(7).nextBytes(content);
    String id = files.raw(alice, projectA, "name=ranges.bin", "application/octet-stream", content).ok().getString("id");

    FileClient.Answer whole = files.download(alice, projectA, id, Map.of());
    assertThat(whole.status()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(content);
    assertThat(whole.headers().firstValue("accept-ranges")).contains("bytes");

    FileClient.Answer mid = files.download(alice, projectA, id, Map.of("Range", "bytes=1048570-2097160"));
    assertThat(mid.status()).isEqualTo(206);
    assertThat(mid.headers().firstValue("content-range")).contains("bytes 1048570-2097160/" + content.length);
    assertThat(mid.body()).isEqualTo(Arrays.copyOfRange(content, 1048570, 2097161));

    FileClient.Answer tail = files.download(alice, projectA, id, Map.of("Range", "bytes=-10"));
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, content.length - 10, content.length));
    assertThat(files.download(alice, projectA, id, Map.of("Range", "bytes=" + content.length + "-")).status()).isEqualTo(416);

    // gRPC: entry first, then the bytes of the asked range.
    TestGrpc.Stream<DownloadResponse> s = node.grpc.stream(FilesGrpc.DOWNLOAD, DownloadRequest.newBuilder()
        .setProjectId(projectA).setId(id).setOffset(5).setLength(1_000_000).build(), DownloadResponse.getDefaultInstance(), alice);
    assertThat(s.next(10).getEntry().getSha256()).isEqualTo(sha(content));
    assertThat(s.awaitEnd(30).status).isEqualTo(GrpcStatus.OK);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    s.messages.forEach(m -> got.writeBytes(m.getData().toByteArray()));
    assertThat(got.toByteArray()).isEqualTo(Arrays.copyOfRange(content, 5, 1_000_005));
  }

  @Test
  void otherProjectsFiles_areDenied_onEveryRoute() throws Exception {
    String id = files.raw(alice, projectA, "name=secret.txt", "text/plain", text("for A only ", 3)).ok().getString("id");
    // bob has a role in B only.
    FileClient.Answer direct = files.download(bob, projectA, id, Map.of());
    assertThat(direct.status()).isEqualTo(403);
    assertThat(direct.json().getString("code")).isEqualTo("PERMISSION_DENIED");
    assertThat(files.download(bob, projectB, id, Map.of()).status()).as("A's file through B").isEqualTo(404);
    assertThat(rest.get("/v1/projects/" + projectB + "/files/" + id, bob).status()).isEqualTo(404);
    assertThat(rest.get("/v1/projects/" + projectA + "/files", bob).status()).isEqualTo(403);
    assertThat(files.download(null, projectA, id, Map.of()).status()).isEqualTo(401);
    assertThat(files.raw(bob, projectA, "name=x.txt", "text/plain", text("x", 10)).status()).isEqualTo(403);
    assertThat(rest.call("DELETE", "/v1/projects/" + projectA + "/files/" + id, bob, null).status()).isEqualTo(403);
    assertThatThrownBy(() -> grpcDownload(bob, projectA, id)).isInstanceOfSatisfying(TestGrpc.Failure.class,
        f -> assertThat(f.status).isEqualTo(GrpcStatus.PERMISSION_DENIED));
    assertThatThrownBy(() -> grpcUpload(bob, projectA, "", "y.txt", "text/plain", text("y", 10), 4, false))
        .isInstanceOfSatisfying(TestGrpc.Failure.class, f -> assertThat(f.status).isEqualTo(GrpcStatus.PERMISSION_DENIED));
    // A's folder as a parent in B is no folder of B: NOT_FOUND naming the field, as an unknown one (docs/files.md).
    String aFolder = folder(alice, projectA, "", "a-only").getString("id");
    for (String parent : List.of(aFolder, "0190a5c2-0000-7000-8000-000000000000")) {
      TestRest.Response created = rest.post("/v1/projects/" + projectB + "/folders", bob,
          new JsonObject().put("parentId", parent).put("name", "inside"));
      assertThat(created.status()).isEqualTo(404);
      assertThat(created.code()).isEqualTo("NOT_FOUND");
      assertThat(created.body().getJsonObject("details").getString("field")).isEqualTo("parentId");
      FileClient.Answer upload = files.raw(bob, projectB, "name=in.txt&folderId=" + parent, "text/plain", text("z", 10));
      assertThat(upload.status()).isEqualTo(404);
      assertThat(upload.json().getJsonObject("details").getString("field")).isEqualTo("folderId");
    }
    // In his own project bob uploads and reads.
    Entry mine = grpcUpload(bob, projectB, "", "mine.txt", "text/plain", text("bob's ", 100), 100, true);
    assertThat(grpcDownload(bob, projectB, mine.getId())).isEqualTo(text("bob's ", 100));
  }

  @Test
  void storedData_holdsNoPlaintext_ofContentsOrNames() throws Exception {
    String marker = "PLAINTEXT-MARKER-7f3a9c";
    String nameMarker = "NAME-MARKER-51be";
    byte[] content = text(marker + " lorem ipsum\n", 20_000);
    files.raw(alice, projectA, "name=" + nameMarker + "-raw.txt", "text/plain", content).ok();
    files.multipart(alice, projectA, "", nameMarker + "-multi.txt", "text/plain", text(marker + " multipart\n", 3000)).ok();
    grpcUpload(alice, projectA, "", nameMarker + "-grpc.txt", "text/plain", text(marker + " grpc\n", 3000), 8192, true);
    Await.await(node.stores().store(ProjectFiles.STORE).checkpoint());
    List<Path> all;
    try (Stream<Path> s = Files.walk(node.dir.resolve("data"))) {
      all = s.filter(Files::isRegularFile).toList();
    }
    assertThat(all).anySatisfy(f -> assertThat(f.toString()).contains("blobs"));
    byte[][] needles = {marker.getBytes(StandardCharsets.UTF_8), nameMarker.getBytes(StandardCharsets.UTF_8)};
    for (Path f : all) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(f);
      } catch (NoSuchFileException gone) {
        continue; // a store's WAL segment removed by a checkpoint since the listing
      }
      for (byte[] needle : needles) {
        assertThat(indexOf(bytes, needle)).as("%s holds %s in clear", f, new String(needle, StandardCharsets.UTF_8)).isEqualTo(-1);
      }
    }
  }

  @Test
  void cli_uploadsAndDownloads_streaming_withProgressOnStderr() throws Exception {
    byte[] content = new byte[2 * 1024 * 1024 + 5];
    new Random(11).nextBytes(content);
    Path in = tmp.resolve("cli-in.bin");
    Files.write(in, content);
    String[] up = Main.run(node.cliEnv(alice), "files", "upload", in.toString(), "--project", projectA, "--type", "application/octet-stream");
    assertThat(up[0]).as(up[2]).isEqualTo("0");
    assertThat(up[2]).contains("uploaded " + content.length + " of " + content.length + " bytes (100%)");
    JsonObject entry = new JsonObject(up[1]);
    assertThat(entry.getString("name")).isEqualTo("cli-in.bin");
    assertThat(entry.getString("sha256")).isEqualTo(sha(content));

    Path out = tmp.resolve("cli-out.bin");
    String[] down = Main.run(node.cliEnv(alice), "files", "download", entry.getString("id"), "--project", projectA, "-o", out.toString());
    assertThat(down[0]).as(down[2]).isEqualTo("0");
    assertThat(down[2]).contains("downloaded " + content.length);
    assertThat(Files.readAllBytes(out)).isEqualTo(content);

    String[] denied = Main.run(node.cliEnv(bob), "files", "download", entry.getString("id"), "--project", projectA, "-o", out.toString());
    assertThat(denied[0]).isEqualTo("1");
    assertThat(denied[2]).contains("PERMISSION_DENIED");
  }

  @Test
  void projectTopic_tellsMembersOfEntryAndUsageChanges_andRefusesOthers() throws Exception {
    String p = project("live");
    String topic = "files/project/" + p;
    try (var live = TestRealtime.connect(node, alice);
        var outsider = TestRealtime.connect(node, bob)) {
      live.subscribe(topic, null);
      byte[] content = text("live", 3);
      String id = files.raw(alice, p, "name=live.txt", "text/plain", content).ok().getString("id");
      // One write: the entry and the project's usage, one event each.
      Map<String, JsonObject> upload = byEvent(live.events(topic, 2));
      assertThat(upload.get("entry.put").getString("id")).isEqualTo(id);
      assertThat(upload.get("entry.put").getString("name")).isEqualTo("live.txt");
      assertThat(upload.get("usage.changed").getLong("usedBytes")).isEqualTo(content.length);
      assertThat(upload.get("usage.changed").getLong("quotaBytes")).isZero();
      rest.call("PUT", "/v1/projects/" + p + "/files-quota", alice, new JsonObject().put("quotaBytes", 5000)).ok();
      JsonObject quota = live.events(topic, 1).get(0);
      assertThat(quota.getString("event")).isEqualTo("usage.changed");
      assertThat(quota.getJsonObject("data").getLong("quotaBytes")).isEqualTo(5000);
      rest.call("DELETE", "/v1/projects/" + p + "/files/" + id, alice, null).ok();
      Map<String, JsonObject> deleted = byEvent(live.events(topic, 2));
      assertThat(deleted.get("entry.deleted").getString("id")).isEqualTo(id);
      assertThat(deleted.get("usage.changed").getLong("usedBytes")).isZero();
      JsonObject refused = outsider.request(new JsonObject().put("type", "subscribe").put("topic", topic));
      assertThat(refused.encode()).contains("PERMISSION_DENIED");
    }
  }

  static Map<String, JsonObject> byEvent(List<JsonObject> frames) {
    Map<String, JsonObject> out = new HashMap<>();
    for (JsonObject f : frames) out.put(f.getString("event"), f.getJsonObject("data"));
    assertThat(out).hasSize(frames.size());
    return out;
  }

  // ---- helpers

  static Entry grpcUpload(String token, String project, String folder, String name, String type, byte[] content,
      int chunk, boolean declareSize) {
    int[] at = {0};
    boolean[] first = {true};
    return node.grpc.clientStream(FilesGrpc.UPLOAD, () -> {
      if (!first[0] && at[0] >= content.length) return null;
      int n = Math.min(chunk, content.length - at[0]);
      UploadRequest.Builder b = UploadRequest.newBuilder().setData(ByteString.copyFrom(content, at[0], n));
      at[0] += n;
      if (first[0]) {
        first[0] = false;
        b.setProjectId(project).setFolderId(folder).setName(name).setContentType(type);
        if (declareSize) b.setSize(content.length);
      }
      return (Message) b.build();
    }, Entry.getDefaultInstance(), token);
  }

  static byte[] grpcDownload(String token, String project, String id) throws Exception {
    TestGrpc.Stream<DownloadResponse> s = node.grpc.stream(FilesGrpc.DOWNLOAD,
        DownloadRequest.newBuilder().setProjectId(project).setId(id).build(), DownloadResponse.getDefaultInstance(), token);
    TestGrpc.Failure end = s.awaitEnd(30);
    if (end.status != GrpcStatus.OK) throw end;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    s.messages.forEach(m -> out.writeBytes(m.getData().toByteArray()));
    return out.toByteArray();
  }

  /** Aborted uploads delete their temp file once their queued writes are done. */
  static void waitForNoPartFiles() throws Exception {
    for (int i = 0; i < 100; i++) {
      if (blobFiles().stream().noneMatch(f -> f.toString().endsWith(".part"))) return;
      Thread.sleep(50);
    }
    throw new AssertionError("temp files left: " + blobFiles());
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}
