package dev.hearth.kernel.ui;

import dev.hearth.kernel.errors.ApiErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Serves the web shell that ui-schemas builds into its jar under {@code web/}: {@code /} and
 * {@code /index.html} (never cached, so a new build is picked up at once), {@code /assets/*} (file
 * names carry a content hash, so they are cached for good), and {@code index.html} for any other GET
 * outside the API that asks for HTML, so a deep link still opens the shell. Also the cards' host
 * configs, {@code GET /v1/ui/host-config/{light|dark}}, public like the shell itself, and the
 * installable app's service worker, manifest and icons at the root. The shell's
 * page carries a Content-Security-Policy ({@link #CONTENT_SECURITY_POLICY}).
 *
 * <p>Files are read from the class path on a worker. Hashed assets are kept in memory once read (a
 * few hundred KiB; a name never changes content); everything else is read again on each request, so
 * a shell rebuilt into the class path (ui-schemas' target/classes while developing) is served without
 * a restart, and carries an ETag: a browser revalidating its no-cache copy gets 304 when nothing changed.
 */
public final class WebShellRoutes {

  private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Map<String, String> TYPES = Map.of(
      "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "html", "text/html; charset=utf-8", "json", "application/json", "svg", "image/svg+xml",
      "png", "image/png", "woff2", "font/woff2", "ico", "image/x-icon", "webmanifest", "application/manifest+json");
  /**
   * The installable app's files at the root: the service worker must live at {@code /} to control
   * the shell's pages, and the manifest and icons keep fixed names the manifest can point to.
   */
  private static final List<String> APP_FILES =
      List.of("sw.js", "manifest.webmanifest", "icon.svg", "icon-192.png", "icon-512.png");
  private static final String NO_CACHE = "no-cache";
  /**
   * The shell's Content-Security-Policy. Cards show data from users and modules, so the page runs
   * only the shell's own script (no inline script, no eval), talks only to this node, and is never
   * framed. Images and media may come from any https origin (a card's Image or Media url), styles
   * inline (the card renderer sets style attributes), frames only the video players adaptivecards'
   * Media element embeds.
   */
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
      "img-src 'self' https: data: blob:", "media-src 'self' https: blob: mediastream:", "connect-src 'self'",
      "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
      "frame-src https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com https://www.dailymotion.com");
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final Vertx vertx;
  private final ClassLoader resources;
  /** Hashed assets once read; missing ones are not remembered (the build may be writing them). */
  private final Map<String, Body> assets = new ConcurrentHashMap<>();

  /**
   * A file as read, and gzipped when that makes it smaller (text: the shell's script is ~1.1 MB,
   * ~0.3 MB gzipped). Compressed here, once, rather than by the HTTP server: Vert.x's on-the-fly
   * compression sent HTTP/2 clients (h2c) a gzip header over an uncompressed body.
   */
  private record Body(Buffer plain, Buffer gzip, String etag) {}

  private WebShellRoutes(Vertx vertx, ClassLoader resources) {
    this.vertx = vertx;
    this.resources = resources;
  }

  /** Mounts the shell's routes; the SPA fallback runs after every other route. */
  public static void mount(Router router, Vertx vertx) {
    mount(router, vertx, WebShellRoutes.class.getClassLoader());
  }

  /** The same, with the shell's files read from {@code resources} (a test's own build of it). */
  static void mount(Router router, Vertx vertx, ClassLoader resources) {
    WebShellRoutes web = new WebShellRoutes(vertx, resources);
    router.get("/v1/ui/host-config/:theme").handler(web::hostConfig);
    router.get("/").handler(ctx -> web.send(ctx, "web/index.html", NO_CACHE));
    router.get("/index.html").handler(ctx -> web.send(ctx, "web/index.html", NO_CACHE));
    for (String file : APP_FILES) router.get("/" + file).handler(ctx -> web.send(ctx, "web/" + file, NO_CACHE));
    router.get("/assets/:name").handler(ctx -> {
      String name = ctx.pathParam("name");
      if (!ASSET.matcher(name).matches() || name.startsWith(".")) ctx.next();
      else web.send(ctx, "web/assets/" + name, IMMUTABLE);
    });
    // Any method, not router.get(): a GET-only catch-all would turn every unknown POST into 405.
    router.route().order(Integer.MAX_VALUE).handler(web::fallback);
  }

  private void hostConfig(RoutingContext ctx) {
    String theme = ctx.pathParam("theme");
    if (!"light".equals(theme) && !"dark".equals(theme)) {
      ApiErrors.write(ctx, 404, "NOT_FOUND", "no host config for theme '" + theme + "'; there are light and dark");
      return;
    }
    send(ctx, "dev/hearth/ui/hostconfig/" + theme + ".json", "public, max-age=300");
  }

  /** A browser opening a deep link gets the shell; API clients and other methods get the usual 404. */
  private void fallback(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String accept = String.valueOf(ctx.request().getHeader("accept"));
    boolean api = path.startsWith("/v1/") || path.startsWith("/admin/") || path.startsWith("/.well-known/");
    boolean get = ctx.request().method() == HttpMethod.GET;
    if (!get || api || !accept.contains("text/html")) ctx.next();
    else send(ctx, "web/index.html", NO_CACHE);
  }

  private void send(RoutingContext ctx, String resource, String cacheControl) {
    read(resource).onComplete(r -> {
      if (r.failed() || r.result().isEmpty()) {
        ctx.next(); // not built into this jar: the router's 404
        return;
      }
      String ext = resource.substring(resource.lastIndexOf('.') + 1);
      Body body = r.result().get();
      var response = ctx.response()
          .putHeader("content-type", TYPES.getOrDefault(ext, "application/octet-stream"))
          .putHeader("cache-control", cacheControl)
          .putHeader("x-content-type-options", "nosniff");
      if (!cacheControl.equals(IMMUTABLE)) {
        response.putHeader("etag", body.etag());
        if (body.etag().equals(ctx.request().getHeader("if-none-match"))) {
          response.setStatusCode(304).end();
          return;
        }
      }
      if (ext.equals("html")) response.putHeader("content-security-policy", CONTENT_SECURITY_POLICY);
      if (body.gzip() == null) {
        response.end(body.plain());
        return;
      }
      response.putHeader("vary", "accept-encoding");
      if (String.valueOf(ctx.request().getHeader("accept-encoding")).contains("gzip")) {
        response.putHeader("content-encoding", "gzip").end(body.gzip());
      } else {
        response.end(body.plain());
      }
    });
  }

  private static Body body(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    }
    boolean smaller = out.size() < plain.length * 0.9;
    String etag;
    try {
      etag = '"' + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plain), 0, 16) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    return new Body(Buffer.buffer(plain), smaller ? Buffer.buffer(out.toByteArray()) : null, etag);
  }

  private Future<Optional<Body>> read(String resource) {
    boolean asset = resource.startsWith("web/assets/");
    Body cached = asset ? assets.get(resource) : null;
    if (cached != null) return Future.succeededFuture(Optional.of(cached));
    return vertx.executeBlocking(() -> {
      try (InputStream in = resources.getResourceAsStream(resource)) {
        if (in == null) return Optional.<Body>empty();
        Body file = body(in.readAllBytes());
        if (asset) assets.put(resource, file);
        return Optional.of(file);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
      }
    }, false);
  }
}
