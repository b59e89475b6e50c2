package dev.hearth.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Main;
import dev.hearth.testkit.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI reaching a node behind TLS, as docs/operations.md tells operators to run one: a real node on
 * port 0 and, in front of it, an HTTPS (HTTP/2, ALPN) endpoint with a certificate made for this test
 * by the JDK's keytool, proxying to the node. A self-signed certificate is what a private CA looks
 * like to the CLI: trusted with {@code --ca-file}, refused without.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hung handshake must fail the build, not stall it
class CliTlsIT {

  private static final String USER = "tls@cli.test";
  private static final String PASSWORD = "tls-password-1";

  @TempDir static Path tmp;
  static TestNode node;
  static Vertx vertx;
  static HttpServer proxy;
  static String url;
  static Path caPem;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(tmp.resolve("node"));
    node.signUp(USER, PASSWORD);
    Path keystore = tmp.resolve("endpoint.p12");
    caPem = tmp.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "endpoint", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "san=dns:localhost", "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "test-pass", "-keypass", "test-pass");
    keytool("-exportcert", "-rfc", "-alias", "endpoint", "-keystore", keystore.toString(),
        "-storepass", "test-pass", "-file", caPem.toString());

    vertx = Vertx.vertx();
    HttpClient toNode = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    proxy = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setUseAlpn(true)
            .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("test-pass")))
        .requestHandler(req -> forward(req, toNode))
        .listen(0, "localhost").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    url = "https://localhost:" + proxy.actualPort();
  }

  /** A whole-message reverse proxy: enough for unary gRPC, which needs its trailers carried over. */
  private static void forward(HttpServerRequest req, HttpClient toNode) {
    req.body().compose(body -> toNode.request(new RequestOptions().setMethod(req.method())
        .setHost("127.0.0.1").setPort(node.port()).setURI(req.uri())).compose(out -> {
          req.headers().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("host")) out.headers().add(h.getKey(), h.getValue());
          });
          return out.send(body);
        })).compose(in -> in.body().map(body -> {
          req.response().setStatusCode(in.statusCode()).headers().addAll(in.headers());
          req.response().write(body);
          req.response().trailers().addAll(in.trailers());
          req.response().end();
          return null;
        })).onFailure(e -> req.response().setStatusCode(502).end(String.valueOf(e)));
  }

  private static void keytool(String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (node != null) node.close();
  }

  private static String[] cli(String configDir, Map<String, String> extra, String... args) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("HEARTH_CONFIG_DIR", tmp.resolve(configDir).toString());
    env.put("HEARTH_PASSWORD", PASSWORD);
    return Main.run(env, args);
  }

  @Test
  void loginWithTheCaFile_thenLaterCommandsUseTheSavedOne() {
    String[] login = cli("trusting", Map.of(), "login", "--url", url, "--user", USER, "--ca-file", caPem.toString());
    assertThat(login[0]).as(login[2]).isEqualTo("0");
    assertThat(new JsonObject(login[1]).getString("url")).isEqualTo(url);

    // No flag and no variable: the profile remembers the URL and the CA file.
    String[] me = cli("trusting", Map.of(), "auth", "me");
    assertThat(me[0]).as(me[2]).isEqualTo("0");
    assertThat(new JsonObject(me[1]).getString("email")).isEqualTo(USER);
  }

  @Test
  void theCaFileFromTheEnvironment_isTrustedToo() {
    String[] login = cli("from-env", Map.of("HEARTH_CA_FILE", caPem.toString()), "login", "--url", url, "--user", USER);
    assertThat(login[0]).as(login[2]).isEqualTo("0");
  }

  @Test
  void aSelfSignedEndpointWithoutTheCaFile_isRefusedInOneLine() {
    String[] login = cli("refusing", Map.of(), "login", "--url", url, "--user", USER);
    assertThat(login[0]).isEqualTo("1");
    assertThat(login[2]).contains("self-signed or from a CA this machine does not trust").contains("--ca-file")
        .doesNotContain("Exception").doesNotContain("sun.security");
    assertThat(login[2].strip().lines()).hasSize(1);
  }

  @Test
  void aMissingCaFile_isAUsageErrorNamingTheFlag() {
    String[] login = cli("missing", Map.of(), "login", "--url", url, "--user", USER,
        "--ca-file", tmp.resolve("no-such.pem").toString());
    assertThat(login[0]).isEqualTo("2");
    assertThat(login[2]).contains("--ca-file").contains("no-such.pem");
  }
}
