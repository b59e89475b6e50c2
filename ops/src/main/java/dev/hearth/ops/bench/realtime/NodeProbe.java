package dev.hearth.ops.bench.realtime;

import dev.hearth.ops.bench.api.Http;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Whether a node answers at the URL (exit code 3 when not, like {@code bench api}). */
final class NodeProbe {

  /** Nothing answers at the URL. */
  static final class Unreachable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private NodeProbe() {}

  static void health(Http http, URI url) throws Unreachable {
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
