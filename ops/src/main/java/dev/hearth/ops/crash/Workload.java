package dev.hearth.ops.crash;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What one writer writes, drawn from a seeded random source. Every key belongs to exactly one
 * writer ({@code w<writer>-...}), so per key the order of acknowledgements is the order of writes.
 *
 * <ul>
 *   <li>{@code alpha}: small values over a fixed key set, overwritten and deleted;
 *   <li>{@code beta}: 0.5–4 KiB values (sometimes up to 64 KiB) over a fixed key set;
 *   <li>{@code events}: a new key every time, so the store keeps growing across cycles.
 * </ul>
 *
 * The mix: 40% single put, 10% single delete, 15% single append to {@code events}, 30%
 * transactions of 2–5 changes across collections, 5% transactions that throw after writing.
 */
final class Workload {

  static final String ALPHA = "alpha";
  static final String BETA = "beta";
  static final String EVENTS = "events";
  static final List<String> COLLECTIONS = List.of(ALPHA, BETA, EVENTS);

  private static final char[] PAD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

  private final int writer;
  private final int run;
  private final int keysPerWriter;
  private final Random random;
  private int op;

  Workload(long seed, int writer, int run, int keysPerWriter) {
    this.writer = writer;
    this.run = run;
    this.keysPerWriter = keysPerWriter;
    this.random = new Random(seed * 0x9E3779B97F4A7C15L + writer * 0xC2B2AE3D27D4EB4FL + run);
  }

  WriteOp next() {
    op++;
    int dice = random.nextInt(100);
    List<Change> changes = new ArrayList<>();
    boolean abort = false;
    if (dice < 40) {
      changes.add(put(random.nextBoolean() ? ALPHA : BETA, ownedKey()));
    } else if (dice < 50) {
      changes.add(Change.delete(random.nextBoolean() ? ALPHA : BETA, ownedKey()));
    } else if (dice < 65) {
      changes.add(put(EVENTS, eventKey(0)));
    } else {
      abort = dice >= 95;
      int n = 2 + random.nextInt(4);
      Set<String> used = new HashSet<>();
      for (int i = 0; i < n; i++) {
        String col = COLLECTIONS.get(random.nextInt(COLLECTIONS.size()));
        String key = col.equals(EVENTS) ? eventKey(i) : ownedKey();
        if (!used.add(Change.path(col, key))) {
          i--;
          continue;
        }
        boolean delete = !col.equals(EVENTS) && random.nextInt(5) == 0;
        changes.add(delete ? Change.delete(col, key) : put(col, key));
      }
    }
    return new WriteOp(new Tag(writer, run, op, changes.size()), changes, abort);
  }

  private Change put(String col, String key) {
    int padLength;
    if (col.equals(ALPHA)) {
      padLength = 8 + random.nextInt(200);
    } else if (col.equals(BETA)) {
      padLength = random.nextInt(200) == 0 ? 16_384 + random.nextInt(49_152) : 500 + random.nextInt(3_600);
    } else {
      padLength = 100 + random.nextInt(900);
    }
    long amount = random.nextInt(10_000);
    return Change.put(col, key, Payload.make(writer, run, op, col, key, amount, pad(padLength)));
  }

  private String ownedKey() {
    return String.format("w%d-%04d", writer, random.nextInt(keysPerWriter));
  }

  private String eventKey(int index) {
    return "w" + writer + "-r" + run + "-" + op + "-" + index;
  }

  private String pad(int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = PAD[random.nextInt(PAD.length)];
    }
    return new String(c);
  }
}
