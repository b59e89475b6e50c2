package dev.hearth.kernel.store;

import dev.hearth.kernel.spi.ReplicaChange;
import dev.hearth.kernel.spi.ReplicaOutcome;
import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Codec;
import dev.hearth.module.store.CollectionSpec;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Writes replicated from another node's store (docs/design/federation.md §5): each is one ordinary
 * transaction on the writer thread, so the change log, overlay, views and subscriptions see it
 * like any write, with actor {@code fed:<origin>} and the replica's scope. The chain cursors live
 * in the internal collection {@code fed.applied} and are written in the same transaction as the
 * data, so a crash can neither lose nor double-apply a replicated transaction.
 */
final class Replicas {

  static final String APPLIED = HearthStore.FED_PREFIX + "applied";

  /** A cursor as 8 bytes, big-endian. */
  private static final Codec<Long> LONG = new Codec<>() {
    @Override
    public byte[] encode(Long value) {
      return ByteBuffer.allocate(8).putLong(value).array();
    }

    @Override
    public Long decode(byte[] bytes) {
      if (bytes.length != 8) {
        throw new ModuleException(ModuleException.Code.DATA_LOSS, "a replica cursor is not 8 bytes");
      }
      return ByteBuffer.wrap(bytes).getLong();
    }
  };

  private final Engine engine;
  private final Writer writer;
  private final Map<String, CollectionImpl<?>> collections;
  /** Not in {@code collections}: modules can neither register, read nor write it. */
  private final CollectionImpl<Long> cursors;

  Replicas(Engine engine, Writer writer, Map<String, CollectionImpl<?>> collections) {
    this.engine = engine;
    this.writer = writer;
    this.collections = collections;
    this.cursors = new CollectionImpl<>(engine, CollectionSpec.of(APPLIED, LONG));
  }

  Future<ReplicaOutcome> apply(String origin, String scope, String chain, long firstSeq, long prevSeq, long lastSeq,
      List<ReplicaChange> changes) {
    String bad = checkOrigin(origin, scope, changes);
    if (bad == null && (chain == null || chain.isEmpty())) {
      bad = "a replica chain must be named";
    }
    if (bad == null && !(0 <= prevSeq && prevSeq < firstSeq && firstSeq <= lastSeq)) {
      bad = "replica sequences must satisfy 0 <= prevSeq < firstSeq <= lastSeq, were " + prevSeq + ", " + firstSeq
          + ", " + lastSeq;
    }
    if (bad != null) {
      return Future.failedFuture(ModuleException.invalidArgument(bad));
    }
    List<ReplicaChange> copy = List.copyOf(changes);
    return writer.submit("fed:" + origin, scope, tx -> {
      TxImpl t = (TxImpl) tx;
      long cursor = t.get(cursors, chain).orElse(0L);
      // Duplicates and gaps are told apart before the changes are checked: a duplicate is
      // acknowledged whatever it holds, a held message is checked when it is its turn.
      if (firstSeq <= cursor) {
        return ReplicaOutcome.DUPLICATE;
      }
      if (prevSeq > cursor) {
        return ReplicaOutcome.OUT_OF_ORDER;
      }
      write(t, scope, copy);
      t.putInternal(cursors, chain, lastSeq);
      return ReplicaOutcome.APPLIED;
    });
  }

  Future<Void> snapshot(String origin, String scope, List<ReplicaChange> changes) {
    String bad = checkOrigin(origin, scope, changes);
    if (bad != null) {
      return Future.failedFuture(ModuleException.invalidArgument(bad));
    }
    List<ReplicaChange> copy = List.copyOf(changes);
    return writer.submit("fed:" + origin, scope, tx -> {
      write((TxImpl) tx, scope, copy);
      return null;
    });
  }

  long cursor(String chain) {
    return chain == null || chain.isEmpty() ? 0 : cursors.get(chain).orElse(0L);
  }

  Future<Void> setCursor(String chain, long seq) {
    if (chain == null || chain.isEmpty() || seq < 0) {
      return Future.failedFuture(ModuleException.invalidArgument("a replica cursor needs a chain and a sequence >= 0"));
    }
    // Node-local bookkeeping: unscoped, by the node itself.
    return writer.submit("system", "", tx -> {
      ((TxImpl) tx).putInternal(cursors, chain, seq);
      return null;
    });
  }

  private static String checkOrigin(String origin, String scope, List<ReplicaChange> changes) {
    if (origin == null || origin.isEmpty()) {
      return "a replica write needs its origin node";
    }
    if (scope == null || !HearthStore.SCOPE.matcher(scope).matches()) {
      // Never "": a replica always belongs to a shared project, and "" would let it claim local keys.
      return "a replica write's scope must be a project id (" + HearthStore.SCOPE.pattern() + ")";
    }
    if (changes == null) {
      return "a replica write needs a list of changes";
    }
    for (ReplicaChange c : changes) {
      if (c == null) {
        return "a replica write's changes must not be null";
      }
    }
    return null;
  }

  /** Checks and writes the changes in the transaction; any refusal aborts the whole transaction. */
  private void write(TxImpl t, String scope, List<ReplicaChange> changes) {
    for (ReplicaChange ch : changes) {
      String name = ch.collection();
      if (name.startsWith("view.") || name.startsWith(HearthStore.FED_PREFIX)) {
        throw ModuleException.failedPrecondition("collection " + name + " is node-local and is never replicated")
            .detail("reason", "reserved-collection");
      }
      CollectionImpl<?> c = collections.get(name);
      if (c == null) {
        throw ModuleException.failedPrecondition("collection " + name + " is not registered in store " + engine.name
            + " (its module is not running here or does not know it)").detail("reason", "unknown-collection");
      }
      String owner = t.scopeOf(name, ch.key());
      if (owner != null && !owner.equals(scope)) {
        // A key belongs to one scope for its life; a replica may not claim another's, nor a local one.
        throw ModuleException.failedPrecondition("key '" + ch.key() + "' of " + name + " belongs to "
            + (owner.isEmpty() ? "this node (unscoped)" : "scope " + owner) + ", not to replicated scope " + scope)
            .detail("reason", "foreign-key");
      }
      if (ch.delete()) {
        t.delete(c, ch.key());
      } else if (ch.value() == null) {
        throw ModuleException.invalidArgument("replicated put of key '" + ch.key() + "' in " + name + " has no value");
      } else {
        t.putEncoded(c, ch.key(), ch.value());
      }
    }
  }
}
