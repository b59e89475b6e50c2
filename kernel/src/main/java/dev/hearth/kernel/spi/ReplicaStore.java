package dev.hearth.kernel.spi;

import dev.hearth.module.ModuleException;
import dev.hearth.module.store.Store;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Predicate;

/**
 * An open store as federation sees it: the SDK's {@link Store} (to follow its change log) plus the
 * replica writes that keep another node's project here. The node's stores implement it.
 */
public interface ReplicaStore extends Store {

  /**
   * Applies one chain step of changes the owner {@code origin} made in {@code scope}, exactly once:
   * the chain's cursor moves in the same transaction as the data.
   */
  Future<ReplicaOutcome> applyReplica(String origin, String scope, String chain, long firstSeq, long prevSeq,
      long lastSeq, List<ReplicaChange> changes);

  /** The chain's cursor: the origin sequence last applied, 0 when none. */
  long replicaCursor(String chain);

  /** Writes a snapshot's entries for {@code scope}, with the checks of {@link #applyReplica}, without a cursor. */
  Future<Void> applySnapshot(String origin, String scope, List<ReplicaChange> changes);

  /** Sets a chain's cursor (after a snapshot). */
  Future<Void> setReplicaCursor(String chain, long seq);

  /** Local writes to scopes for which {@code isReplica} is true are refused (FAILED_PRECONDITION). */
  void replicaScopes(Predicate<String> isReplica);

  /** Every entry written in {@code scope}, with the sequence it is as of. Blocking. */
  ScopeContent scopeContent(String scope);

  /** A digest of {@link #scopeContent}, so two nodes can compare a scope. Blocking. */
  ScopeDigest digest(String scope);

  /**
   * Appends a change-log frame another process of the cluster wrote for this store (as its
   * {@link LogShipper} received it), exactly once by sequence: APPLIED when it continues the log,
   * DUPLICATE when its events are here already, OUT_OF_ORDER when events before it are missing.
   * Runs on the store's writer like a write, but is never gated: it is how a standby follows the
   * owner. Failed with DATA_LOSS when the frame does not decrypt with this store's keys.
   */
  Future<ReplicaOutcome> appendFrame(byte[] frame);

  /**
   * Hands this store's durable change-log frames holding events after {@code afterSeq} to
   * {@code each}, oldest first, byte for byte as the log holds them (what {@link #appendFrame}
   * takes), until {@code each} returns false. How a cluster's first process puts a log written
   * before the cluster into the store's replicated stream. Blocking.
   *
   * @throws ModuleException NOT_FOUND when the log no longer holds sequence
   *     {@code afterSeq + 1} (segments removed), FAILED_PRECONDITION when {@code afterSeq} is not
   *     the end of a frame
   */
  void frames(long afterSeq, Predicate<byte[]> each);
}
