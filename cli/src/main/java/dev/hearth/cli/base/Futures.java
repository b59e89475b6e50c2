package dev.hearth.cli.base;

import io.vertx.core.Future;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Blocking waits on Vert.x futures for the CLI's main and shutdown threads (never an event loop). */
public final class Futures {

  private Futures() {}

  /** Waits for {@code future}; its failure is rethrown as it was, not wrapped. */
  public static <T> T join(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof Exception ? (Exception) cause : e;
    }
  }

  /** Waits up to {@code seconds} and ignores failure: for best-effort clean-up. */
  public static void joinQuietly(Future<?> future, long seconds) {
    try {
      future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
  }

  /** The most useful message of a failure chain for a one-line error: wrappers are skipped. */
  public static String message(Throwable t) {
    Throwable cur = t;
    while (cur.getCause() != null && (isWrapper(cur) || cur.getMessage() == null
        || cur.getMessage().equals(cur.getCause().toString()))) {
      cur = cur.getCause();
    }
    return cur.getMessage() != null ? cur.getMessage() : cur.getClass().getSimpleName();
  }

  private static boolean isWrapper(Throwable t) {
    return t instanceof ExecutionException || t instanceof CompletionException
        || t instanceof ExceptionInInitializerError || t instanceof InvocationTargetException;
  }
}
