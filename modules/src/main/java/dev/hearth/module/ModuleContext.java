package dev.hearth.module;

import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.files.FileRefs;
import dev.hearth.module.flags.Flags;
import dev.hearth.module.metrics.Metrics;
import dev.hearth.module.realtime.Realtime;
import dev.hearth.module.store.Store;
import dev.hearth.module.ui.Pages;
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
  Authorization authorization();

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
  void serve(ServiceBinding service);

  /**
   * The module's realtime topics and ephemeral events, for WebSocket and gRPC stream clients.
   *
   * @since 0.3
   */
  Realtime realtime();

  /**
   * The module's pages (Adaptive Card templates) and strings, for the web shell.
   *
   * @since 0.3
   */
  Pages pages();

  /**
   * The module's section of the node configuration (the config file's {@code moduleConfig.<moduleId>}
   * object, a copy); an empty object when there is none. The node does not look inside it: the
   * module checks its own keys, and may hold secrets there (the node never logs them).
   */
  JsonObject config();

  /**
   * The module's own meters, exported on the node's {@code /metrics} as
   * {@code hearth_module_<moduleId>_...}; see {@link dev.hearth.module.metrics.Metrics} for names,
   * tags and limits. Everything registered through it is removed when the module stops.
   *
   * <p>The default (for contexts made outside a node, such as test doubles) records nothing; the
   * node's contexts always return live meters.
   *
   * @since 0.4
   */
  default Metrics metrics() {
    return Metrics.none();
  }

  /**
   * The node's project files, to check the file ids a module attaches (a chat message's
   * attachments, a record's file field) before storing them.
   *
   * <p>The default (for contexts made outside a node, such as test doubles) finds no file; the
   * node's contexts always see its files.
   *
   * @since 0.5
   */
  default FileRefs files() {
    return FileRefs.none();
  }

  /**
   * The module's feature flags: declared by the module, flipped at run time by admins per node, org
   * or project, read on each call. See {@link dev.hearth.module.flags.Flags}.
   *
   * <p>The default (for contexts made outside a node, such as test doubles) knows only declared
   * defaults; the node's contexts always return live flags.
   *
   * @since 0.5
   */
  default Flags flags() {
    return Flags.defaultsOf(this);
  }
}
