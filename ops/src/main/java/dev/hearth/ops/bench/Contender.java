package dev.hearth.ops.bench;

import dev.hearth.kernel.config.StoreOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One store under test, reduced to what the benchmark measures. Every method may be called from
 * several threads at once, except {@link #open} and {@link #close}.
 */
interface Contender {

  /** The names {@code --contenders} accepts, in the order they run. */
  List<String> NAMES = List.of("mapdb", "sqlite", "hearth");

  String name();

  /** Creates a fresh store in {@code dir}, which exists and is empty. */
  void open(Path dir) throws Exception;

  /** Writes every record and returns once all of them are durable; used to prefill. */
  void putBatch(List<Workload.Record> records) throws Exception;

  /** Writes one record and returns once it is durable (acknowledged). */
  void put(String key, byte[] value) throws Exception;

  /** The decrypted value of {@code key}, or null. */
  byte[] get(String key) throws Exception;

  /** Reads and decrypts the newest 50 records (by key, descending); returns how many it read. */
  int scanNewest50() throws Exception;

  /** Closes the store cleanly; called once, after the last measurement. */
  void close() throws Exception;

  static Contender create(String name, Sealer sealer, StoreOptions hearthOptions) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "mapdb":
        return new MapDbContender(sealer);
      case "sqlite":
        return new SqliteContender(sealer);
      case "hearth":
        return new HearthContender(hearthOptions);
      default:
        throw new IllegalArgumentException("unknown contender '" + name + "', expected one of " + NAMES);
    }
  }
}
