package dev.hearth.kernel.store;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps zeroed, synced space ahead of the change log's write position, one chunk at a time on a
 * thread of its own, so the writer's fsync overwrites allocated blocks instead of growing the file.
 * If it lags, the writer simply appends: correctness never depends on it.
 */
final class Preallocator implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Preallocator.class);

  private final long ahead;
  private final long segmentBytes;
  private final Thread thread;
  private Segment wanted;
  private boolean closed;

  Preallocator(String store, long ahead, long segmentBytes) {
    this.ahead = ahead;
    this.segmentBytes = segmentBytes;
    this.thread = new Thread(this, "hearth-prealloc-" + store);
    thread.setDaemon(true);
    thread.start();
  }

  synchronized void request(Segment seg) {
    wanted = seg;
    notifyAll();
  }

  @Override
  public void run() {
    while (true) {
      Segment seg;
      synchronized (this) {
        while (wanted == null && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        seg = wanted;
      }
      try {
        while (seg.zeroedEnd() - seg.writeSize() < ahead && seg.zeroedEnd() < segmentBytes + ahead) {
          synchronized (this) {
            if (closed || wanted != seg) {
              break;
            }
          }
          seg.zeroOneChunk();
        }
      } catch (IOException e) {
        LOG.warn("could not preallocate change-log space in {}; appends stay correct but slower", seg.path, e);
      }
      synchronized (this) {
        if (wanted == seg) {
          wanted = null;
        }
      }
    }
  }

  void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
