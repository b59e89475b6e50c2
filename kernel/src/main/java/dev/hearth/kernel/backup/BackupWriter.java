package dev.hearth.kernel.backup;

import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import dev.hearth.kernel.spi.ReplicaCatchUp;
import dev.hearth.kernel.store.LogFiles;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.ModuleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a backup of a data directory, full or incremental, while its node keeps serving.
 *
 * <p>Consistency: each store's change log is its write-ahead log and holds every change, so a copy
 * of its frames up to a durable sequence <em>is</em> a consistent snapshot of that store at that
 * sequence (the MapDB state is not copied; a restore rebuilds it from the log). Frames are copied by
 * their clear headers: no key is needed, and everything copied stays encrypted.
 */
public final class BackupWriter {

  private static final Logger LOG = LoggerFactory.getLogger(BackupWriter.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dataDir;
  private final ToLongFunction<String> durableSequence;
  private final Progress progress;
  private final ReplicaCatchUp catchUp;

  /**
   * @param durableSequence a store's durable last sequence, or -1 when it is not open (its log is
   *     then read to its last valid frame)
   */
  public BackupWriter(Path dataDir, ToLongFunction<String> durableSequence, Progress progress) {
    this(dataDir, durableSequence, ReplicaCatchUp.NONE, progress);
  }

  /**
   * @param catchUp called for every store before anything is copied: in a cluster, a process that
   *     follows a store another process writes first takes in everything that writer acknowledged
   */
  public BackupWriter(Path dataDir, ToLongFunction<String> durableSequence, ReplicaCatchUp catchUp, Progress progress) {
    this.dataDir = dataDir;
    this.durableSequence = durableSequence;
    this.catchUp = catchUp;
    this.progress = progress;
  }

  /** Builds a writer over the node's open stores: their durable sequences, after catching each up. */
  public static BackupWriter of(Stores stores, Progress progress) {
    return new BackupWriter(stores.dataDir(), BackupRoutes.durable(stores), stores.replicaCatchUp(), progress);
  }

  /** Takes a backup into {@code target}: incremental on its newest backup unless {@code full} or none fits. */
  public Manifest take(BackupTarget target, boolean full) throws IOException {
    List<String> ids = target.ids();
    Manifest parent = full || ids.isEmpty() ? null : target.manifest(ids.get(ids.size() - 1));
    List<String> stores = storeNames();
    if (catchUp != ReplicaCatchUp.NONE) {
      progress.step("bringing this process's copy of each store up to its writer's");
      for (String name : stores) awaitCurrent(name);
    }
    if (parent != null) {
      String why = cannotContinue(parent, stores);
      if (why != null) {
        progress.step("taking a full backup: " + why);
        parent = null;
      }
    }
    String id = newId(ids, parent == null);
    Path staging = target.stagingDir(id);
    List<Manifest.StoreEntry> storeEntries = new ArrayList<>();
    for (String name : stores) {
      storeEntries.add(copyStore(name, parent, staging));
    }
    List<Manifest.FileEntry> keys = copyKeys(staging);
    // Blobs after the stores: a file whose metadata the copied logs hold had its blob complete before
    // that metadata was written, so the blob is there to copy now.
    List<Manifest.FileEntry> blobs = copyBlobs(staging, parent == null ? Set.of() : Chain.blobs(target, parent));
    Manifest m = new Manifest(Manifest.FORMAT, id, parent == null ? Manifest.Kind.FULL : Manifest.Kind.INCREMENTAL,
        parent == null ? null : parent.id(), Instant.now().toString(), storeEntries, keys, blobs);
    Path manifest = staging.resolve("manifest.json");
    Files.writeString(manifest, m.toJson().encodePrettily());
    progress.step("uploading to " + target.describe());
    target.upload(id, staging);
    LOG.info("backup {} ({}) taken to {}: {} bytes", id, m.kind().json(), target.describe(), m.bytes());
    return m;
  }

  private void awaitCurrent(String store) throws IOException {
    try {
      catchUp.await(store);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while store " + store + " caught up", e);
    }
  }

  /** Why the newest backup cannot be the parent of one of this data directory's logs, or null. */
  private String cannotContinue(Manifest parent, List<String> stores) throws IOException {
    for (Manifest.StoreEntry s : parent.stores()) {
      if (!stores.contains(s.name())) {
        return "store " + s.name() + " of backup " + parent.id() + " is not in this data directory";
      }
      if (s.lastSeq() == 0) continue;
      LogFiles.Frame tail = LogFiles.frameEndingAt(logDir(s.name()), s.lastSeq());
      if (tail == null || tail.crc() != (int) s.tailCrc()) {
        return "the change log of store " + s.name() + " differs from backup " + parent.id() + " at sequence "
            + s.lastSeq();
      }
    }
    return null;
  }

  private Manifest.StoreEntry copyStore(String name, Manifest parent, Path staging) throws IOException {
    Path logDir = logDir(name);
    long durable = durableSequence.applyAsLong(name);
    long last = durable >= 0 ? durable : LogFiles.lastSequence(logDir);
    Manifest.StoreEntry before = parent == null ? null : parent.store(name);
    long after = before == null ? 0 : before.lastSeq();
    List<Manifest.FileEntry> files = new ArrayList<>();
    if (last > after) {
      progress.step("store " + name + ": sequences " + (after + 1) + ".." + last);
      Path out = LogFiles.copy(logDir, after, last, staging.resolve("stores").resolve(name).resolve("log"), b -> {});
      if (out != null) files.add(Digests.entry(staging, out));
    }
    LogFiles.Frame tail = last == 0 ? null : LogFiles.frameEndingAt(logDir, last);
    if (last > 0 && tail == null) {
      throw new ModuleException(ModuleException.Code.INTERNAL,
          "store " + name + ": no frame of its change log ends at its durable sequence " + last);
    }
    return new Manifest.StoreEntry(name, after, Math.max(last, after), tail == null ? 0 : tail.crc() & 0xffffffffL,
        files);
  }

  private List<Manifest.FileEntry> copyKeys(Path staging) throws IOException {
    List<Manifest.FileEntry> out = new ArrayList<>();
    Path keys = dataDir.resolve("keys");
    if (!Files.isDirectory(keys)) return out;
    List<Path> files;
    try (Stream<Path> s = Files.list(keys)) {
      files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".tmp")).sorted().toList();
    }
    Path dest = staging.resolve("keys");
    Files.createDirectories(dest);
    for (Path f : files) {
      Path copy = dest.resolve(f.getFileName().toString());
      Files.copy(f, copy, StandardCopyOption.REPLACE_EXISTING);
      out.add(Digests.entry(staging, copy));
    }
    return out;
  }

  /** Blobs are content-addressed and never change: copy the ones the chain does not hold yet. */
  private List<Manifest.FileEntry> copyBlobs(Path staging, Set<String> inChain) throws IOException {
    List<Manifest.FileEntry> out = new ArrayList<>();
    Path blobs = dataDir.resolve("blobs");
    if (!Files.isDirectory(blobs)) return out;
    List<Path> files;
    try (Stream<Path> s = Files.walk(blobs)) {
      files = s.filter(Files::isRegularFile).filter(BackupWriter::finishedBlob).sorted().toList();
    }
    int copied = 0;
    for (Path f : files) {
      String rel = "blobs/" + blobs.relativize(f).toString().replace('\\', '/');
      if (inChain.contains(rel)) continue;
      Path copy = staging.resolve(rel);
      Files.createDirectories(copy.getParent());
      Files.copy(f, copy);
      out.add(Digests.entry(staging, copy));
      if (++copied % 100 == 0) progress.step("blobs: " + copied + " copied");
    }
    return out;
  }

  private static boolean finishedBlob(Path p) {
    String n = p.getFileName().toString();
    // ".part": an upload still being written (files.Blobs hands it to the blob store when complete).
    return !n.endsWith(".tmp") && !n.endsWith(".part") && !n.endsWith(".partial") && !n.startsWith(".");
  }

  private List<String> storeNames() throws IOException {
    Path stores = dataDir.resolve("stores");
    if (!Files.isDirectory(stores)) return List.of();
    try (Stream<Path> s = Files.list(stores)) {
      return s.filter(p -> Files.isDirectory(p.resolve("log"))).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path logDir(String store) {
    return dataDir.resolve("stores").resolve(store).resolve("log");
  }

  private static String newId(List<String> existing, boolean full) {
    String id = ID_TIME.format(Instant.now()) + (full ? "-full" : "-incr");
    Set<String> taken = new HashSet<>(existing);
    // Two backups in one millisecond, or a clock that went back: stay unique and sorted after the newest.
    if (!existing.isEmpty() && id.compareTo(existing.get(existing.size() - 1)) <= 0 || taken.contains(id)) {
      String newest = existing.get(existing.size() - 1);
      id = newest.substring(0, newest.lastIndexOf('-')) + "." + System.nanoTime() % 1000 + (full ? "-full" : "-incr");
    }
    return id;
  }
}
