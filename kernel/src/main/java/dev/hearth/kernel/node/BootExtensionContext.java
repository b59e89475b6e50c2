package dev.hearth.kernel.node;

import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.spi.BootContext;
import dev.hearth.kernel.spi.Keysets;
import dev.hearth.kernel.spi.LogShipper;
import dev.hearth.kernel.spi.ReplicaStore;
import dev.hearth.kernel.spi.WriteGate;
import dev.hearth.kernel.store.Stores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The node as its extensions see it at {@code join}: the stores just opened, nothing else yet. */
class BootExtensionContext implements BootContext {

  final Vertx vertx;
  final NodeOptions options;
  final Stores stores;

  BootExtensionContext(Vertx vertx, NodeOptions options, Stores stores) {
    this.vertx = vertx;
    this.options = options;
    this.stores = stores;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Clock clock() {
    return options.getClock();
  }

  @Override
  public JsonObject section(String name) {
    return section(options, name);
  }

  /** The config's section {@code name} as an extension sees it; empty when it has none. */
  static JsonObject section(NodeOptions options, String name) {
    // The config accepts only sections it knows, so these are the ones an extension can have.
    return switch (name) {
      case "federation" -> options.getFederation();
      case "cluster" -> options.getCluster();
      default -> new JsonObject();
    };
  }

  @Override
  public Path dataDir() {
    return stores.dataDir();
  }

  @Override
  public String host() {
    return options.getHost();
  }

  @Override
  public List<ReplicaStore> stores() {
    return List.copyOf(stores.opened());
  }

  @Override
  public ReplicaStore kernelStore() {
    return stores.store("kernel");
  }

  @Override
  public Keysets keysets() {
    return stores.vault()::loadOrCreateKeyset;
  }

  @Override
  public void writeGate(WriteGate gate) {
    stores.writeGate(gate);
  }

  @Override
  public void logShipper(LogShipper shipper) {
    stores.logShipper(shipper);
  }
}
