package dev.hearth.kernel.testing;

import dev.hearth.testkit.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID Connect provider in a process of its own: navikt's mock-oauth2-server, from the
 * class path the {@code testing/oidc-provider} module resolves (its own versions, not the node's).
 * Every issuer id is a provider: {@code issuer("default")} is {@code http://127.0.0.1:<port>/default}.
 * Its login page asks for a user name (the subject) and the token's claims as JSON, which are added
 * to the ID token over the standard ones, so a test can sign in as anyone with any claim.
 *
 * <p>It is reached through a pass-through front on its own port (Host kept, so the issuer URLs name
 * the front), which can {@linkplain #tamperIdTokens tamper} with ID tokens on their way to the
 * relying party: a changed claim under the provider's real signature.
 */
public final class MockOidcProvider implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  private final int port;
  private final int frontPort;
  private final Path log;
  private final Vertx vertx = Vertx.vertx();
  private volatile boolean tamper;
  private Process process;

  private MockOidcProvider(int port, int frontPort, Path log) {
    this.port = port;
    this.frontPort = frontPort;
    this.log = log;
  }

  /** Starts the provider on a free port; {@code dir} holds its log. Waits until it answers. */
  public static MockOidcProvider start(Path dir) throws Exception {
    int port;
    int front;
    try (ServerSocket s = new ServerSocket(0); ServerSocket f = new ServerSocket(0)) {
      port = s.getLocalPort();
      front = f.getLocalPort();
    }
    MockOidcProvider p = new MockOidcProvider(port, front, dir.resolve("oidc-provider.log"));
    p.launch();
    p.startFront();
    return p;
  }

  /**
   * From now on, ID tokens in token responses reach the relying party with their payload changed
   * (the email claim replaced) and the provider's signature kept: a forged token.
   */
  public void tamperIdTokens(boolean on) {
    tamper = on;
  }

  private void startFront() {
    io.vertx.core.http.HttpClient client = vertx.createHttpClient();
    HttpServer server = vertx.createHttpServer().requestHandler(in -> in.body().compose(body ->
        // Connected to the provider, addressed to the front (the Host header): the issuer URLs it
        // writes name the front, where everyone reaches it.
        client.request(new RequestOptions().setMethod(in.method())
            .setServer(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
            .setHost("127.0.0.1").setPort(frontPort).setURI(in.uri())
            .setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(in.headers()).remove("host")))
            .compose(req -> req.send(body)).compose(resp -> resp.body().map(b -> {
              Buffer out = tamper && in.path().endsWith("/token") ? forged(b) : b;
              in.response().setStatusCode(resp.statusCode());
              resp.headers().forEach((k, v) -> { if (!k.equalsIgnoreCase("content-length")) in.response().headers().add(k, v); });
              in.response().end(out);
              return null;
            }))).onFailure(err -> in.response().setStatusCode(502).end(String.valueOf(err))));
    Await.await(server.listen(frontPort, "127.0.0.1"));
  }

  private static Buffer forged(Buffer body) {
    JsonObject json = body.toJsonObject();
    String[] parts = json.getString("id_token").split("\\.");
    Base64.Decoder dec = Base64.getUrlDecoder();
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    JsonObject claims = new JsonObject(new String(dec.decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("email", "mallory@example.org");
    json.put("id_token", parts[0] + "." + enc.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2]);
    return json.toBuffer();
  }

  /** The class path of the provider, built by the testing/oidc-provider module ({@code -Dhearth.oidcProviderLib} overrides). */
  static Path libDir() {
    String given = System.getProperty("hearth.oidcProviderLib");
    Path lib = given != null ? Path.of(given)
        : Path.of("").toAbsolutePath().getParent().resolve("testing/oidc-provider/target/lib");
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(lib + " is missing: build testing/oidc-provider first (mvn -pl kernel -am ...)");
    }
    return lib;
  }

  private void launch() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-cp",
        libDir().resolve("*").toString(), "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("SERVER_HOSTNAME", "127.0.0.1");
    pb.environment().put("SERVER_PORT", Integer.toString(port));
    pb.environment().put("JSON_CONFIG", "{\"interactiveLogin\": true, \"httpServer\": \"NettyWrapper\"}");
    process = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      if (!process.isAlive()) throw new IllegalStateException("the OIDC provider exited; see " + log);
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/isalive")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("the OIDC provider did not start in 90 s; see " + log);
      Thread.sleep(200);
    }
  }

  /** Where browsers and relying parties reach the provider (the front). */
  public String base() {
    return "http://127.0.0.1:" + frontPort;
  }

  public String issuer(String issuerId) {
    return base() + "/" + issuerId;
  }

  /**
   * Signs in on the provider's login page as a browser would (a form POST to the authorization URL)
   * and returns where the provider sends the browser: the relying party's redirect URI with
   * {@code code} and {@code state}.
   */
  public URI logIn(String authorizationUrl, String username, String claimsJson) throws Exception {
    String form = "username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)
        + "&claims=" + URLEncoder.encode(claimsJson, StandardCharsets.UTF_8);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(authorizationUrl))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 3) throw new IllegalStateException("the provider's login answered " + r.statusCode() + ": " + r.body());
    return URI.create(r.headers().firstValue("location").orElseThrow());
  }

  /** GET without following redirects: the status and the Location header (or the body). */
  public static String[] get(URI uri) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    return new String[] {Integer.toString(r.statusCode()), r.headers().firstValue("location").orElse(r.body())};
  }

  private void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    Await.await(vertx.close());
  }
}
