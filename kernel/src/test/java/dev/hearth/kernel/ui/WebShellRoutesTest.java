package dev.hearth.kernel.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell's routes on a real HTTP server on port 0, reading a shell "built" into a temporary class
 * path directory the test rewrites, as {@code npm run build} rewrites ui-schemas' target/classes.
 */
class WebShellRoutesTest {

  @TempDir Path classes;
  Vertx vertx;
  HttpServer server;
  URLClassLoader loader;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(classes.resolve("web/assets"));
    build("<html><script src=\"/assets/main-AAAA1111.js\"></script></html>", "main-AAAA1111.js", "console.log('one')");
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    WebShellRoutes.mount(router, vertx, loader);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    loader.close();
  }

  @Test
  void aRebuiltShellIsServedWithoutARestart_indexRevalidates_andHashedAssetsAreImmutable() throws Exception {
    HttpResponse<String> first = get("/", null);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("main-AAAA1111.js");
    assertThat(first.headers().firstValue("cache-control")).hasValue("no-cache");
    String etag = first.headers().firstValue("etag").orElseThrow();
    assertThat(get("/", etag).statusCode()).as("unchanged: revalidated with 304").isEqualTo(304);
    HttpResponse<String> asset = get("/assets/main-AAAA1111.js", null);
    assertThat(asset.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
    assertThat(asset.headers().firstValue("etag")).isEmpty();
    assertThat(get("/assets/main-BBBB2222.js", null).statusCode()).as("not built yet").isEqualTo(404);

    // The shell is rebuilt while the node runs: a new index naming a new hashed script.
    build("<html><script src=\"/assets/main-BBBB2222.js\"></script></html>", "main-BBBB2222.js", "console.log('two')");
    HttpResponse<String> second = get("/", etag);
    assertThat(second.statusCode()).as("changed: the new index, not 304").isEqualTo(200);
    assertThat(second.body()).contains("main-BBBB2222.js");
    assertThat(second.headers().firstValue("etag")).hasValueSatisfying(v -> assertThat(v).isNotEqualTo(etag));
    assertThat(get("/index.html", null).body()).isEqualTo(second.body());
    assertThat(get("/p/x/chat/channel", null).body()).as("a deep link gets the new index too").isEqualTo(second.body());
    assertThat(get("/assets/main-BBBB2222.js", null).body()).as("a miss is not remembered").isEqualTo("console.log('two')");
  }

  private void build(String index, String asset, String script) throws Exception {
    Files.writeString(classes.resolve("web/index.html"), index);
    Files.writeString(classes.resolve("web/assets/" + asset), script);
  }

  /** A GET as a browser makes it: HTML for a page, anything for a script. */
  private HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .header("accept", path.startsWith("/assets/") ? "*/*" : "text/html");
    if (ifNoneMatch != null) request.header("if-none-match", ifNoneMatch);
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
