package dev.hearth.kernel.realtime;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Puts a client's WebSocket frames together into messages (a message may be fragmented into a
 * first frame and continuations), holding at most {@code maxBytes} of one message: the first byte
 * past it ends the message as too big (RFC 6455 close 1009) without reading the rest, and a text
 * message that is not valid UTF-8 ends as such (close 1007) instead of being decoded with
 * replacement characters. Used on the connection's event loop only.
 */
final class WsMessages {

  /** What a complete (or refused) message becomes. */
  interface Listener {
    void text(String text);

    void binary();

    /** The message grew past the limit; {@code size} is what had arrived by then. */
    void tooBig(long size);

    void invalidUtf8();
  }

  private final int maxBytes;
  private final Listener listener;
  private Buffer message;
  private boolean text;
  private boolean refused;

  WsMessages(int maxBytes, Listener listener) {
    this.maxBytes = maxBytes;
    this.listener = listener;
  }

  void frame(WebSocketFrame frame) {
    if (refused) return;
    if (frame.isText() || frame.isBinary()) {
      text = frame.isText();
      message = Buffer.buffer();
    } else if (!frame.isContinuation() || message == null) {
      return; // control frames are Vert.x's; a continuation with no first frame is a protocol error it reports
    }
    Buffer data = frame.binaryData();
    if ((long) message.length() + data.length() > maxBytes) {
      refused = true;
      long size = (long) message.length() + data.length();
      message = null;
      listener.tooBig(size);
      return;
    }
    message.appendBuffer(data);
    if (!frame.isFinal()) return;
    Buffer whole = message;
    message = null;
    if (!text) {
      listener.binary();
      return;
    }
    String decoded;
    try {
      decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(whole.getBytes())).toString();
    } catch (CharacterCodingException e) {
      refused = true;
      listener.invalidUtf8();
      return;
    }
    listener.text(decoded);
  }
}
