package dev.hearth.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SMTP server in a process of its own: GreenMail standalone, from the jar the
 * {@code testing/smtp-server} module copies ({@code -Dhearth.smtpServerLib} overrides where). It takes
 * mail for any address on a free port and keeps it; {@link #messages} reads a mailbox through
 * GreenMail's REST API on a second port. One account is configured, {@link #USERNAME} /
 * {@link #PASSWORD}, for a client that logs in.
 */
public final class GreenMailServer implements AutoCloseable {

  public static final String USERNAME = "hearth";
  public static final String PASSWORD = "smtp-test-secret";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final int smtpPort;
  private final int apiPort;
  private final Path log;
  private Process process;

  private GreenMailServer(int smtpPort, int apiPort, Path log) {
    this.smtpPort = smtpPort;
    this.apiPort = apiPort;
    this.log = log;
  }

  /** Starts the server on free ports; {@code dir} holds its log. Waits until it answers. */
  public static GreenMailServer start(Path dir) throws Exception {
    int smtp;
    int api;
    try (ServerSocket s = new ServerSocket(0); ServerSocket a = new ServerSocket(0)) {
      smtp = s.getLocalPort();
      api = a.getLocalPort();
    }
    GreenMailServer g = new GreenMailServer(smtp, api, dir.resolve("greenmail.log"));
    g.launch();
    return g;
  }

  static Path jar() {
    String given = System.getProperty("hearth.smtpServerLib");
    Path lib = given != null ? Path.of(given)
        : Path.of("").toAbsolutePath().getParent().resolve("testing/smtp-server/target/lib");
    Path jar = lib.resolve("greenmail-standalone.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build testing/smtp-server first (mvn -pl <module> -am ...)");
    }
    return jar;
  }

  private void launch() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1",
        "-Dgreenmail.smtp.hostname=127.0.0.1", "-Dgreenmail.smtp.port=" + smtpPort,
        "-Dgreenmail.api.hostname=127.0.0.1", "-Dgreenmail.api.port=" + apiPort,
        "-Dgreenmail.users=" + USERNAME + ":" + PASSWORD + "@example.test",
        "-jar", jar().toString()));
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      if (!process.isAlive()) throw new IllegalStateException("GreenMail exited; see " + log);
      try {
        if (get("/api/configuration").statusCode() == 200) return;
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("GreenMail did not start in 90 s; see " + log);
      Thread.sleep(200);
    }
  }

  public int smtpPort() {
    return smtpPort;
  }

  /** The mail {@code address} received, oldest first: {@code subject} and the raw {@code mimeMessage} of each. */
  public List<JsonObject> messages(String address) throws Exception {
    HttpResponse<String> r = get("/api/user/" + URLEncoder.encode(address, StandardCharsets.UTF_8) + "/messages/");
    if (r.statusCode() != 200) return List.of(); // no mailbox yet: nothing came
    List<JsonObject> out = new ArrayList<>();
    new JsonArray(r.body()).forEach(o -> out.add((JsonObject) o));
    return out;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
  }
}
