package dev.hearth.kernel.files;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Raw HTTP for file routes in tests: multipart and raw uploads, downloads with headers (the JDK's client). */
final class FileClient {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  FileClient(int port) {
    this.port = port;
  }

  record Answer(int status, byte[] body, HttpHeaders headers) {
    JsonObject json() {
      return new JsonObject(new String(body, StandardCharsets.UTF_8));
    }

    JsonObject ok() {
      if (status != 200) throw new AssertionError("expected 200, got " + status + " " + new String(body, StandardCharsets.UTF_8));
      return json();
    }
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** POST the raw content ({@code ?name=} required) with {@code type} as its content type. */
  Answer raw(String token, String project, String query, String type, byte[] content) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/projects/" + project + "/files?" + query))
        .timeout(Duration.ofSeconds(60)).header("content-type", type).POST(HttpRequest.BodyPublishers.ofByteArray(content));
    if (token != null) b.header("authorization", "Bearer " + token);
    return send(b);
  }

  /** POST one file part as multipart/form-data. */
  Answer multipart(String token, String project, String query, String filename, String type, byte[] content) throws Exception {
    String boundary = "----hearth" + System.nanoTime();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
        + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(content);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/projects/" + project + "/files" + (query.isEmpty() ? "" : "?" + query)))
        .timeout(Duration.ofSeconds(60)).header("content-type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    if (token != null) b.header("authorization", "Bearer " + token);
    return send(b);
  }

  Answer download(String token, String project, String id, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/v1/projects/" + project + "/files/" + id + "/content"))
        .timeout(Duration.ofSeconds(60)).GET();
    if (token != null) b.header("authorization", "Bearer " + token);
    headers.forEach(b::header);
    return send(b);
  }

  private static Answer send(HttpRequest.Builder b) throws Exception {
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), r.body(), r.headers());
  }

}
