package dev.hearth.kernel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.testkit.NodeFiles;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code files.blobs.type: s3} against a real S3-compatible server: Adobe's S3Mock, its executable
 * jar (copied to {@code target/s3mock} by the build) run as a child process. A file uploaded through
 * one node downloads byte-identical through another node that has none of its blob files, only the
 * same bucket; nothing in the bucket's storage is in clear.
 */
class S3BlobsIT {

  private static final String BUCKET = "hearth-files";
  private static final String MARKER = "S3-PLAINTEXT-MARKER-7f3a";

  @TempDir static Path shared;
  private static Process s3mock;
  private static String endpoint;
  private static Path s3root;

  @TempDir Path tmp;

  @BeforeAll
  static void startS3() throws Exception {
    Path jar = Path.of("target/s3mock/s3mock.jar");
    assertThat(jar).as("S3Mock's jar, copied by the dependency plugin before the ITs").exists();
    int http = freePort();
    int https = freePort();
    s3root = Files.createDirectories(shared.resolve("s3"));
    s3mock = new ProcessBuilder("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
        "--com.adobe.testing.s3mock.httpPort=" + http, "--server.port=" + https,
        "--com.adobe.testing.s3mock.store.initialBuckets=" + BUCKET,
        "--com.adobe.testing.s3mock.store.root=" + s3root, "--com.adobe.testing.s3mock.store.retainFilesOnExit=true")
        .redirectErrorStream(true).redirectOutput(shared.resolve("s3mock.log").toFile()).start();
    endpoint = "http://127.0.0.1:" + http;
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (true) {
      try {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains(BUCKET)) break;
      } catch (IOException e) {
        // not listening yet
      }
      if (!s3mock.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Mock did not start: " + Files.readString(shared.resolve("s3mock.log")));
      }
      Thread.sleep(500);
    }
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (s3mock != null) {
      s3mock.destroy();
      if (!s3mock.waitFor(20, TimeUnit.SECONDS)) s3mock.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** files.blobs of a node on the test's S3 server; credentials from files, as an operator would keep them. */
  private JsonObject blobs() throws IOException {
    Path id = tmp.resolve("s3-access-key-id");
    Path secret = tmp.resolve("s3-secret-access-key");
    Files.writeString(id, "hearth-test-key\n");
    Files.writeString(secret, "hearth-test-secret-never-logged\n");
    return new JsonObject().put("type", "s3").put("endpoint", endpoint).put("bucket", BUCKET).put("pathStyle", true)
        .put("accessKeyIdFile", id.toString()).put("secretAccessKeyFile", secret.toString());
  }

  @Test
  void uploadedThroughOneNode_downloadsByteIdenticalThroughAnother_andTheBucketHoldsNoPlaintext() throws Exception {
    JsonObject blobs = blobs();
    byte[] content = content(3 * (1 << 20) + 12_345); // over three 1 MiB segments
    Path a = tmp.resolve("a");
    String token;
    String project;
    String id;
    try (TestNode node = TestNode.start(a, o -> o.setFiles(new JsonObject().put("blobs", blobs)))) {
      token = node.signUp("s3@files.test", "s3-password-1");
      String org = node.rest.post("/v1/orgs", token, new JsonObject().put("name", "S3 org")).ok().getString("id");
      project = node.rest.post("/v1/orgs/" + org + "/projects", token, new JsonObject().put("name", "P")).ok().getString("id");
      id = new FileClient(node.port()).raw(token, project, "name=" + MARKER + ".txt", "text/plain", content).ok().getString("id");
      FileClient.Answer got = new FileClient(node.port()).download(token, project, id, Map.of());
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(content);
    }
    assertThat(NodeFiles.regularFiles(a.resolve("data/blobs"))).as("the node keeps no blob of its own").isEmpty();

    // Another node: the same stores and keys (as a cluster's replica has them), none of the blob files.
    Path b = tmp.resolve("b");
    NodeFiles.copyWithoutBlobs(a, b);
    try (TestNode node = TestNode.start(b, o -> o.setFiles(new JsonObject().put("blobs", blobs)))) {
      FileClient files = new FileClient(node.port());
      FileClient.Answer whole = files.download(token, project, id, Map.of());
      assertThat(whole.status()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(content);
      // A range past the first segment: a ranged GET on the bucket, decrypted from its segment.
      long from = (1 << 20) + 1000;
      FileClient.Answer range = files.download(token, project, id, Map.of("Range", "bytes=" + from + "-" + (from + 99_999)));
      assertThat(range.status()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, (int) from, (int) from + 100_000));
    }

    List<Path> stored = NodeFiles.regularFiles(s3root);
    assertThat(stored).as("the bucket's objects on S3Mock's disk").isNotEmpty();
    assertThat(stored.stream().mapToLong(S3BlobsIT::size).max().orElseThrow()).isGreaterThan(content.length);
    byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
    for (Path f : stored) {
      assertThat(NodeFiles.contains(f, marker)).as("plaintext in " + f).isFalse();
    }
  }

  @Test
  void badS3Settings_areRefusedNamingTheKey() throws Exception {
    JsonObject good = blobs();
    assertThatThrownBy(() -> S3BlobStore.open(good.copy().put("bucket", "No_Such"), Map.of()))
        .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("files.blobs.bucket");
    assertThatThrownBy(() -> S3BlobStore.open(good.copy().put("endpoint", "ftp://x"), Map.of()))
        .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("files.blobs.endpoint");
    JsonObject noKeys = good.copy();
    noKeys.remove("secretAccessKeyFile");
    assertThatThrownBy(() -> S3BlobStore.open(noKeys, Map.of()))
        .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("files.blobs.secretAccessKeyFile")
        .hasMessageContaining(S3BlobStore.ENV_SECRET_ACCESS_KEY);
    // From the environment instead, and the secret never in a message: a missing bucket names the bucket only.
    JsonObject fromEnv = good.copy().put("bucket", "no-such-bucket");
    fromEnv.remove("accessKeyIdFile");
    fromEnv.remove("secretAccessKeyFile");
    assertThatThrownBy(() -> S3BlobStore.open(fromEnv, Map.of(S3BlobStore.ENV_ACCESS_KEY_ID, "k",
        S3BlobStore.ENV_SECRET_ACCESS_KEY, "env-secret-value")))
        .hasMessageContaining("no-such-bucket").hasMessageNotContaining("env-secret-value");
  }

  private static byte[] content(int size) {
    byte[] out = new byte[size];
    new Random(22).nextBytes(out);
    byte[] head = ("text " + MARKER + "\n").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < size; i++) out[i] = (byte) (32 + (out[i] & 0x3f)); // printable: sniffed as text
    for (int at = 0; at + head.length < size; at += 64 * 1024) System.arraycopy(head, 0, out, at, head.length);
    return out;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

}
