package dev.hearth.kernel.store;

/**
 * A change not (yet) in the MapDB maps: in a transaction, in the batch being written, or durable
 * and waiting for the applier. {@code entry == null} is a delete. {@code stored} is the entry as
 * MapDB will hold it; {@code plain} is the encoded value kept in memory so readers of pending
 * changes need not decrypt. Compared by identity: a newer change of a key is another object.
 */
final class Pending {

  final long seq;
  final StoredEntry entry;
  final byte[] stored;
  final byte[] plain;

  Pending(long seq, StoredEntry entry, byte[] plain) {
    this.seq = seq;
    this.entry = entry;
    this.stored = entry == null ? null : entry.encode();
    this.plain = plain;
  }

  private Pending(long seq, Pending p) {
    this.seq = seq;
    this.entry = p.entry;
    this.stored = p.stored;
    this.plain = p.plain;
  }

  Pending withSeq(long s) {
    return new Pending(s, this);
  }

  /** The same change without its plaintext: what the overlay keeps once durable (half the memory). */
  Pending durable() {
    return new Pending(seq, entry, stored, null);
  }

  private Pending(long seq, StoredEntry entry, byte[] stored, byte[] plain) {
    this.seq = seq;
    this.entry = entry;
    this.stored = stored;
    this.plain = plain;
  }

  boolean isDelete() {
    return entry == null;
  }
}
