package dev.hearth.kernel.identity;

import dev.hearth.module.ModuleException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Argon2 worker pool: two threads (Argon2 is CPU-bound and each hash takes ~20 MiB), and a
 * bounded queue, so a flood of password checks is refused with UNAVAILABLE instead of piling up
 * behind everyone's log-in.
 */
public final class Hashing implements AutoCloseable {

  static final int THREADS = 2;
  static final int MAX_QUEUED = 64;

  private final WorkerExecutor pool;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int memoryKiB;

  Hashing(Vertx vertx, int memoryKiB) {
    this.pool = vertx.createSharedWorkerExecutor("hearth-argon2", THREADS);
    this.memoryKiB = memoryKiB;
  }

  public Future<String> hash(String password) {
    return run(() -> Passwords.hash(password, memoryKiB));
  }

  Future<Boolean> verify(String password, String phc) {
    return run(() -> Passwords.verify(password, phc));
  }

  private <T> Future<T> run(Callable<T> work) {
    if (inFlight.incrementAndGet() > MAX_QUEUED) {
      inFlight.decrementAndGet();
      return Future.failedFuture(new ModuleException(ModuleException.Code.UNAVAILABLE,
          "too many password checks in progress; retry in a few seconds").detail("retryAfterSeconds", "2"));
    }
    return pool.executeBlocking(work, false).andThen(x -> inFlight.decrementAndGet());
  }

  @Override
  public void close() {
    pool.close();
  }
}
