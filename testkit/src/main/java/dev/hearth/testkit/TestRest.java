package dev.hearth.testkit;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A blocking REST/JSON client for tests (the JDK's, so calls come from outside Vert.x). */
public final class TestRest {

  /**
   * HTTP/1.1: on plain http the JDK's default is an HTTP/1.1-to-h2c upgrade, which with Vert.x 5's server now and then
   * corrupts the connection on large answers (the cluster ITs met "Frame type(10)" errors; docs/api.md, "HTTP versions").
   */
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  private final int port;

  public TestRest(int port) {
    this.port = port;
  }

  public record Response(int status, JsonObject body, HttpHeaders headers) {
    /** The body when 2xx, else an AssertionError with the error body. */
    public JsonObject ok() {
      if (status / 100 != 2) throw new AssertionError("expected 2xx, got " + status + " " + body);
      return body;
    }

    public String code() {
      return body.getString("code");
    }
  }

  public Response call(String method, String path, String token, JsonObject body) throws Exception {
    return call(method, path, token, body, Map.of());
  }

  public Response call(String method, String path, String token, JsonObject body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) b.header("Authorization", "Bearer " + token);
    headers.forEach(b::header);
    HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonObject json = r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body());
    return new Response(r.statusCode(), json, r.headers());
  }

  public Response get(String path, String token) throws Exception {
    return call("GET", path, token, null);
  }

  public Response post(String path, String token, JsonObject body) throws Exception {
    return call("POST", path, token, body);
  }
}
