package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.spi.BlobStore;
import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.testkit.NodeFiles;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.ObjectInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code files.blobs.type: nats} on a real nats-server with JetStream: a file uploaded through one
 * node downloads byte-identical through another node that has none of its blob files, only the same
 * object store bucket; nothing in the server's JetStream storage is in clear.
 */
class NatsBlobsIT {

  private static final String MARKER = "NATS-PLAINTEXT-MARKER-91c2";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void uploadedThroughOneNode_downloadsByteIdenticalThroughAnother_andJetStreamHoldsNoPlaintext() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "blobs").start()) {
      JsonObject files = new JsonObject().put("blobs", new JsonObject().put("type", "nats")
          .put("natsUrls", new JsonArray().add(nats.url())).put("bucket", "test-blobs").put("replicas", 1));
      byte[] content = content(2 * (1 << 20) + 777); // three 1 MiB segments, many 128 KiB chunks
      Path a = dir.resolve("a");
      String token;
      String project;
      String id;
      try (TestNode node = TestNode.start(a, o -> o.setFiles(files))) {
        token = node.signUp("nats@files.test", "nats-password-1");
        String org = node.rest.post("/v1/orgs", token, new JsonObject().put("name", "NATS org")).ok().getString("id");
        project = node.rest.post("/v1/orgs/" + org + "/projects", token, new JsonObject().put("name", "P")).ok().getString("id");
        HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                + "/v1/projects/" + project + "/files?name=" + MARKER + ".txt")).timeout(Duration.ofSeconds(60))
            .header("authorization", "Bearer " + token).header("content-type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        id = new JsonObject(up.body()).getString("id");
      }
      assertThat(NodeFiles.regularFiles(a.resolve("data/blobs"))).as("the node keeps no blob of its own").isEmpty();

      // Another node: the same stores and keys (as a cluster's replica has them), none of the blob files.
      Path b = dir.resolve("b");
      NodeFiles.copyWithoutBlobs(a, b);
      try (TestNode node = TestNode.start(b, o -> o.setFiles(files))) {
        HttpResponse<byte[]> whole = download(node.port(), token, project, id, null);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);
        int from = (1 << 20) + 4321; // in the second segment: the object is streamed and skipped up to it
        HttpResponse<byte[]> range = download(node.port(), token, project, id, "bytes=" + from + "-" + (from + 49_999));
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, from, from + 50_000));
      }

      try (Connection nc = Nats.connect(nats.url())) {
        List<ObjectInfo> objects = nc.objectStore("test-blobs").getList();
        assertThat(objects).hasSize(1);
        assertThat(objects.get(0).getSize()).isGreaterThan(content.length);
      }
      List<Path> stored = NodeFiles.regularFiles(nats.storeDir());
      assertThat(stored).isNotEmpty();
      byte[] marker = MARKER.getBytes(StandardCharsets.UTF_8);
      for (Path f : stored) assertThat(NodeFiles.contains(f, marker)).as("plaintext in " + f).isFalse();
    }
  }

  @Test
  void theStore_putsReadsFromAnOffset_sizesAndDeletes() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "store").start()) {
      JsonObject settings = new JsonObject().put("type", "nats").put("natsUrls", nats.url());
      try (BlobStore store = new NatsBlobStoreProvider().open(settings, dir, s -> new JsonObject()).orElseThrow()) {
        byte[] bytes = new byte[700_000];
        new Random(1).nextBytes(bytes);
        Path file = Files.write(dir.resolve("one.bin"), bytes);
        store.put("org-1/blob-1", file);
        assertThat(store.size("org-1/blob-1")).isEqualTo(bytes.length);
        assertThat(store.exists("org-2/blob-1")).isFalse();
        try (InputStream in = store.get("org-1/blob-1", 300_001)) {
          assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 300_001, bytes.length));
        }
        try (InputStream in = store.get("org-1/blob-1", 0)) {
          assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOf(bytes, 10)); // closed early: the fetch stops
        }
        store.delete("org-1/blob-1");
        store.delete("org-1/blob-1"); // a missing one is fine
        assertThat(store.size("org-1/blob-1")).isEqualTo(-1);
        assertThatThrownBy(() -> store.get("org-1/blob-1", 0)).isInstanceOf(NoSuchFileException.class);
      }
    }
    assertThatThrownBy(() -> new NatsBlobStoreProvider().open(new JsonObject().put("type", "nats"), dir, s -> new JsonObject()))
        .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("files.blobs.natsUrls");
    assertThatThrownBy(() -> new NatsBlobStoreProvider().open(new JsonObject().put("type", "nats").put("natsUrls", "nats://x:1")
        .put("bucket", "a.b"), dir, s -> new JsonObject()))
        .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("files.blobs.bucket");
    assertThat(new NatsBlobStoreProvider().open(new JsonObject().put("type", "s3"), dir, s -> new JsonObject())).isEmpty();
  }

  private static HttpResponse<byte[]> download(int port, String token, String project, String id, String range) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/projects/" + project
        + "/files/" + id + "/content")).timeout(Duration.ofSeconds(60)).header("authorization", "Bearer " + token);
    if (range != null) r.header("Range", range);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] content(int size) {
    byte[] out = new byte[size];
    new Random(22).nextBytes(out);
    for (int i = 0; i < size; i++) out[i] = (byte) (32 + (out[i] & 0x3f)); // printable: sniffed as text
    byte[] mark = ("text " + MARKER + "\n").getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + mark.length < size; at += 64 * 1024) System.arraycopy(mark, 0, out, at, mark.length);
    return out;
  }

}
