package dev.hearth.kernel.node;

import dev.hearth.kernel.api.ApiServer;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.identity.Identity;
import dev.hearth.kernel.metrics.NodeMetrics;
import dev.hearth.kernel.notifications.Notifications;
import dev.hearth.kernel.plugins.ModuleHost;
import dev.hearth.kernel.spi.NodeContext;
import dev.hearth.kernel.spi.NodeExtension;
import dev.hearth.kernel.store.Stores;
import dev.hearth.kernel.tenancy.Tenancy;
import java.util.Optional;

/**
 * The parts of a running {@link Node} that tests and the ops tools reach into. <b>Not API</b>: a
 * node's public face is {@link Node#start}, {@link Node#port}, {@link Node#isReady}, {@link
 * Node#beginShutdown} and {@link Node#close}; code that runs beside the kernel gets a {@link
 * NodeContext}. The architecture tests ({@code KernelLayersTest}, {@code
 * ClusterBoundaryTest}, {@code FederationBoundaryTest}) keep everything but the test kit, the ops
 * tools and tests away from this class; tests reach it through {@code dev.hearth.testkit.TestNode}.
 */
public final class NodeInternals {

  private final Node node;

  private NodeInternals(Node node) {
    this.node = node;
  }

  public static NodeInternals of(Node node) {
    return new NodeInternals(node);
  }

  public NodeOptions options() {
    return node.options();
  }

  /** The node's stores (the kernel's and each module's). */
  public Stores stores() {
    return node.stores();
  }

  /** The module host: loads, starts and stops module jars while the node runs. */
  public ModuleHost modules() {
    return node.modules();
  }

  /** The API server (its registry, and calls dispatched as a given caller). */
  public ApiServer api() {
    return node.api();
  }

  /** Identity: accounts, sessions, JWT, the guard. */
  public Identity identity() {
    return node.identity();
  }

  /** Tenancy: orgs, projects, memberships and invites. */
  public Tenancy tenancy() {
    return node.tenancy();
  }

  /** The node's notifications (docs/notifications.md). */
  public Notifications notifications() {
    return node.notifications();
  }

  /** The node's meters, served on {@code /metrics} (empty unless metrics are enabled). */
  public NodeMetrics metrics() {
    return node.metrics();
  }

  /** The running extension of type {@code type}, if it was found and started. */
  public <T extends NodeExtension> Optional<T> extension(Class<T> type) {
    return node.extension(type);
  }
}
