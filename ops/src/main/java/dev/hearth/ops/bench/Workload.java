package dev.hearth.ops.bench;

import dev.hearth.module.store.Ids;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The data of one contender's run: UUIDv7 keys (the same {@link Ids} every Hearth module uses) and
 * random values drawn from a fixed pool, so a read can check it got back exactly what was written.
 * Prefilled keys are kept as two longs each (16 MB for a million) for random reads.
 */
final class Workload {

  /** One key and its plaintext value. */
  record Record(String key, byte[] value) {}

  private static final int POOL = 1024;

  private final byte[][] pool;
  private long[] msb = new long[1024];
  private long[] lsb = new long[1024];
  private int prefilled;

  Workload(byte[][] pool) {
    this.pool = pool;
  }

  /** {@value #POOL} random values of {@code valueBytes} each, shared by every contender of a run. */
  static byte[][] randomPool(int valueBytes, long seed) {
    Random random = new Random(seed);
    byte[][] pool = new byte[POOL][valueBytes];
    for (byte[] v : pool) {
      random.nextBytes(v);
    }
    return pool;
  }

  /** The next {@code n} prefill records; their keys are remembered for {@link #randomPrefilled}. */
  List<Record> nextPrefill(int n) {
    if (prefilled + n > msb.length) {
      int capacity = Math.max(prefilled + n, msb.length * 2);
      msb = Arrays.copyOf(msb, capacity);
      lsb = Arrays.copyOf(lsb, capacity);
    }
    List<Record> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String key = Ids.next();
      UUID id = UUID.fromString(key);
      msb[prefilled] = id.getMostSignificantBits();
      lsb[prefilled] = id.getLeastSignificantBits();
      batch.add(new Record(key, expected(prefilled)));
      prefilled++;
    }
    return batch;
  }

  int prefilled() {
    return prefilled;
  }

  /** The key of the {@code i}-th prefilled record. */
  String key(int i) {
    return new UUID(msb[i], lsb[i]).toString();
  }

  /** The value the {@code i}-th prefilled record was written with. */
  byte[] expected(int i) {
    return pool[i & (POOL - 1)];
  }

  /** The index of a random prefilled record. */
  int randomPrefilled() {
    return ThreadLocalRandom.current().nextInt(prefilled);
  }

  /** A random value for a new write. */
  byte[] randomValue() {
    return pool[ThreadLocalRandom.current().nextInt(POOL)];
  }
}
