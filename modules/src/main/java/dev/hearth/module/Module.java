package dev.hearth.module;

import io.vertx.core.Future;
import org.pf4j.ExtensionPoint;

/**
 * A Hearth module: chat, video, surveys, or anything a module developer writes. The kernel finds
 * modules, gives each its own {@link ModuleContext} and calls {@link #start} once; nothing of the
 * kernel is reachable except through that context.
 *
 * <p>Packaging: a module is a PF4J plugin (a jar with {@code Plugin-Id} and {@code Plugin-Version} in
 * its manifest) whose {@code META-INF/extensions.idx} names one {@code Module} implementation.
 * The SDK, Vert.x, protobuf and PF4J come from the node (parent first): never bundle them.
 *
 * <p>Threading: {@code start} and {@code stop} are called on a Vert.x event-loop context and must
 * not block; do slow work on a worker ({@code vertx.executeBlocking}) and complete the future.
 *
 * @since 0.1
 */
public interface Module extends ExtensionPoint {

  /** A stable id, lower-case letters, digits and dashes ({@code chat}, {@code survey}); names its store. */
  String id();

  /**
   * The version of this module's stored data, 1 or more. When it is higher than the version recorded
   * in the module's store, the kernel calls {@link #migrate} before {@link #start} and records the
   * new version once the migration succeeds; a store recorded at a higher version than this (a
   * downgrade) is refused with FAILED_PRECONDITION, so old code never reads newer data.
   */
  default int schemaVersion() {
    return 1;
  }

  /**
   * Brings the module's store from {@code fromVersion} (0 for a store that predates versioning) up
   * to {@link #schemaVersion()}, e.g. by rewriting records in {@code context.store().write(...)}.
   * Called on an event loop before {@link #start}, with the same context; a failed future leaves the
   * module stopped and the recorded version unchanged, so a fixed migration can run again.
   *
   * @since 0.2
   */
  default Future<Void> migrate(ModuleContext context, int fromVersion) {
    return Future.succeededFuture();
  }

  /** Declares collections and views, registers endpoints. A failed future leaves the module stopped. */
  Future<Void> start(ModuleContext context);

  /** Releases what {@link #start} took. The kernel closes the module's store after this completes. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
