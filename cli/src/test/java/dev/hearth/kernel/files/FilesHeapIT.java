package dev.hearth.kernel.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.hearth.files.v1.DownloadRequest;
import dev.hearth.files.v1.DownloadResponse;
import dev.hearth.files.v1.Entry;
import dev.hearth.files.v1.UploadRequest;
import dev.hearth.kernel.config.RunFiles;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestRest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file larger than the node's whole heap up and down through the node: it runs as a child JVM
 * ({@code -Xmx128m -XX:+ExitOnOutOfMemoryError}), the content is generated as it is sent and hashed
 * as it is received, so neither side ever holds it. REST (multipart up, plain GET down) and gRPC
 * (client stream up, server stream down).
 *
 * <p>The size is {@code -Dhearth.files.heapTestBytes} (default 150 MB for CI, above the heap) and the
 * heap {@code -Dhearth.files.heapTestXmx} (default 128m); the documented run is 1 GiB at 256m. Times,
 * throughput and the highest heap use sampled from the node's {@code /metrics} are printed.
 */
class FilesHeapIT {

  static final long SIZE = Long.getLong("hearth.files.heapTestBytes", 150L * 1000 * 1000);
  static final String XMX = System.getProperty("hearth.files.heapTestXmx", "128m");

  @TempDir static Path tmp;
  static Process serve;
  static int port;
  static String token;
  static String project;
  static final AtomicLong peakHeap = new AtomicLong();
  static volatile boolean sampling = true;

  @BeforeAll
  static void startNode() throws Exception {
    Path data = tmp.resolve("data");
    Files.writeString(tmp.resolve("config.json"), new JsonObject().put("files", new JsonObject()
        .put("maxFileBytes", 4L << 30)).encode());
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + XMX, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
        "dev.hearth.cli.Main", "serve", "--port", "0", "--host", "127.0.0.1", "--data", data.toString(),
        "--master-key-file", tmp.resolve("k").toString(), "--config", tmp.resolve("config.json").toString()));
    serve = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("serve.out").toFile())
        .redirectError(tmp.resolve("serve.err").toFile()).start();
    RunFiles run = new RunFiles(data);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.exists(run.nodeFile())) {
      assertThat(serve.isAlive()).as("serve exited early:\n%s", logs()).isTrue();
      assertThat(System.nanoTime()).as("no run/node.json after 90 s").isLessThan(deadline);
      Thread.sleep(100);
    }
    port = run.read().orElseThrow().port();
    TestRest rest = new TestRest(port);
    token = rest.post("/v1/auth/sign-up", null, new JsonObject().put("email", "heap@files.test")
        .put("password", "heap-password-1")).ok().getString("accessToken");
    String org = rest.post("/v1/orgs", token, new JsonObject().put("name", "Heavy")).ok().getString("id");
    project = rest.post("/v1/orgs/" + org + "/projects", token, new JsonObject().put("name", "Big")).ok().getString("id");
    Thread sampler = new Thread(FilesHeapIT::sampleHeap, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  @AfterAll
  static void stop() throws Exception {
    sampling = false;
    if (serve != null) {
      serve.destroy();
      if (!serve.waitFor(30, TimeUnit.SECONDS)) serve.destroyForcibly();
    }
  }

  static String logs() throws IOException {
    return Files.readString(tmp.resolve("serve.out")) + Files.readString(tmp.resolve("serve.err"));
  }

  private static final Pattern HEAP = Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)$", Pattern.MULTILINE);

  static void sampleHeap() {
    while (sampling) {
      try {
        HttpResponse<String> r = FileClient.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        Matcher m = HEAP.matcher(r.body());
        while (m.find()) sum += Double.parseDouble(m.group(1));
        long used = (long) sum;
        peakHeap.accumulateAndGet(used, Math::max);
        Thread.sleep(250);
      } catch (Exception e) {
        // the node is busy or gone; the next sample will tell
      }
    }
  }

  @Test
  void aLargeFile_goesUpAndDown_overRest_withTheHeapCapped() throws Exception {
    Generated content = new Generated(SIZE, 42);
    String boundary = "----hearth-heap";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    long bodyLength = head.length + SIZE + tail.length;
    long t0 = System.nanoTime();
    HttpResponse<String> up = FileClient.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v1/projects/" + project + "/files"))
        .timeout(Duration.ofMinutes(30)).header("authorization", "Bearer " + token)
        .header("content-type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() ->
            new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(head),
                content, new ByteArrayInputStream(tail))))), bodyLength))
        .build(), HttpResponse.BodyHandlers.ofString());
    long upNanos = System.nanoTime() - t0;
    assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
    JsonObject entry = new JsonObject(up.body());
    assertThat(entry.getString("size")).isEqualTo(Long.toString(SIZE));
    assertThat(entry.getString("sha256")).isEqualTo(content.sha256());

    long t1 = System.nanoTime();
    HttpResponse<InputStream> down = FileClient.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/v1/projects/" + project + "/files/" + entry.getString("id") + "/content"))
        .timeout(Duration.ofMinutes(30)).header("authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(down.statusCode()).isEqualTo(200);
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long got = 0;
    try (InputStream in = down.body()) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        got += n;
      }
    }
    long downNanos = System.nanoTime() - t1;
    assertThat(got).isEqualTo(SIZE);
    assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(content.sha256());
    assertThat(serve.isAlive()).as("the node died (out of memory?):\n%s", logs()).isTrue();
    report("REST", upNanos, downNanos);
  }

  @Test
  void aLargeFile_goesUpAndDown_overGrpc_withTheHeapCapped() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestGrpc grpc = new TestGrpc(vertx, port)) {
      Generated content = new Generated(SIZE, 43);
      byte[] chunk = new byte[64 * 1024]; // what docs/files.md recommends
      boolean[] first = {true};
      long t0 = System.nanoTime();
      Entry entry = grpc.clientStream(FilesGrpc.UPLOAD, () -> {
        int n;
        try {
          n = content.readNBytes(chunk, 0, chunk.length);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        if (n == 0 && !first[0]) return null;
        UploadRequest.Builder b = UploadRequest.newBuilder().setData(ByteString.copyFrom(chunk, 0, n));
        if (first[0]) {
          first[0] = false;
          b.setProjectId(project).setName("big-grpc.bin").setContentType("application/octet-stream").setSize(SIZE);
        }
        return (Message) b.build();
      }, Entry.getDefaultInstance(), token);
      long upNanos = System.nanoTime() - t0;
      assertThat(entry.getSize()).isEqualTo(SIZE);
      assertThat(entry.getSha256()).isEqualTo(content.sha256());

      long t1 = System.nanoTime();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      AtomicLong got = new AtomicLong();
      TestGrpc.Failure end = grpc.streamInto(FilesGrpc.DOWNLOAD, DownloadRequest.newBuilder().setProjectId(project)
          .setId(entry.getId()).build(), DownloadResponse.getDefaultInstance(), token, (DownloadResponse m) -> {
            byte[] b = m.getData().toByteArray();
            sha.update(b);
            got.addAndGet(b.length);
          }, 1800);
      long downNanos = System.nanoTime() - t1;
      assertThat(end.status).isEqualTo(GrpcStatus.OK);
      assertThat(got.get()).isEqualTo(SIZE);
      assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(content.sha256());
      assertThat(serve.isAlive()).as("the node died (out of memory?):\n%s", logs()).isTrue();
      report("gRPC", upNanos, downNanos);
    } finally {
      vertx.close();
    }
  }

  static void report(String transport, long upNanos, long downNanos) {
    double mb = SIZE / 1e6;
    System.out.printf("FilesHeapIT %s: %d bytes up in %.1f s (%.0f MB/s), down in %.1f s (%.0f MB/s); "
        + "node heap capped at %s, highest sampled use %d MB%n", transport, SIZE, upNanos / 1e9, mb / (upNanos / 1e9),
        downNanos / 1e9, mb / (downNanos / 1e9), XMX, peakHeap.get() >> 20);
  }

  /** {@code size} pseudo-random bytes made as they are read, hashed on the way. */
  static final class Generated extends InputStream {
    private final long size;
    private long pos;
    private long state;
    private final MessageDigest sha;
    private String hex;

    Generated(long size, long seed) throws Exception {
      this.size = size;
      this.state = seed | 1;
      this.sha = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= size) return -1;
      int n = (int) Math.min(len, size - pos);
      for (int i = 0; i < n; i++) {
        if ((pos + i & 7) == 0) {
          state ^= state << 13;
          state ^= state >>> 7;
          state ^= state << 17;
        }
        b[off + i] = (byte) (state >>> ((pos + i & 7) * 8));
      }
      sha.update(b, off, n);
      pos += n;
      return n;
    }

    /** The SHA-256 of everything, once it was all read. */
    String sha256() {
      if (pos < size) throw new IllegalStateException("read " + pos + " of " + size);
      if (hex == null) hex = HexFormat.of().formatHex(sha.digest());
      return hex;
    }
  }
}
