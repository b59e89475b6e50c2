package dev.hearth.kernel.api;

import dev.hearth.kernel.config.HttpOptions;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an HTTP/1.1 connection may hold before it has asked for anything, set on purpose rather than
 * left to Netty's defaults (none): {@link HttpOptions#idleTimeoutSeconds} without a complete request
 * head closes it (an idle connection, or a head sent a byte at a time), a request body that stops
 * arriving for {@link HttpOptions#requestReadTimeoutSeconds} is answered 408, and an HTTP/1.1 request
 * without {@code Host} is answered 400 — each with the connection closed, since its framing can no
 * longer be trusted.
 *
 * <p>Vert.x's own idle timeout closes a connection whatever it is doing, so a long call, a quiet
 * WebSocket or a gRPC stream would die with it: it only guards a connection's first bytes ({@link
 * #serverOptions}). Here a request being served and an upgraded WebSocket are never idle; an HTTP/2
 * connection (gRPC, h2c) is idle once none of its streams is open, and then closed after the same
 * timeout. One periodic sweep checks every tracked connection on its own event loop.
 */
public final class ConnectionLimits {

  private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);

  private final HttpOptions options;
  private final Map<String, Tracked> connections = new ConcurrentHashMap<>();
  private final long sweep;
  private final Vertx vertx;

  private ConnectionLimits(Vertx vertx, HttpOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.sweep = vertx.setPeriodic(1000, t -> connections.values().forEach(c -> c.context.runOnContext(v -> c.check())));
  }

  /**
   * Installs the limits on {@code server} (before it listens) around {@code handler}, the server's
   * request handler; stop the sweep with {@link #close}.
   */
  public static ConnectionLimits install(Vertx vertx, HttpServer server, HttpOptions options,
      Handler<HttpServerRequest> handler) {
    ConnectionLimits limits = new ConnectionLimits(vertx, options);
    limits.installOn(server, handler);
    return limits;
  }

  /** Limits for several servers (one per event loop) sharing one sweep; {@link #installOn} each. */
  public static ConnectionLimits create(Vertx vertx, HttpOptions options) {
    return new ConnectionLimits(vertx, options);
  }

  /** Installs these limits on one more {@code server}, before it listens, around {@code handler}. */
  public void installOn(HttpServer server, Handler<HttpServerRequest> handler) {
    server.connectionHandler(this::opened);
    server.requestHandler(request -> {
      if (admit(request)) handler.handle(request);
    });
  }

  /** The connection from {@code remote} became a WebSocket: it leaves the idle rule (realtime has its own). */
  public void upgraded(SocketAddress remote) {
    if (remote != null) connections.remove(key(remote));
  }

  private static String key(SocketAddress a) {
    return a.hostAddress() + " " + a.port();
  }

  /** Connections being watched (HTTP/1.1, not upgraded), for tests and metrics. */
  public int tracked() {
    return connections.size();
  }

  public void close() {
    vertx.cancelTimer(sweep);
  }

  /**
   * The server options for these limits. Netty's idle timeout is on from the moment a connection is
   * accepted, because until its first bytes say HTTP/1.1 or HTTP/2 a connection is not yet an HTTP
   * connection anyone else sees: it closes connections that never send a byte. Once a connection
   * is one, {@link #opened} turns it off and the rules here apply instead.
   */
  public static HttpServerOptions serverOptions(HttpServerOptions server, HttpOptions options) {
    return server.setIdleTimeout(options.idleTimeoutSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  /** Turns Netty's idle timeout off for a connection that has become HTTP (see {@link #serverOptions}). */
  private static void disableNettyIdle(HttpConnection conn) {
    // Vert.x offers no per-connection idle setting; its connections are ConnectionBase, whose
    // pipeline holds the IdleStateHandler as "idle". Replaced (not removed): Vert.x finds handlers by that name.
    if (!(conn instanceof ConnectionBase base)) return;
    ChannelPipeline pipeline = base.channel().pipeline();
    if (pipeline.get("idle") instanceof IdleStateHandler) pipeline.replace("idle", "idle", new IdleStateHandler(0, 0, 0));
  }

  private void opened(HttpConnection conn) {
    disableNettyIdle(conn);
    SocketAddress remote = conn.remoteAddress();
    if (remote == null) return;
    Tracked t = new Tracked(conn, Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext());
    connections.put(key(remote), t);
    conn.closeHandler(v -> connections.remove(key(remote), t));
    conn.exceptionHandler(t::failed);
  }

  /** False when the request was answered here (and its connection closed). */
  private boolean admit(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      SocketAddress remote = request.connection().remoteAddress();
      Tracked t = remote == null ? null : connections.get(key(remote));
      if (t != null) t.streamOpened(request);
      return true;
    }
    if (request.version() == HttpVersion.HTTP_1_1 && request.headers().get("host") == null) {
      log.debug("refused an HTTP/1.1 request without Host from {}", request.remoteAddress());
      refuse(request, 400, "INVALID_ARGUMENT", "an HTTP/1.1 request needs a Host header",
          new JsonObject().put("field", "Host"));
      return false;
    }
    SocketAddress remote = request.connection().remoteAddress();
    Tracked t = remote == null ? null : connections.get(key(remote));
    if (t != null) t.started(request);
    return true;
  }

  /** Answers {@code status} with a JSON error and closes the connection once it is written. */
  static void refuse(HttpServerRequest request, int status, String code, String message, JsonObject details) {
    var response = request.response();
    if (response.ended()) return;
    if (response.headWritten()) {
      request.connection().close();
      return;
    }
    JsonObject body = new JsonObject().put("code", code).put("message", message).put("details", details);
    response.setStatusCode(status).putHeader("content-type", "application/json").putHeader("connection", "close")
        .end(body.encode()).onComplete(r -> request.connection().close());
  }

  /** One HTTP/1.1 connection's state; read and changed on its own event loop only. */
  private final class Tracked {
    final HttpConnection conn;
    final Context context;
    HttpServerRequest current;
    /** An HTTP/2 connection (from its first stream on), and the answers of its streams not yet over. */
    boolean http2;
    boolean busy;
    final Set<HttpServerResponse> open = new HashSet<>();
    long lastBytes;
    long progressAt = System.nanoTime();
    long idleSince = System.nanoTime();

    Tracked(HttpConnection conn, Context context) {
      this.conn = conn;
      this.context = context;
    }

    /**
     * A stream of an HTTP/2 connection began: the connection is not idle until every stream it
     * opened is over (answered, or reset). Clients multiplex calls over one connection and a gRPC
     * {@code Subscribe} may be quiet for long: only a connection with no stream at all is idle.
     */
    void streamOpened(HttpServerRequest request) {
      http2 = true;
      busy = true;
      open.add(request.response());
    }

    void started(HttpServerRequest request) {
      current = request;
      lastBytes = request.bytesRead();
      progressAt = System.nanoTime();
    }

    /**
     * The connection failed mid-request: for a body that was still arriving that is a framing error
     * (chunk sizes that are not hex, a chunk line too long), answered 400 before Vert.x closes the
     * connection. A client that went away gets nothing, as it is not there to read it.
     */
    void failed(Throwable err) {
      HttpServerRequest r = current;
      if (r == null || r.isEnded() || r.response().ended()) return;
      log.debug("request body from {} is not valid HTTP/1.1 framing: {}", r.remoteAddress(), err.toString());
      if (err instanceof IOException) return;
      refuse(r, 400, "INVALID_ARGUMENT", "the request body is not framed as its headers say (Transfer-Encoding: "
          + "chunked needs hexadecimal chunk sizes, each on its own line)", new JsonObject().put("field", "Transfer-Encoding"));
      // Vert.x closes the channel as soon as this returns; its writes wait for the end of the read loop.
      if (conn instanceof ConnectionBase base) base.channel().flush();
    }

    void check() {
      long now = System.nanoTime();
      if (http2) {
        // Polled rather than told: a response's end and close handlers are its handlers' to set.
        open.removeIf(r -> r.ended() || r.closed());
        if (!open.isEmpty()) {
          busy = true;
        } else if (busy) {
          busy = false; // idle from the sweep that saw its last stream over
          idleSince = now;
        } else if (now - idleSince > options.idleTimeoutSeconds() * 1_000_000_000L) {
          log.debug("HTTP/2 connection from {} idle for {} s: closed", conn.remoteAddress(), options.idleTimeoutSeconds());
          connections.remove(key(conn.remoteAddress()), this);
          conn.close(); // a GOAWAY first: the client knows no stream was lost
        }
        return;
      }
      HttpServerRequest r = current;
      if (r != null && !r.response().ended()) {
        if (r.isEnded()) return; // the body is in; the call may take as long as it takes
        long bytes = r.bytesRead();
        if (bytes != lastBytes) {
          lastBytes = bytes;
          progressAt = now;
        } else if (now - progressAt > options.requestReadTimeoutSeconds() * 1_000_000_000L) {
          log.debug("request body from {} stalled for {} s: 408", r.remoteAddress(), options.requestReadTimeoutSeconds());
          refuse(r, 408, "DEADLINE_EXCEEDED", "the request body stopped arriving: no byte for "
              + options.requestReadTimeoutSeconds() + " s (http.requestReadTimeoutSeconds)", new JsonObject());
        }
        return;
      }
      if (r != null) {
        current = null;
        idleSince = now;
      }
      if (now - idleSince > options.idleTimeoutSeconds() * 1_000_000_000L) {
        connections.remove(key(conn.remoteAddress()), this);
        conn.close();
      }
    }
  }
}
