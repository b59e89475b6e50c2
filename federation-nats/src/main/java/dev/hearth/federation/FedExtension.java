package dev.hearth.federation;

import dev.hearth.kernel.spi.NodeContext;
import dev.hearth.kernel.spi.NodeExtension;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Federation as a node extension (found through {@code META-INF/services}): when the config's
 * {@code federation.natsUrl} is set, connects to this node's NATS server, serves {@code
 * hearth.federation.v1.FedService} and starts publishing, replicating and forwarding; otherwise
 * does nothing and the node stays a single node.
 */
public final class FedExtension implements NodeExtension {

  private static final Logger log = LoggerFactory.getLogger(FedExtension.class);
  private volatile Federation federation;

  @Override
  public String name() {
    return "federation";
  }

  @Override
  public Future<Void> start(NodeContext node) {
    FederationOptions options = FederationOptions.from(node.section("federation"));
    if (!options.enabled()) return Future.succeededFuture();
    return node.vertx().executeBlocking(() -> {
      String nodeId = options.nodeId() != null ? options.nodeId() : storedNodeId(node.dataDir());
      Federation f = new Federation(node, options, nodeId);
      for (var binding : new FedApi(f).bindings()) node.serve(binding);
      node.realtime("federation").topics(new FedTopics(node.authorization()));
      f.start();
      federation = f;
      log.info("federation on: node {}, NATS {}, JetStream domain {}", nodeId, options.natsUrl(), f.jsDomain);
      return null;
    }, false);
  }

  /** The node id made on first start and kept with the data, so links survive restarts. */
  private static String storedNodeId(Path dataDir) throws IOException {
    Path file = dataDir.resolve("federation").resolve("node-id");
    if (Files.exists(file)) return Files.readString(file).strip();
    Files.createDirectories(file.getParent());
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder id = new StringBuilder("n");
    for (int i = 0; i < 11; i++) id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    Files.writeString(file, id + "\n");
    return id.toString();
  }

  @Override
  public Future<Void> stop() {
    Federation f = federation;
    federation = null;
    if (f != null) f.close();
    return Future.succeededFuture();
  }

  /** The running federation, for tests in this package. */
  Federation federation() {
    return federation;
  }
}
