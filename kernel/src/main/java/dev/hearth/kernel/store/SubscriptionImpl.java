package dev.hearth.kernel.store;

import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.change.ChangeListener;
import dev.hearth.module.change.Subscription;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers a store's durable events to one listener, in order, on a thread of its own. */
final class SubscriptionImpl implements Subscription, Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionImpl.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Engine engine;
  private final ChangeListener listener;
  private final Thread thread;
  private volatile long position;
  private volatile boolean closed;

  SubscriptionImpl(Engine engine, long after, ChangeListener listener) {
    this.engine = engine;
    this.listener = listener;
    this.position = after;
    this.thread = new Thread(this, "hearth-sub-" + engine.name + "-" + COUNTER.incrementAndGet());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    try {
      while (!closed) {
        List<ChangeEvent> batch = engine.feed.since(position, 1024);
        if (batch == null) {
          batch = engine.readLog(position, 1024);
        }
        if (batch.isEmpty()) {
          engine.feed.await(position, 500);
          continue;
        }
        for (ChangeEvent e : batch) {
          if (closed) {
            return;
          }
          listener.onEvent(e);
          position = e.sequence();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("subscription to store {} failed at sequence {}; closing it", engine.name, position + 1, e);
      closed = true;
    }
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public void close() {
    closed = true;
    if (Thread.currentThread() != thread) {
      // Not interrupt(): an interrupt during a FileChannel read closes the log's channel for everyone.
      engine.feed.wake();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
