package dev.hearth.kernel.realtime;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.LoggerFactory;

/**
 * Groups the WebSocket drains of one event loop into one task. A change event to a thousand
 * subscribers used to submit a thousand tasks to the event loops from the delivering thread (each a
 * queue insertion and often a wake-up); now each loop gets at most one pending task, which drains
 * every connection that has frames. Slow clients do not hold it: a drain only hands bytes to Netty,
 * and a connection whose unsent bytes pass the cap is cut off ({@code WsConnection}). The drains of
 * one run share their {@code batch} frames ({@link SharedBatches}): built once per loop, not once per
 * connection.
 */
final class LoopDrains {

  /** One connection's drain, given the batches its loop's run shares. */
  interface Drain {
    void drain(SharedBatches batches);
  }

  /** One per hub (node): keyed by the Netty event loop, which all of that loop's connection contexts share. */
  private final Map<Object, Loop> loops = new ConcurrentHashMap<>();
  private final LongAdder batchesBuilt;

  /** @param batchesBuilt counts the batch frames built (each maybe written to many connections) */
  LoopDrains(LongAdder batchesBuilt) {
    this.batchesBuilt = batchesBuilt;
  }

  /** The drain group of {@code context}'s event loop; a context that is not an event loop's gets its own. */
  Loop of(Context context) {
    if (context instanceof ContextInternal ci && ci.isEventLoopContext() && ci.nettyEventLoop() != null) {
      return loops.computeIfAbsent(ci.nettyEventLoop(), k -> new Loop(context, batchesBuilt));
    }
    return new Loop(context, batchesBuilt);
  }

  /** One event loop's pending drains. */
  static final class Loop {
    private final Context context;
    private final ConcurrentLinkedQueue<Drain> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final LongAdder batchesBuilt;

    Loop(Context context, LongAdder batchesBuilt) {
      this.context = context;
      this.batchesBuilt = batchesBuilt;
    }

    /** Runs {@code drain} on the loop, with the other drains pending there. */
    void schedule(Drain drain) {
      ready.add(drain);
      if (scheduled.compareAndSet(false, true)) context.runOnContext(v -> run());
    }

    /** Batches for a drain outside a run (a close after what is queued); {@link SharedBatches#release} after. */
    SharedBatches batches() {
      return new SharedBatches(batchesBuilt);
    }

    private void run() {
      scheduled.set(false); // a drain added from now on schedules another run
      SharedBatches batches = batches();
      try {
        Drain d;
        while ((d = ready.poll()) != null) {
          try {
            d.drain(batches);
          } catch (RuntimeException e) {
            LoggerFactory.getLogger(LoopDrains.class).warn("realtime drain failed: {}", e.toString());
          }
        }
      } finally {
        batches.release();
      }
    }
  }
}
