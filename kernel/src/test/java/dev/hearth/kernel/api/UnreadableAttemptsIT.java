package dev.hearth.kernel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.kernel.config.IdentityOptions;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: an anonymous log-in whose body cannot be read (the issue's `[`×10,000) used to answer
 * 500 without ever reaching the per-address limit. It is now a 400 that counts as an attempt from
 * its address like a readable one, so the limit applies to it too.
 */
class UnreadableAttemptsIT {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path tmp;
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(tmp, new JsonObject().put("authAttemptsPerAddress", 3).put(IdentityOptions.TEST_HASH_MEMORY_KEY, 64));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void unreadableLogIns_countTowardThePerAddressLimit() throws Exception {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = post("/v1/auth/log-in", deep);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    }
    HttpResponse<String> limited = post("/v1/auth/log-in", deep);
    assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
    assertThat(new JsonObject(limited.body()).getString("code")).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(limited.headers().firstValue("retry-after")).isPresent();
    // The same bucket: a readable attempt from that address is limited now as well.
    HttpResponse<String> readable = post("/v1/auth/log-in", "{\"email\":\"a@b.test\",\"password\":\"password-1\"}");
    assertThat(readable.statusCode()).as(readable.body()).isEqualTo(429);
    // The same path for the by-name route.
    assertThat(post("/v1/rpc/hearth.auth.v1.AuthService/LogIn", deep).statusCode()).isEqualTo(429);
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
