package dev.hearth.kernel.store;

import dev.hearth.kernel.config.StoreOptions;
import dev.hearth.kernel.crypto.KeyVault;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.spi.KeyShare;
import dev.hearth.kernel.spi.LogShipper;
import dev.hearth.kernel.spi.ReplicaCatchUp;
import dev.hearth.kernel.spi.WriteGate;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The stores of one node: {@code <data>/stores/<name>/} (MapDB file and change log) with their
 * keysets under {@code <data>/keys/}. Holds an exclusive lock on the data directory so two
 * processes never open the same stores.
 */
public final class Stores implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  private final Path dataDir;
  private final KeyVault vault;
  private final MasterKey master;
  private final StoreOptions options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, HearthStore> open = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile CommitListener commitListener = CommitListener.NONE;
  private volatile WriteTracer writeTracer = WriteTracer.NONE;
  private volatile WriteGate writeGate = WriteGate.OPEN;
  private volatile LogShipper logShipper = LogShipper.LOCAL;
  private volatile ReplicaCatchUp replicaCatchUp = ReplicaCatchUp.NONE;

  private Stores(Path dataDir, KeyVault vault, MasterKey master, StoreOptions options, FileChannel ch, FileLock lock) {
    this.dataDir = dataDir;
    this.vault = vault;
    this.master = master;
    this.options = options;
    this.lockChannel = ch;
    this.lock = lock;
  }

  /** Opens the node's data directory, creating it if missing; holds an exclusive lock on it. */
  public static Stores open(Path dataDir, MasterKey master, StoreOptions options) {
    return open(dataDir, master, options, KeyShare.NONE);
  }

  /** As {@link #open(Path, MasterKey, StoreOptions)}, the keysets shared through {@code keys} (a cluster's). */
  public static Stores open(Path dataDir, MasterKey master, StoreOptions options, KeyShare keys) {
    try {
      Files.createDirectories(dataDir.resolve("stores"));
      FileChannel ch = FileChannel.open(dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
        throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
            "data directory " + dataDir.toAbsolutePath() + " is in use by another Hearth process");
      }
      return new Stores(dataDir, KeyVault.open(dataDir.resolve("keys"), master, keys), master, options, ch, lock);
    } catch (OverlappingFileLockException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "data directory " + dataDir.toAbsolutePath() + " is already open in this process");
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "cannot open data directory " + dataDir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** The store {@code name}, opened (and recovered) on first use. Blocking on first use. */
  public HearthStore store(String name) {
    if (closed) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "stores are closed");
    }
    if (name == null || !NAME.matcher(name).matches()) {
      throw ModuleException.invalidArgument("store name '" + name + "' must match " + NAME.pattern());
    }
    return open.computeIfAbsent(name, n -> {
      HearthStore s = HearthStore.open(dataDir.resolve("stores").resolve(n), n, vault, options);
      s.commitListener(commitListener);
      s.writeTracer(writeTracer);
      s.writeGate(writeGate);
      s.logShipper(logShipper);
      return s;
    });
  }

  /** Sets who is told about each group commit of every store, open now or opened later (metrics). */
  public void commitListener(CommitListener listener) {
    this.commitListener = Objects.requireNonNull(listener, "listener");
    open.values().forEach(s -> s.commitListener(listener));
  }

  /** Sets who traces the writes of every store, open now or opened later. */
  public void writeTracer(WriteTracer tracer) {
    this.writeTracer = Objects.requireNonNull(tracer, "tracer");
    open.values().forEach(s -> s.writeTracer(tracer));
  }

  /** Sets who decides whether each store, open now or opened later, may be written now (a cluster's leases). */
  public void writeGate(WriteGate gate) {
    this.writeGate = Objects.requireNonNull(gate, "gate");
    open.values().forEach(s -> s.writeGate(gate));
  }

  /**
   * Whether this process follows store {@code name} rather than writes it now: the write gate refuses
   * it (a cluster's front or standby), so its copy may be behind the process that writes it.
   */
  public boolean replica(String name) {
    return writeGate.refusal(name) != null;
  }

  /** Sets how a backup brings this process's copy of a store up to its writer's (a cluster's followers). */
  public void replicaCatchUp(ReplicaCatchUp catchUp) {
    this.replicaCatchUp = Objects.requireNonNull(catchUp, "catchUp");
  }

  /** What a backup calls for each store before copying it ({@link ReplicaCatchUp#NONE} on a single node). */
  public ReplicaCatchUp replicaCatchUp() {
    return replicaCatchUp;
  }

  /** Sets where each store, open now or opened later, ships its group commits (a cluster's stream). */
  public void logShipper(LogShipper shipper) {
    this.logShipper = Objects.requireNonNull(shipper, "shipper");
    open.values().forEach(s -> s.logShipper(shipper));
  }

  /**
   * Closes store {@code name} (final checkpoint) and forgets it, so its next {@link #store} call
   * opens it again. For modules: a stopped module's store holds none of its classes.
   */
  public void closeStore(String name) {
    HearthStore s = open.remove(name);
    if (s != null) s.close();
  }

  /** The stores opened so far. */
  public List<HearthStore> opened() {
    return new ArrayList<>(open.values());
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The node's key vault ({@code <data>/keys/}), for kernel keysets that belong to no store. */
  public KeyVault vault() {
    return vault;
  }

  /**
   * The master key the data directory was opened with: a point-in-time restore of one store cuts
   * its log, which means decrypting and encrypting one frame again.
   */
  public MasterKey masterKey() {
    return master;
  }

  /** Closes every store cleanly (final checkpoint) and releases the lock. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (HearthStore s : open.values()) {
      s.close();
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // The lock goes with the process anyway.
    }
  }
}
