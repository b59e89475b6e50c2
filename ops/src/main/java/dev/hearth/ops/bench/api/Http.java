package dev.hearth.ops.bench.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The bench's HTTP client: Vert.x's, with a keep-alive pool of as many connections as requests in
 * flight, so a closed loop never waits for a connection and never opens one per request. Every
 * answer's body is read in full (so the connection goes back to the pool) before it completes, and
 * every call has a deadline ({@link #TIMEOUT_MS}) that fails it naming the call, from the moment it
 * is asked for, waiting for a pooled connection included.
 *
 * <p>The body is asked for inside the request's own chain ({@code req.send().compose(resp ->
 * resp.body())}), never in a second {@code compose} on the outer future: called from a thread that
 * is not a Vert.x one (a bench's main thread), the outer future may complete before that thread adds
 * its next step, which then runs on a task queued after the response's end; the body was gone and
 * the call never completed, although the node had answered in full (docs/benchmarks.md, "Chat
 * history pages": the stalled ListMessages call).
 */
public final class Http implements AutoCloseable {

  /** What to send: a method, a path below the base URL, an optional bearer token and JSON body. */
  public record Request(HttpMethod method, String path, String bearer, byte[] body) {}

  /** The status and the whole body of one answer. */
  public record Answer(int status, Buffer body) {

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The body as a JSON object, or an empty one when it is not JSON. */
    public JsonObject json() {
      try {
        return body.length() == 0 ? new JsonObject() : body.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        return new JsonObject();
      }
    }

    /** For messages: the status and the start of the body. */
    public String describe() {
      String text = body.toString().replaceAll("\\s+", " ").trim();
      return "HTTP " + status + (text.isEmpty() ? "" : " " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
    }
  }

  /** An answer not heard within this long fails the request (counted as an error). */
  public static final int TIMEOUT_MS = 30_000;

  /** A call that got no whole answer by its deadline; the message names the call. */
  public static final class NoAnswer extends TimeoutException {
    private static final long serialVersionUID = 1L;

    NoAnswer(String call, long millis) {
      super(call + ": no answer within " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms"));
    }
  }

  /** One server the requests go to. */
  private record Target(String host, int port, String basePath, boolean ssl) {

    static Target of(URI base) {
      boolean ssl = "https".equalsIgnoreCase(base.getScheme());
      String path = base.getRawPath() == null ? "" : base.getRawPath();
      return new Target(base.getHost(), base.getPort() > 0 ? base.getPort() : ssl ? 443 : 80,
          path.endsWith("/") ? path.substring(0, path.length() - 1) : path, ssl);
    }
  }

  private final long deadlineMs;
  private final HttpClientAgent client;
  private final List<Target> targets;
  private final AtomicLong next = new AtomicLong();

  /** {@code base} must be http or https with a host ({@link ApiBenchCommand} checks it). */
  public Http(Vertx vertx, URI base, int connections) {
    this(vertx, List.of(base), connections);
  }

  /**
   * Requests spread over {@code bases} in turn (the fronts of a cluster, {@code hearth bench
   * cluster}); {@code connections} per server.
   */
  public Http(Vertx vertx, List<URI> bases, int connections) {
    this(vertx, bases, connections, TIMEOUT_MS);
  }

  /** As {@link #Http(Vertx, List, int)}, with each call's deadline in milliseconds (tests). */
  Http(Vertx vertx, List<URI> bases, int connections, long deadlineMs) {
    this.deadlineMs = deadlineMs;
    this.targets = bases.stream().map(Target::of).toList();
    boolean ssl = targets.stream().anyMatch(Target::ssl);
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000).setSsl(ssl);
    this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections));
  }

  /**
   * Sends {@code r}; the answer completes once its body is in, or fails with {@link NoAnswer} at the
   * deadline (the request is then reset, so its connection does not stay taken).
   */
  public Future<Answer> send(Request r) {
    Target t = targets.size() == 1 ? targets.get(0) : targets.get((int) (next.getAndIncrement() % targets.size()));
    RequestOptions options = new RequestOptions().setMethod(r.method()).setHost(t.host()).setPort(t.port())
        .setSsl(t.ssl()).setURI(t.basePath() + r.path()).setIdleTimeout(deadlineMs).setConnectTimeout(deadlineMs);
    if (r.bearer() != null) {
      options.putHeader("authorization", "Bearer " + r.bearer());
    }
    if (r.body() != null) {
      options.putHeader("content-type", "application/json");
    }
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    Future<Answer> call = client.request(options).compose(req -> {
      sent.set(req);
      // The body is asked for in the same chain as the send (see the class comment).
      return (r.body() == null ? req.send() : req.send(Buffer.buffer(r.body())))
          .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b)));
    });
    return call.timeout(deadlineMs, TimeUnit.MILLISECONDS).recover(err -> {
      if (call.isComplete() || !(err instanceof TimeoutException)) return Future.failedFuture(err);
      HttpClientRequest req = sent.get();
      if (req != null) req.reset();
      return Future.failedFuture(new NoAnswer(r.method() + " " + r.path(), deadlineMs));
    });
  }

  public Future<Answer> post(String path, String bearer, JsonObject body) {
    return send(new Request(HttpMethod.POST, path, bearer, body.toBuffer().getBytes()));
  }

  @Override
  public void close() {
    client.close();
  }
}
