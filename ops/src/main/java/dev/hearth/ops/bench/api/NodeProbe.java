package dev.hearth.ops.bench.api;

import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Whether a node answers at the URL: every bench against a running node asks first (exit code 3 when not). */
public final class NodeProbe {

  /** Nothing answers at the URL. */
  public static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private NodeProbe() {}

  /** One {@code GET /health}: fails with {@link Unreachable} when no node answers. */
  public static void health(Http http, URI url) throws Unreachable {
    Http.Answer a;
    try {
      a = http.send(new Http.Request(HttpMethod.GET, "/health", null, null)).toCompletionStage().toCompletableFuture()
          .get(Http.TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new Unreachable("no node answers at " + url + ": " + e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new Unreachable("no node answers at " + url + ": " + e, e);
    }
    if (!a.ok()) throw new Unreachable("GET " + url + "/health answered " + a.describe() + ": is it a Hearth node?", null);
  }
}
