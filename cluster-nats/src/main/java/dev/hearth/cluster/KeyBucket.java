package dev.hearth.cluster;

import dev.hearth.kernel.spi.KeyShare;
import dev.hearth.module.ModuleException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's keyset files in the JetStream key-value bucket {@value #BUCKET} (docs/cluster.md
 * "Keys"): one key per file of {@code <data>/keys/} — the keysets as the node keeps them, wrapped
 * by the master key, and a passphrase's salt — so a process started with the cluster's master key
 * and an empty data directory gets them from there. Nothing in it is a key in clear.
 *
 * <p>A file is published with {@code create} (only when absent): two processes that make the same
 * keyset at once both keep the one published first. Connected before the stores open, on a
 * connection of its own that lives as long as the node.
 */
final class KeyBucket implements KeyShare {

  static final String BUCKET = "hearth-cluster-keys";
  private static final Logger log = LoggerFactory.getLogger(KeyBucket.class);
  /** How long a start waits for NATS: the keys cannot be had without it. */
  private static final Duration CONNECT_WITHIN = Duration.ofSeconds(60);

  private final Connection connection;
  private final KeyValue kv;

  private KeyBucket(Connection connection, KeyValue kv) {
    this.connection = connection;
    this.kv = kv;
  }

  /** Connects (retrying for a minute while no server answers) and opens the bucket, making it when absent. */
  static KeyBucket open(ClusterOptions options, String processId) {
    Options nats = Options.builder().servers(options.natsUrls().toArray(String[]::new))
        .connectionName("hearth-keys-" + processId).maxReconnects(-1).reconnectWait(Duration.ofMillis(200))
        .connectionTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + CONNECT_WITHIN.toNanos();
    while (true) {
      try {
        Connection c = Nats.connect(nats);
        try {
          return new KeyBucket(c, bucket(c, options));
        } catch (IOException | JetStreamApiException | RuntimeException e) {
          c.close();
          throw e;
        }
      } catch (IOException | JetStreamApiException | RuntimeException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "the cluster's keysets (NATS key-value bucket "
              + BUCKET + " on " + options.natsUrls() + ") cannot be reached within " + CONNECT_WITHIN.toSeconds() + " s: "
              + e.getMessage());
        }
        log.warn("cluster keysets: NATS not usable yet ({}); trying again", e.getMessage());
        sleep();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModuleException(ModuleException.Code.UNAVAILABLE, "interrupted while connecting to NATS");
      }
    }
  }

  private static KeyValue bucket(Connection c, ClusterOptions options) throws IOException, JetStreamApiException {
    KeyValueManagement kvm = c.keyValueManagement();
    if (!kvm.getBucketNames().contains(BUCKET)) {
      int replicas = options.replicas() > 0 ? options.replicas()
          : Math.min(3, Math.max(1, c.getServerInfo().getConnectURLs().size()));
      try {
        kvm.create(KeyValueConfiguration.builder().name(BUCKET).maxHistoryPerKey(1).storageType(StorageType.File)
            .replicas(replicas).build());
      } catch (JetStreamApiException e) {
        log.info("bucket {} not made here ({}): reading it", BUCKET, e.getMessage()); // another process made it first
      }
    }
    return c.keyValue(BUCKET);
  }

  /**
   * Before the stores open: publishes this data directory's keyset files the cluster lacks, refuses
   * one that differs from the cluster's copy (keys made apart from the cluster would fork its
   * stores), and writes the cluster's files this directory lacks.
   *
   * @throws ModuleException FAILED_PRECONDITION naming the file that differs
   */
  void sync(Path keysDir) {
    try {
      Files.createDirectories(keysDir);
      try (Stream<Path> files = Files.list(keysDir)) {
        for (Path f : files.filter(Files::isRegularFile).filter(KeyBucket::shared).sorted().toList()) {
          String name = f.getFileName().toString();
          byte[] local = Files.readAllBytes(f);
          byte[] cluster = agree(name, local);
          if (Arrays.equals(local, cluster)) continue;
          // A rotation adds keys and keeps the old ones: the copy whose key ids include the other's is the newer.
          Set<Long> mine = keyIds(local);
          Set<Long> theirs = keyIds(cluster);
          if (!mine.isEmpty() && theirs.containsAll(mine)) {
            writeSecret(f, cluster);
            log.info("cluster keysets: {} taken from {} (rotated elsewhere: keys {} over {})", name, BUCKET, theirs, mine);
          } else if (!theirs.isEmpty() && mine.containsAll(theirs)) {
            replace(name, local);
            log.info("cluster keysets: {} put into {} (rotated here: keys {} over {})", name, BUCKET, mine, theirs);
          } else {
            throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "keyset file " + f + " differs from the"
                + " cluster's copy (" + describe() + "): this data directory's keys were made apart from the cluster. A"
                + " process joins a cluster with an empty " + keysDir + " (its keysets come from the cluster) or with a"
                + " copy of a cluster process's");
          }
        }
      }
      int fetched = 0;
      List<String> names = kv.keys();
      for (String name : names) {
        Path f = keysDir.resolve(name);
        if (!shared(f) || Files.exists(f)) continue;
        KeyValueEntry e = kv.get(name);
        if (e == null || e.getValue() == null) continue;
        writeSecret(f, e.getValue());
        fetched++;
      }
      log.info("cluster keysets: {} in {}, {} taken from it into {}", names.size(), BUCKET, fetched, keysDir);
    } catch (IOException | JetStreamApiException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION, "the cluster's keysets (" + describe()
          + ") cannot be synchronised with " + keysDir + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "interrupted while reading " + BUCKET);
    }
  }

  /**
   * The key ids a wrapped keyset file lists in the clear part Tink writes beside the encrypted keyset
   * ({@code keysetInfo}: ids and types, no key material); empty when it is not such a file (a salt).
   */
  static Set<Long> keyIds(byte[] file) {
    Set<Long> ids = new TreeSet<>();
    try {
      JsonObject info = new JsonObject(new String(file, StandardCharsets.UTF_8)).getJsonObject("keysetInfo");
      if (info == null) return ids;
      for (Object k : info.getJsonArray("keyInfo", new JsonArray())) {
        Object id = ((JsonObject) k).getValue("keyId");
        if (id != null) ids.add(Long.parseLong(id.toString()));
      }
    } catch (RuntimeException notAKeyset) {
      ids.clear();
    }
    return ids;
  }

  /** The files shared: keysets ({@code *.json}, not the plain {@code *.meta.json} beside them) and a passphrase's salt. */
  private static boolean shared(Path f) {
    String n = f.getFileName().toString();
    return n.equals("master.salt") || (n.endsWith(".json") && !n.endsWith(".meta.json"));
  }

  @Override
  public byte[] agree(String file, byte[] local) {
    try {
      for (int attempt = 0; attempt < 3; attempt++) {
        try {
          kv.create(file, local);
          log.info("cluster keysets: {} published to {}", file, BUCKET);
          return local;
        } catch (JetStreamApiException exists) {
          KeyValueEntry e = kv.get(file);
          if (e != null && e.getValue() != null) return e.getValue();
        }
      }
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "keyset " + file + " could be neither published to nor"
          + " read from " + describe());
    } catch (IOException | JetStreamApiException e) {
      throw new ModuleException(ModuleException.Code.UNAVAILABLE, "keyset " + file + " cannot be shared through "
          + describe() + ": " + e.getMessage()).detail("retryAfterSeconds", "1");
    }
  }

  @Override
  public void replace(String file, byte[] wrapped) {
    try {
      kv.put(file, wrapped);
    } catch (IOException | JetStreamApiException e) {
      // The rotated keyset is saved locally; a process that joins later would lack it.
      log.error("cluster keysets: the changed keyset {} could not be put into {}: {}", file, BUCKET, e.getMessage());
    }
  }

  @Override
  public String describe() {
    return "NATS key-value bucket " + BUCKET;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes {@code bytes} to {@code file} readable by its owner only, atomically. */
  private static void writeSecret(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
      Files.deleteIfExists(tmp);
      Files.createFile(tmp);
    }
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
