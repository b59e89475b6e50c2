package dev.hearth.kernel.plugins;

import dev.hearth.module.ModuleContext;
import dev.hearth.module.auth.Authorization;
import dev.hearth.module.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** What one running module gets of the node. Lives from the module's start to its stop. */
final class ModuleContextImpl implements ModuleContext {

  private final String moduleId;
  private final Vertx vertx;
  private final Store store;
  private final JsonObject config;
  private final Authorization authorization;

  ModuleContextImpl(String moduleId, Vertx vertx, Store store, JsonObject config, Authorization authorization) {
    this.moduleId = moduleId;
    this.vertx = vertx;
    this.store = store;
    this.config = config;
    this.authorization = authorization;
  }

  @Override
  public String moduleId() {
    return moduleId;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Store store() {
    return store;
  }

  @Override
  public Authorization authorization() {
    return authorization;
  }

  @Override
  public JsonObject config() {
    return config.copy();
  }
}
