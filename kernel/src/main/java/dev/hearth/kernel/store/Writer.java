package dev.hearth.kernel.store;

import com.google.protobuf.ByteString;
import dev.hearth.kernel.spi.LogShipper;
import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.kernel.spi.WriteGate;
import dev.hearth.kernel.store.proto.IndexToken;
import dev.hearth.kernel.store.proto.LogBatch;
import dev.hearth.kernel.store.proto.LogEvent;
import dev.hearth.module.ModuleException;
import dev.hearth.module.change.ChangeEvent;
import dev.hearth.module.store.Tx;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a store. It takes every waiting transaction, runs them in order, appends their
 * change events to the log as one frame, fsyncs once (group commit), publishes the changes to the
 * overlay, acknowledges the callers, feeds listeners, and hands the batch to the {@link Applier}.
 * MapDB is never on this path, so a checkpoint does not delay acknowledgements.
 */
final class Writer implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Writer.class);

  /** A submitted transaction and where its result goes. */
  static final class Request<T> {
    final String actor;
    final String scope;
    final Function<Tx, T> fn;
    final Promise<T> promise = Promise.promise();
    final Context context = Vertx.currentContext();
    final WriteTracer.Write trace;
    T result;
    Throwable error;
    private boolean finished;
    /** A frame another process wrote, to append as is ({@link #submitFrame}); null for a transaction. */
    byte[] frame;
    /** The change events it appended: firstSeq..lastSeq (none when lastSeq < firstSeq). */
    long firstSeq;
    long lastSeq = -1;

    Request(String actor, String scope, Function<Tx, T> fn, WriteTracer.Write trace) {
      this.actor = actor;
      this.scope = scope;
      this.fn = fn;
      this.trace = trace;
    }

    /** Answers the caller once; a later call (the writer failing a whole batch after an unexpected error) does nothing. */
    void finish() {
      if (finished) return;
      finished = true;
      Runnable r = error == null ? () -> promise.complete(result) : () -> promise.fail(error);
      if (context != null) {
        context.runOnContext(v -> r.run());
      } else {
        r.run();
      }
      if (trace != null) endTrace(); // after the acknowledgement is on its way: tracing never delays it
    }

    private void endTrace() {
      try {
        if (error == null) trace.durable(firstSeq, lastSeq);
        else trace.failed(error);
      } catch (RuntimeException e) {
        LOG.warn("write tracer failed: {}", e.toString());
      }
    }
  }

  private final Engine engine;
  private final Applier applier;
  private final LinkedBlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
  private final ArrayDeque<Request<?>> carry = new ArrayDeque<>();
  private final Thread thread;
  private volatile boolean closing;
  private volatile Throwable broken;
  volatile CommitListener listener = CommitListener.NONE;
  volatile WriteTracer tracer = WriteTracer.NONE;
  volatile WriteGate gate = WriteGate.OPEN;
  volatile LogShipper shipper = LogShipper.LOCAL;
  private long nextSeq;

  Writer(Engine engine, Applier applier) {
    this.engine = engine;
    this.applier = applier;
    this.nextSeq = engine.log.lastSequence() + 1;
    // Opening replayed the whole log into MapDB: everything in it is visible.
    engine.visibleSeq = engine.log.lastSequence();
    engine.feed.openedAt(engine.visibleSeq);
    this.thread = new Thread(this, "hearth-writer-" + engine.name);
  }

  void start() {
    thread.start();
  }

  <T> Future<T> submit(String actor, String scope, Function<Tx, T> fn) {
    Request<T> r = new Request<>(actor, scope, fn, traced());
    if (closing) {
      r.error = Engine.closed(engine.name);
      r.finish();
    } else if (broken != null) {
      r.error = new ModuleException(ModuleException.Code.UNAVAILABLE, "store '" + engine.name
          + "' stopped writing after a log failure; restart the node to recover");
      r.finish();
    } else {
      queue.add(r);
    }
    return r.promise.future();
  }

  /** Queues a frame another process of the cluster wrote; never gated (see ReplicaStore#appendFrame). */
  Future<ReplicaOutcome> submitFrame(byte[] frame) {
    Request<ReplicaOutcome> r = new Request<>("system", "", null, null);
    r.frame = frame;
    if (closing || broken != null) {
      r.error = closing ? Engine.closed(engine.name) : new ModuleException(ModuleException.Code.UNAVAILABLE,
          "store '" + engine.name + "' stopped writing after a log failure; restart the node to recover");
      r.finish();
    } else {
      queue.add(r);
    }
    return r.promise.future();
  }

  private WriteTracer.Write traced() {
    WriteTracer t = tracer;
    if (t == WriteTracer.NONE) return null;
    try {
      return t.submitted(engine.name);
    } catch (RuntimeException e) {
      LOG.warn("write tracer failed: {}", e.toString());
      return null;
    }
  }

  @Override
  public void run() {
    List<Request<?>> batch = new ArrayList<>();
    while (true) {
      try {
        batch.clear();
        Request<?> first = carry.isEmpty() ? queue.poll(20, TimeUnit.MILLISECONDS) : carry.poll();
        if (first == null) {
          if (closing && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        while (!carry.isEmpty()) {
          batch.add(carry.poll());
        }
        queue.drainTo(batch, Math.max(0, engine.options.maxBatchWrites() - batch.size()));
        if (broken != null) {
          refuseBroken(batch); // queued before it broke: nothing more is appended
          continue;
        }
        applier.awaitRoom(engine.options.maxUnapplied());
        processAll(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        unexpected(batch, e);
      }
    }
  }

  /**
   * An error nothing on the path expected (a bug, a listener's Error, a resource exhausted): the
   * thread survives it, every request of the batch not yet answered fails, and the store stops
   * writing as after a log failure, since how far the batch got is unknown. A follower sees its
   * frame fail at once instead of waiting out its timeout.
   */
  private void unexpected(List<Request<?>> batch, Throwable e) {
    LOG.error("store {}: the writer failed unexpectedly; the store stops accepting writes", engine.name, e);
    broken = e;
    carry.clear();
    for (Request<?> r : batch) {
      if (r.error == null) {
        r.error = new ModuleException(ModuleException.Code.INTERNAL,
            "store '" + engine.name + "' failed while writing; it stopped accepting writes");
        r.result = null;
      }
      r.finish();
    }
  }

  private void refuseBroken(List<Request<?>> batch) {
    for (Request<?> r : batch) {
      r.error = new ModuleException(ModuleException.Code.UNAVAILABLE, "store '" + engine.name
          + "' stopped writing after a failure; restart the node to recover");
      r.result = null;
      r.finish();
    }
  }

  /** Why the store stopped writing (a log failure or an unexpected error), or null while it writes. */
  Throwable broken() {
    return broken;
  }

  /** Transactions are committed in groups; a followed frame goes alone, in its place in the queue. */
  private void processAll(List<Request<?>> batch) {
    int from = 0;
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).frame != null) {
        if (i > from) process(new ArrayList<>(batch.subList(from, i)));
        follow(batch.get(i));
        from = i + 1;
      }
    }
    if (from == 0) process(batch);
    else if (from < batch.size()) process(new ArrayList<>(batch.subList(from, batch.size())));
  }

  private void process(List<Request<?>> batch) {
    long start = System.nanoTime();
    long durableNanos = 0;
    int committed = 0;
    Map<String, TreeMap<String, Pending>> pending = new HashMap<>();
    List<Applier.Change> changes = new ArrayList<>();
    List<ChangeEvent> events = new ArrayList<>();
    LogBatch.Builder frame = LogBatch.newBuilder().setFirstSeq(nextSeq);
    long seq = nextSeq;
    int bytes = 0;
    List<Request<?>> done = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Request<?> r = batch.get(i);
      if (bytes > engine.options.maxBatchBytes()) {
        carry.addAll(batch.subList(i, batch.size()));
        break;
      }
      done.add(r);
      TxImpl tx = new TxImpl(engine, r.actor, r.scope, pending);
      if (!run(r, tx)) {
        continue;
      }
      if (!tx.ops.isEmpty()) committed++;
      r.firstSeq = seq;
      r.lastSeq = seq + tx.ops.size() - 1;
      long now = System.currentTimeMillis() * 1000;
      for (TxImpl.Op op : tx.ops) {
        Pending p = op.pending().withSeq(seq);
        pending.computeIfAbsent(op.collection(), c -> new TreeMap<>()).put(op.key(), p);
        LogEvent.Builder e = LogEvent.newBuilder().setCollection(op.collection()).setKey(op.key())
            .setActor(r.actor).setTimeMicros(now).setDelete(p.isDelete()).setScope(r.scope);
        if (!p.isDelete()) {
          e.setValue(ByteString.copyFrom(p.plain));
          for (StoredEntry.Token t : p.entry.tokens()) {
            e.addTokens(IndexToken.newBuilder().setIndex(t.index()).setToken(ByteString.copyFrom(t.token())));
          }
        }
        frame.addEvents(e);
        changes.add(new Applier.Change(op.collection(), op.key(), p.durable()));
        events.add(new ChangeEvent(seq, engine.name, op.collection(), op.key(),
            p.isDelete() ? ChangeEvent.Op.DELETE : ChangeEvent.Op.PUT, p.plain, r.actor, now, r.scope));
        seq++;
      }
      bytes += tx.bytes;
    }
    if (!events.isEmpty() && refused(done)) {
      return;
    }
    if (!events.isEmpty()) {
      try {
        byte[] framed = engine.log.frame(frame.build());
        if (shipped(done, nextSeq, events.size(), framed)) {
          return;
        }
        engine.log.appendFrame(framed, nextSeq);
        engine.log.force(seq - 1);
      } catch (IOException | RuntimeException e) {
        fail(done, e);
        return;
      }
      nextSeq = seq;
      durableNanos = System.nanoTime() - start;
      for (Applier.Change c : changes) {
        engine.overlay.put(c.collection(), c.key(), c.pending());
      }
      engine.visibleSeq = seq - 1;
      applier.enqueue(new Applier.Batch(changes, events));
    }
    for (Request<?> r : done) {
      r.finish();
    }
    if (!events.isEmpty()) {
      engine.feed.publish(events);
      notify(committed, events.size(), durableNanos); // after the acknowledgements: metrics never delay them
    }
  }

  /**
   * Asks the gate once more just before the frame is appended: a process that lost its lease (a
   * cluster's single writer) while these writes waited appends none of them. Nothing of the batch
   * has touched the log, the overlay or the sequence yet, so failing its requests is all there is.
   */
  private boolean refused(List<Request<?>> done) {
    ModuleException refusal = gate.refusal(engine.name);
    if (refusal == null) return false;
    for (Request<?> r : done) {
      if (r.error == null) {
        r.error = refusal;
        r.result = null;
      }
      r.finish();
    }
    return true;
  }

  /**
   * Ships the frame before it touches the local log; true when the shipper refused it, and then
   * every request of the batch has failed and nothing of it was written (the store keeps working:
   * a lost lease or a stale stream position is not a broken log).
   */
  private boolean shipped(List<Request<?>> done, long first, int count, byte[] bytes) {
    ModuleException refusal;
    try {
      refusal = shipper.ship(engine.name, first, count, bytes);
    } catch (RuntimeException e) {
      LOG.error("store {}: log shipper failed", engine.name, e);
      refusal = new ModuleException(ModuleException.Code.UNAVAILABLE, "store '" + engine.name
          + "' could not replicate the write");
    }
    if (refusal == null) return false;
    for (Request<?> r : done) {
      if (r.error == null) {
        r.error = refusal;
        r.result = null;
      }
      r.finish();
    }
    return true;
  }

  /**
   * Appends a frame the store's owner wrote elsewhere, exactly once by sequence: fsynced, put in
   * the overlay, handed to the applier and fed to listeners, like a local group commit.
   */
  @SuppressWarnings("unchecked")
  private void follow(Request<?> req) {
    Request<ReplicaOutcome> r = (Request<ReplicaOutcome>) req;
    long start = System.nanoTime();
    List<ChangeEvent> events;
    try {
      LogBatch batch = engine.log.open(r.frame);
      long first = batch.getFirstSeq();
      if (first < nextSeq) {
        r.result = ReplicaOutcome.DUPLICATE;
        r.finish();
        return;
      }
      if (first > nextSeq) {
        r.result = ReplicaOutcome.OUT_OF_ORDER;
        r.finish();
        return;
      }
      List<Applier.Change> changes = new ArrayList<>(batch.getEventsCount());
      long seq = first;
      for (LogEvent e : batch.getEventsList()) {
        changes.add(new Applier.Change(e.getCollection(), e.getKey(), engine.pendingOf(e, seq++).durable()));
      }
      events = engine.events(batch);
      try {
        engine.log.appendFrame(r.frame, first);
        engine.log.force(seq - 1);
      } catch (IOException | RuntimeException e) {
        fail(List.of(r), e);
        return;
      }
      nextSeq = seq;
      for (Applier.Change c : changes) {
        engine.overlay.put(c.collection(), c.key(), c.pending());
      }
      engine.visibleSeq = seq - 1;
      applier.enqueue(new Applier.Batch(changes, events));
      r.result = ReplicaOutcome.APPLIED;
    } catch (ModuleException e) {
      r.error = e;
      r.finish();
      return;
    }
    r.finish();
    engine.feed.publish(events);
    notify(1, events.size(), System.nanoTime() - start);
  }

  private void notify(int transactions, int events, long nanos) {
    try {
      listener.committed(engine.name, transactions, events, nanos);
    } catch (RuntimeException e) {
      LOG.warn("store {}: commit listener failed: {}", engine.name, e.toString()); // never the writer's problem
    }
  }

  /** Runs one transaction; false when it failed (its error is recorded, nothing of it is kept). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean run(Request r, TxImpl tx) {
    try {
      r.result = r.fn.apply(tx);
      return true;
    } catch (ModuleException e) {
      r.error = e;
    } catch (RuntimeException | Error e) {
      LOG.error("transaction in store {} failed", engine.name, e);
      r.error = new ModuleException(ModuleException.Code.INTERNAL, "transaction failed in store '" + engine.name + "'", e);
    }
    return false;
  }

  private void fail(List<Request<?>> done, Throwable cause) {
    LOG.error("store {}: change-log write failed; the store stops accepting writes", engine.name, cause);
    broken = cause;
    for (Request<?> r : done) {
      if (r.error == null) {
        r.error = new ModuleException(ModuleException.Code.UNAVAILABLE,
            "store '" + engine.name + "' could not make the write durable");
      }
      r.finish();
    }
  }

  /** Stops taking writes, finishes those queued, and waits for the thread. */
  void close() throws InterruptedException {
    closing = true;
    thread.join();
    for (Request<?> r; (r = queue.poll()) != null; ) {
      r.error = Engine.closed(engine.name);
      r.finish();
    }
  }
}
