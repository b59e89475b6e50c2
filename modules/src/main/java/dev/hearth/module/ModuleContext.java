package dev.hearth.module;

import dev.hearth.module.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Everything a module may use of the node. A context belongs to one module and lives from its start
 * to its stop; every method may be called from any thread.
 *
 * @since 0.1
 */
public interface ModuleContext {

  /** The module's id, as returned by {@link Module#id()}. */
  String moduleId();

  /** The node's Vert.x instance, shared by every module. */
  Vertx vertx();

  /** This module's own encrypted store, open for as long as the module runs. */
  Store store();

  /**
   * The node's authorization layer, the same the kernel applies to every RPC's access option.
   *
   * @since 0.2
   */
  dev.hearth.module.auth.Authorization authorization();

  /**
   * Serves a gRPC service on the node's port — gRPC, gRPC-Web, and REST/JSON for methods with a
   * {@code google.api.http} rule — for as long as the module runs, behind the same guard as the
   * kernel's own services: each method's {@code (hearth.api.v1.access)} rule is enforced before its
   * handler runs. Reflection (and so the {@code hearth} CLI) lists it at once; it is removed when
   * the module stops.
   *
   * @throws ModuleException FAILED_PRECONDITION when a service of that name is already served
   * @since 0.2
   */
  void serve(dev.hearth.module.api.ServiceBinding service);

  /**
   * The module's realtime topics and ephemeral events, for WebSocket and gRPC stream clients.
   *
   * @since 0.3
   */
  dev.hearth.module.realtime.Realtime realtime();

  /**
   * The module's pages (Adaptive Card templates) and strings, for the web shell.
   *
   * @since 0.3
   */
  dev.hearth.module.ui.Pages pages();

  /** The module's section of the node configuration; an empty object when there is none. */
  JsonObject config();
}
