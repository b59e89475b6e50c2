package dev.hearth.kernel.node;

import static dev.hearth.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.TestHttp;
import dev.hearth.kernel.config.NodeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real node in-process on port 0 with its own data directory and key file. */
class NodeIT {

  @TempDir Path tmp;

  private Vertx vertx;
  private Node node;

  private NodeOptions options() {
    return new NodeOptions().setPort(0).setHost("127.0.0.1")
        .setDataDir(tmp.resolve("data")).setMasterKeyFile(tmp.resolve("master.key"));
  }

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    node = await(Node.start(vertx, options()));
  }

  @AfterEach
  void stop() throws Exception {
    await(node.close());
    await(vertx.close());
  }

  private String token() throws Exception {
    return node.runFiles().readToken();
  }

  @Test
  void health_answers200Up() throws Exception {
    HttpResponse<String> r = TestHttp.get(node.port(), "/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("UP");
  }

  @Test
  void ready_answers200ListingTheKernelStore() throws Exception {
    HttpResponse<String> r = TestHttp.get(node.port(), "/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("status")).isEqualTo("READY");
    JsonObject kernel = body.getJsonArray("stores").getJsonObject(0);
    assertThat(kernel.getString("name")).isEqualTo("kernel");
    assertThat(kernel.getLong("lastSequence")).isGreaterThanOrEqualTo(0L);
  }

  @Test
  void ready_answers503OnceShutdownBegins() throws Exception {
    node.beginShutdown();
    HttpResponse<String> r = TestHttp.get(node.port(), "/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(TestHttp.get(node.port(), "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPath_answers404JsonWithoutStackTrace() throws Exception {
    HttpResponse<String> r = TestHttp.get(node.port(), "/no/such/thing");
    assertThat(r.statusCode()).isEqualTo(404);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("code")).isEqualTo("NOT_FOUND");
    assertThat(body.getString("message")).contains("/no/such/thing");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void adminKeysStatus_withoutOrWithWrongToken_answers401() throws Exception {
    HttpResponse<String> none = TestHttp.get(node.port(), "/admin/v1/keys/status");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(none.body()).getString("code")).isEqualTo("UNAUTHENTICATED");
    HttpResponse<String> wrong = TestHttp.send("GET", node.port(), "/admin/v1/keys/status", token() + "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain(token());
  }

  @Test
  void adminKeysStatus_withToken_listsTheKernelStoreKeys() throws Exception {
    HttpResponse<String> r = TestHttp.send("GET", node.port(), "/admin/v1/keys/status", token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject kernel = new JsonArray(r.body()).getJsonObject(0);
    assertThat(kernel.getString("store")).isEqualTo("kernel");
    assertThat(kernel.getJsonArray("keys")).isNotEmpty();
  }

  @Test
  void adminKeysRotate_withToken_makesANewPrimaryKey() throws Exception {
    String before = new JsonArray(TestHttp.send("GET", node.port(), "/admin/v1/keys/status", token()).body())
        .getJsonObject(0).getString("primaryKeyId");
    HttpResponse<String> r = TestHttp.send("POST", node.port(), "/admin/v1/keys/rotate?store=kernel", token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonObject kernel = new JsonArray(r.body()).getJsonObject(0);
    assertThat(kernel.getString("primaryKeyId")).isNotEqualTo(before);
    assertThat(kernel.getJsonArray("keys").size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void adminKeysRotate_ofUnknownStore_answers404NamingIt() throws Exception {
    HttpResponse<String> r = TestHttp.send("POST", node.port(), "/admin/v1/keys/rotate?store=nope", token());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(r.body()).getString("message")).contains("'nope'");
  }

  @Test
  void runFiles_nameThisProcessAndPort_tokenIsOwnerOnly() throws Exception {
    JsonObject run = new JsonObject(Files.readString(node.runFiles().nodeFile()));
    assertThat(run.getLong("pid")).isEqualTo(ProcessHandle.current().pid());
    assertThat(run.getInteger("port")).isEqualTo(node.port());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.runFiles().tokenFile())))
        .isEqualTo("rw-------");
    assertThat(tmp.resolve("master.key")).exists();
  }

  @Test
  void secondNodeOnTheSameDataDir_failsToStart_andLeavesTheFirstNodesRunFiles() throws Exception {
    Future<Node> second = Node.start(vertx, options());
    assertThat(second.toCompletionStage().toCompletableFuture())
        .failsWithin(60, TimeUnit.SECONDS);
    assertThat(node.runFiles().nodeFile()).exists();
    assertThat(TestHttp.get(node.port(), "/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void passphrase_derivesTheMasterKey_noKeyFileIsWritten_andTheNodeRestarts() throws Exception {
    NodeOptions withPassphrase = new NodeOptions().setPort(0).setHost("127.0.0.1")
        .setDataDir(tmp.resolve("pdata")).setMasterKeyFile(tmp.resolve("unused.key"))
        .setPassphrase("correct horse battery staple".toCharArray());
    for (int start = 0; start < 2; start++) { // the second start must find the same key from the salt
      Node other = await(Node.start(vertx, withPassphrase));
      try {
        assertThat(TestHttp.get(other.port(), "/ready").statusCode()).isEqualTo(200);
      } finally {
        await(other.close());
      }
    }
    assertThat(tmp.resolve("unused.key")).doesNotExist();
    assertThat(tmp.resolve("pdata/keys/master.salt")).exists();
  }

  @Test
  void close_removesRunFiles_andTheDataDirCanBeOpenedAgain() throws Exception {
    await(node.close());
    assertThat(node.runFiles().nodeFile()).doesNotExist();
    assertThat(node.runFiles().tokenFile()).doesNotExist();
    node = await(Node.start(vertx, options())); // the lock was released; @AfterEach closes this one
    assertThat(TestHttp.get(node.port(), "/ready").statusCode()).isEqualTo(200);
  }
}
