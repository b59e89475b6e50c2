package dev.hearth.kernel.realtime;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Groups the WebSocket drains of one event loop into one task. A change event to a thousand
 * subscribers used to submit a thousand tasks to the event loops from the delivering thread (each a
 * queue insertion and often a wake-up); now each loop gets at most one pending task, which drains
 * every connection that has frames. Slow clients do not hold it: a drain only hands bytes to Netty,
 * and a connection whose unsent bytes pass the cap is cut off ({@code WsConnection}).
 */
final class LoopDrains {

  /** One per hub (node): keyed by the Netty event loop, which all of that loop's connection contexts share. */
  private final Map<Object, Loop> loops = new ConcurrentHashMap<>();

  /** The drain group of {@code context}'s event loop; a context that is not an event loop's gets its own. */
  Loop of(Context context) {
    if (context instanceof ContextInternal ci && ci.isEventLoopContext() && ci.nettyEventLoop() != null) {
      return loops.computeIfAbsent(ci.nettyEventLoop(), k -> new Loop(context));
    }
    return new Loop(context);
  }

  /** One event loop's pending drains. */
  static final class Loop {
    private final Context context;
    private final ConcurrentLinkedQueue<Runnable> ready = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Loop(Context context) {
      this.context = context;
    }

    /** Runs {@code drain} on the loop, with the other drains pending there. */
    void schedule(Runnable drain) {
      ready.add(drain);
      if (scheduled.compareAndSet(false, true)) context.runOnContext(v -> run());
    }

    private void run() {
      scheduled.set(false); // a drain added from now on schedules another run
      Runnable r;
      while ((r = ready.poll()) != null) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(LoopDrains.class).warn("realtime drain failed: {}", e.toString());
        }
      }
    }
  }
}
