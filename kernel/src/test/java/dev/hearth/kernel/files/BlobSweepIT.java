package dev.hearth.kernel.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** At start the node deletes blob files no file uses (temp files, crash leftovers) and keeps the rest. */
class BlobSweepIT {

  @TempDir Path tmp;

  @Test
  void orphanBlobsAndTempFiles_areDeletedAtStart_andUsedBlobsKept() throws Exception {
    String token;
    String project;
    String id;
    byte[] content = "kept across restarts\n".repeat(100).getBytes(StandardCharsets.UTF_8);
    Path orgDir;
    try (TestNode node = TestNode.start(tmp)) {
      token = node.signUp("sweep@files.test", "sweep-password-1");
      String org = node.rest.post("/v1/orgs", token, new JsonObject().put("name", "Sweep")).ok().getString("id");
      project = node.rest.post("/v1/orgs/" + org + "/projects", token, new JsonObject().put("name", "S")).ok().getString("id");
      id = new FileClient(node.port()).raw(token, project, "name=kept.txt", "text/plain", content).ok().getString("id");
      orgDir = tmp.resolve("data/blobs/" + org);
    }
    Files.write(orgDir.resolve("01a20000-0000-7000-8000-00000000dead"), new byte[] {1, 2, 3}); // no record names it
    Files.write(orgDir.resolve("01a20000-0000-7000-8000-00000000beef.part"), new byte[] {4, 5}); // an upload cut short
    assertThat(files(orgDir)).hasSize(3);

    try (TestNode node = TestNode.start(tmp)) {
      assertThat(files(orgDir)).hasSize(1);
      FileClient.Answer got = new FileClient(node.port()).download(token, project, id, Map.of());
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(content);
    }
  }

  static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
