package dev.hearth.ops.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit as a Java developer would write it around a store that has one durable commit per
 * transaction: concurrent writers enqueue their (already encrypted) record and wait; one committer
 * thread drains everything queued, writes it in one transaction, commits once, then acknowledges
 * each writer. One writer means one commit per write; many writers share each commit.
 */
final class GroupCommitter implements AutoCloseable {

  /** Writes a batch in one transaction and makes it durable. Called on the committer thread only. */
  @FunctionalInterface
  interface Sink {
    void commit(List<Pending> batch) throws Exception;
  }

  /** One enqueued write. */
  static final class Pending {
    final String key;
    final byte[] sealed;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Pending(String key, byte[] sealed) {
      this.key = key;
      this.sealed = sealed;
    }
  }

  private static final int MAX_BATCH = 4096;
  private static final Pending STOP = new Pending("", new byte[0]);

  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Sink sink;
  private final Thread thread;

  GroupCommitter(String name, Sink sink) {
    this.sink = sink;
    this.thread = new Thread(this::loop, name + "-committer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Enqueues one write and blocks until its batch is durable. */
  void put(String key, byte[] sealed) throws Exception {
    Pending p = new Pending(key, sealed);
    queue.add(p);
    p.done.join();
  }

  private void loop() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      boolean stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        try {
          sink.commit(batch);
          batch.forEach(p -> p.done.complete(null));
        } catch (Throwable t) {
          batch.forEach(p -> p.done.completeExceptionally(t));
        }
      }
      batch.clear();
      if (stop) {
        return;
      }
    }
  }

  /** Lets queued writes finish, then stops the committer thread. */
  @Override
  public void close() {
    queue.add(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
