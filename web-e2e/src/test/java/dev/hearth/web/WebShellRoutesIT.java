package dev.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node serves the built shell: index never cached, hashed assets cached for good, deep links, host configs.
 * One node for both tests: they only read what it serves.
 */
class WebShellRoutesIT {

  @TempDir static Path tmp;
  static TestNode node;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = TestNode.start(tmp);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void theShellIsServedWithCacheHeaders_deepLinksGetIt_andApiPathsStayJson() throws Exception {
    String base = "http://127.0.0.1:" + node.port();
    HttpResponse<String> index = get(base + "/", "text/html");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(index.headers().firstValue("content-security-policy")).hasValueSatisfying(csp -> assertThat(csp)
        .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'"));
    assertThat(index.body()).contains("<div id=\"app\">");

    Matcher script = Pattern.compile("/assets/[A-Za-z0-9_-]+\\.js").matcher(index.body());
    assertThat(script.find()).as("index.html names its script").isTrue();
    HttpResponse<String> asset = get(base + script.group(), "*/*");
    assertThat(asset.statusCode()).isEqualTo(200);
    assertThat(asset.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    assertThat(asset.headers().firstValue("cache-control")).hasValue("public, max-age=31536000, immutable");
    // Browsers get it gzipped: a third of its size.
    HttpResponse<byte[]> gzipped = http.send(HttpRequest.newBuilder(URI.create(base + script.group()))
        .header("accept-encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(gzipped.body().length).isLessThan(asset.body().length() / 2);

    assertThat(get(base + "/p/some/deep/link", "text/html,application/xhtml+xml").body()).isEqualTo(index.body());
    assertThat(get(base + "/p/some/deep/link", "application/json").statusCode()).isEqualTo(404);
    HttpResponse<String> api = get(base + "/v1/nothing-here", "text/html");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.body()).contains("\"code\":\"NOT_FOUND\"");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/nothing-here"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).as("an unknown POST is not found, not a wrong method").isEqualTo(404);
    assertThat(get(base + "/assets/..%2Fdev%2Fhearth%2Fui%2Fhostconfig%2Flight.json", "*/*").statusCode()).isEqualTo(404);

    // The installable app: its manifest, icons and service worker at the root, never cached for long.
    var manifest = get(base + "/manifest.webmanifest", "*/*");
    assertThat(manifest.headers().firstValue("content-type")).hasValue("application/manifest+json");
    assertThat(manifest.body()).contains("\"display\": \"standalone\"", "/icon-512.png");
    assertThat(index.body()).contains("rel=\"manifest\" href=\"/manifest.webmanifest\"");
    var worker = get(base + "/sw.js", "*/*");
    assertThat(worker.headers().firstValue("cache-control")).hasValue("no-cache");
    assertThat(worker.body()).contains("/assets/");
    for (String icon : List.of("/icon-192.png", "/icon-512.png", "/icon.svg")) {
      assertThat(get(base + icon, "*/*").statusCode()).as(icon).isEqualTo(200);
    }
  }

  @Test
  void hostConfigsAreServedForBothThemes_andAnUnknownThemeIsNotFound() throws Exception {
    String base = "http://127.0.0.1:" + node.port();
    for (String theme : new String[] {"light", "dark"}) {
      HttpResponse<String> r = get(base + "/v1/ui/host-config/" + theme, "application/json");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"containerStyles\"");
    }
    assertThat(get(base + "/v1/ui/host-config/light", "*/*").body())
        .isNotEqualTo(get(base + "/v1/ui/host-config/dark", "*/*").body());
    HttpResponse<String> unknown = get(base + "/v1/ui/host-config/sepia", "application/json");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("\"code\":\"NOT_FOUND\"", "sepia");
  }

  private HttpResponse<String> get(String url, String accept) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).header("accept", accept).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
