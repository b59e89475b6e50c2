package dev.hearth.testkit;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;

/** Blocks a test thread (never an event loop) on a Vert.x future, with a deadline. */
public final class Await {

  private Await() {}

  /** The future's result, waiting up to 60 s; its failure rethrown (unchecked as it is, else wrapped). */
  public static <T> T await(Future<T> f) {
    return await(f, 60);
  }

  /** As {@link #await(Future)}, waiting up to {@code seconds}. */
  public static <T> T await(Future<T> f, int seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof RuntimeException re) throw re;
      throw new IllegalStateException(cause);
    }
  }
}
