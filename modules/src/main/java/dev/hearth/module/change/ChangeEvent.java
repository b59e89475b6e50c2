package dev.hearth.module.change;

import dev.hearth.module.store.Codec;
import java.util.Objects;

/**
 * One durable change of one key: the unit of the change log, of views, of realtime subscriptions
 * and of federation. Immutable.
 *
 * @param sequence gapless, starting at 1, per store
 * @param store the store's name
 * @param collection the collection's name
 * @param key the key that changed
 * @param op put or delete
 * @param value the new value's encoded bytes (plaintext, as the codec made them); {@code null} for a delete
 * @param actor who wrote it
 * @param timeMicros when the writer accepted it, microseconds since the epoch
 * @param scope the tenant (project id) its write named, {@code ""} for an unscoped write (@since 0.4)
 * @since 0.1
 */
public record ChangeEvent(
    long sequence,
    String store,
    String collection,
    String key,
    Op op,
    byte[] value,
    String actor,
    long timeMicros,
    String scope) {

  /** What happened to the key. */
  public enum Op {
    PUT,
    DELETE
  }

  public ChangeEvent {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(actor, "actor");
    if (scope == null) scope = "";
    if (op == Op.PUT) {
      Objects.requireNonNull(value, "value of a put");
    }
  }

  /** An unscoped event (as before 0.4). */
  public ChangeEvent(long sequence, String store, String collection, String key, Op op, byte[] value, String actor,
      long timeMicros) {
    this(sequence, store, collection, key, op, value, actor, timeMicros, "");
  }

  /** The new value decoded with {@code codec}; {@code null} for a delete. */
  public <V> V value(Codec<V> codec) {
    return value == null ? null : codec.decode(value);
  }

  @Override
  public String toString() {
    // Never the value: events get logged.
    return "ChangeEvent[" + store + "#" + sequence + " " + op + " " + collection + "/" + key + "]";
  }
}
