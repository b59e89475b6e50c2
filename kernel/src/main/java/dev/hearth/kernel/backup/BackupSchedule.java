package dev.hearth.kernel.backup;

import com.cronutils.model.Cron;
import com.cronutils.model.time.ExecutionTime;
import dev.hearth.kernel.config.BackupOptions;
import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import dev.hearth.kernel.spi.ReplicaCatchUp;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the configured backups on their cron schedules (UTC) while the node runs: one Vert.x timer
 * per schedule, set again after each run; a run that is due while another backup runs is skipped
 * with a warning (the next incremental covers it). After each backup the retention is applied.
 */
public final class BackupSchedule implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BackupSchedule.class);

  private final Vertx vertx;
  private final BooleanSupplier writesKernel;
  private final ReplicaCatchUp catchUp;
  private final BackupOptions options;
  private final Path dataDir;
  private final ToLongFunction<String> durable;
  private final AtomicBoolean running;
  private volatile boolean closed;
  private volatile long fullTimer = -1;
  private volatile long incrTimer = -1;

  /** @param running shared with on-demand backups, so two never run at once */
  public BackupSchedule(Vertx vertx, BackupOptions options, Path dataDir, ToLongFunction<String> durable,
      AtomicBoolean running) {
    this(vertx, options, dataDir, durable, running, () -> true);
  }

  /** @param writesKernel whether this process writes the kernel store now (in a cluster, its owner takes the backups) */
  public BackupSchedule(Vertx vertx, BackupOptions options, Path dataDir, ToLongFunction<String> durable,
      AtomicBoolean running, BooleanSupplier writesKernel) {
    this(vertx, options, dataDir, durable, running, writesKernel, ReplicaCatchUp.NONE);
  }

  /** @param catchUp brings each store's copy here up to its writer's before it is copied (a cluster) */
  public BackupSchedule(Vertx vertx, BackupOptions options, Path dataDir, ToLongFunction<String> durable,
      AtomicBoolean running, BooleanSupplier writesKernel, ReplicaCatchUp catchUp) {
    this.catchUp = catchUp;
    this.writesKernel = writesKernel;
    this.vertx = vertx;
    this.options = options;
    this.dataDir = dataDir;
    this.durable = durable;
    this.running = running;
  }

  public void start() {
    if (options.full() != null) fullTimer = arm(options.full(), true);
    if (options.incremental() != null) incrTimer = arm(options.incremental(), false);
    LOG.info("scheduled backups to {}: full '{}', incremental '{}', keeping {} full", options.target(),
        options.full() == null ? "-" : options.full().asString(),
        options.incremental() == null ? "-" : options.incremental().asString(), options.keep());
  }

  private long arm(Cron cron, boolean full) {
    Optional<Duration> wait = ExecutionTime.forCron(cron).timeToNextExecution(ZonedDateTime.now(ZoneOffset.UTC));
    if (closed || wait.isEmpty()) return -1;
    long ms = Math.max(1, wait.get().toMillis());
    return vertx.setTimer(ms, id -> vertx.executeBlocking(() -> {
          run(full);
          return null;
        }, false)
        .onComplete(x -> {
          long next = arm(cron, full);
          if (full) fullTimer = next;
          else incrTimer = next;
        }));
  }

  private void run(boolean full) {
    if (closed) return;
    if (!writesKernel.getAsBoolean()) {
      LOG.info("scheduled {} backup skipped: in this cluster the kernel store's owner takes them", full ? "full" : "incremental");
      return;
    }
    if (!running.compareAndSet(false, true)) {
      LOG.warn("scheduled {} backup skipped: another backup is running", full ? "full" : "incremental");
      return;
    }
    try (BackupTarget target = BackupTargets.open(options.target())) {
      Manifest m = new BackupWriter(dataDir, durable, catchUp, step -> LOG.debug("backup: {}", step)).take(target, full);
      var deleted = Chain.retain(target, options.keep());
      if (!deleted.isEmpty()) LOG.info("backup retention removed {}", deleted);
      LOG.info("scheduled backup {} done", m.id());
    } catch (Exception e) {
      LOG.error("scheduled {} backup to {} failed: {}", full ? "full" : "incremental", options.target(), e.toString());
    } finally {
      running.set(false);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (fullTimer >= 0) vertx.cancelTimer(fullTimer);
    if (incrTimer >= 0) vertx.cancelTimer(incrTimer);
  }
}
