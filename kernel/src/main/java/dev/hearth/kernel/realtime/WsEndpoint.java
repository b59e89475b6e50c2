package dev.hearth.kernel.realtime;

import dev.hearth.module.auth.Caller;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The node's one WebSocket endpoint, {@code /v1/realtime}: accepts the handshake there (404
 * elsewhere) and runs a {@link WsConnection} per client. Credentials come in the first frame
 * (browsers cannot set headers on a WebSocket), or in an {@code Authorization} header.
 */
public final class WsEndpoint {

  public static final String PATH = "/v1/realtime";

  private WsEndpoint() {}

  /**
   * Installs the endpoint on {@code server}, before it listens; {@code upgraded} hears the client
   * address of each connection that becomes a WebSocket (it leaves the HTTP idle rule). A handshake
   * refused here (another path) is an ordinary answered request: its connection keeps the idle rule.
   */
  public static void mount(HttpServer server, Vertx vertx, RealtimeHub hub, Function<String, Caller> authenticate,
      Consumer<SocketAddress> upgraded) {
    server.webSocketHandshakeHandler(handshake -> {
      if (!PATH.equals(handshake.path())) {
        handshake.reject(404);
        return;
      }
      upgraded.accept(handshake.remoteAddress());
      String authorization = handshake.headers().get("authorization");
      handshake.accept().onSuccess(ws -> {
        FrameViolations.install(ws);
        new WsConnection(vertx, ws, hub, authenticate).start(authorization);
      });
    });
  }
}
