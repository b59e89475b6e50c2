package dev.hearth.module.api;

import com.google.protobuf.Message;
import io.vertx.core.Future;

/**
 * The one implementation of a unary RPC, shared by every transport. Called on an event loop after
 * authentication and authorization; must not block (use a worker for Argon2 and the like). A
 * failure should be a {@link dev.hearth.module.ModuleException}; anything else is INTERNAL.
 *
 * @since 0.2
 */
@FunctionalInterface
public interface UnaryHandler<Req extends Message, Resp extends Message> {

  Future<Resp> handle(Call call, Req request);
}
