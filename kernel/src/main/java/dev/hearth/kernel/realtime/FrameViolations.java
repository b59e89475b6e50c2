package dev.hearth.kernel.realtime;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketImplBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a WebSocket whose client broke the framing with the close code the WebSocket decoder
 * names (RFC 6455 §7.4.1): 1009 for a frame whose declared length is over the server's frame limit,
 * 1002 for a protocol error, 1007 for bad data. Vert.x builds its decoder with
 * {@code closeOnProtocolViolation(false)} and then drops such a connection without a close frame, so
 * the client saw 1006; this handler sits between the decoder and Vert.x, answers with the close frame
 * and closes once it is written. One DEBUG line.
 */
final class FrameViolations extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(FrameViolations.class);
  private static final String NAME = "hearth-ws-violations";

  /** Puts the handler in front of Vert.x's on {@code ws}'s channel (a Vert.x server WebSocket). */
  static void install(ServerWebSocket ws) {
    if (!(ws instanceof WebSocketImplBase<?> base)) return;
    ChannelHandlerContext vertx = base.channelHandlerContext();
    if (vertx == null || vertx.pipeline().get(NAME) != null) return;
    vertx.pipeline().addBefore(vertx.name(), NAME, new FrameViolations());
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof CorruptedWebSocketFrameException corrupt)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    log.debug("websocket frame refused ({}): close {}", cause.getMessage(), corrupt.closeStatus().code());
    if (!ctx.channel().isActive()) return;
    ctx.writeAndFlush(new CloseWebSocketFrame(corrupt.closeStatus().code(), reason(corrupt.closeStatus().code())))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private static String reason(int code) {
    return code == 1009 ? "frame over the size limit" : code == 1007 ? "invalid frame data" : "protocol error";
  }
}
