package dev.hearth.kernel.identity;

import io.vertx.core.Context;
import io.vertx.core.Handler;

/**
 * Tells background work that writes the kernel store as it reads modules' change logs (webhook
 * lanes, notification followers) when this process starts or stops being the one that writes it.
 * On a single node that never changes; in a cluster only the kernel store's owner writes it
 * (docs/cluster.md), and every front follows the modules' stores too, so without this each front
 * would deliver a webhook again and fail to record that it had. Checks every {@link #PERIOD_MS} on
 * {@code context}.
 */
public final class KernelOwnerWatch {

  static final long PERIOD_MS = 1_000;

  private final Identity identity;
  private final Context context;
  private final Handler<Boolean> changed;
  private boolean owner;
  private long timer = -1;

  /** {@code changed} is called on {@code context} with the new answer whenever it changes. */
  public KernelOwnerWatch(Identity identity, Context context, Handler<Boolean> changed) {
    this.identity = identity;
    this.context = context;
    this.changed = changed;
    this.owner = identity.writesKernelHere();
  }

  /** Whether this process writes the kernel store, as last checked. On the context. */
  public boolean owner() {
    return owner;
  }

  /** Starts the checks (on the context). */
  public void start() {
    timer = context.owner().setPeriodic(PERIOD_MS, PERIOD_MS, id -> context.runOnContext(v -> check()));
  }

  public void close() {
    if (timer >= 0) context.owner().cancelTimer(timer);
    timer = -1;
  }

  private void check() {
    boolean now = identity.writesKernelHere();
    if (now == owner) return;
    owner = now;
    changed.handle(now);
  }
}
