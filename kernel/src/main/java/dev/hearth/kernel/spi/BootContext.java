package dev.hearth.kernel.spi;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * What a {@link NodeExtension} gets of the node at {@link NodeExtension#join}: the stores just
 * opened, before identity starts and before anything is written to them. Enough to set who may
 * write them and where their frames go, and to bring them up to date with another process's
 * writes (a cluster's replicated kernel store).
 */
public interface BootContext {

  Vertx vertx();

  /** The clock the node reckons expiries by. */
  Clock clock();

  /** The config file's section {@code name}; empty when absent. */
  JsonObject section(String name);

  /** The data directory, for an extension's own files under it. */
  Path dataDir();

  /** The host the node will listen on, as configured (the port is not bound yet). */
  String host();

  /** The stores open now (the kernel's and the files store; modules open theirs later). */
  List<ReplicaStore> stores();

  /** The kernel's own store. */
  ReplicaStore kernelStore();

  /** The node's keysets, wrapped by the master key. */
  Keysets keysets();

  /** As {@link NodeContext#writeGate}. */
  void writeGate(WriteGate gate);

  /** As {@link NodeContext#logShipper}. */
  void logShipper(LogShipper shipper);
}
