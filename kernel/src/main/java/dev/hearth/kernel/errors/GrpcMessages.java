package dev.hearth.kernel.errors;

import dev.hearth.module.ModuleException;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code grpc-message} of a status, encoded as the gRPC spec (PROTOCOL-HTTP2.md) says: UTF-8,
 * with only the bytes outside printable ASCII (0x20–0x7E) and {@code %} itself percent-encoded.
 * Vert.x encodes it as a URL query (':' as {@code %3A}, ',' as {@code %2C}, ...), which grpc-js and
 * grpc-go hand to their users undecoded; so the node sets the trailer itself.
 */
public final class GrpcMessages {

  static final String TRAILER = "grpc-message";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private GrpcMessages() {}

  /** Ends the call with the error's status and message, its details as trailers. */
  public static void fail(GrpcServerResponse<?, ?> response, ModuleException e) {
    e.details().forEach((k, v) -> response.trailers().set(Statuses.trailer(k), v));
    end(response, Statuses.grpc(e.code()), e.getMessage());
  }

  /** Ends the call with a status other than OK and {@code message}. */
  public static void end(GrpcServerResponse<?, ?> response, GrpcStatus status, String message) {
    // Vert.x leaves a grpc-message trailer that is already set as it is.
    if (message != null) response.trailers().set(TRAILER, encode(message));
    response.status(status).end();
  }

  public static String encode(String message) {
    StringBuilder out = new StringBuilder(message.length());
    for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x20 && c <= 0x7e && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * The message a peer sent: percent-decoded as the spec says (a '+' stays a '+', unlike a URL
   * query's decoding), and a malformed escape kept as it came rather than refused.
   */
  public static String decode(String encoded) {
    if (encoded == null) return null;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length() && hex(encoded.charAt(i + 1)) >= 0 && hex(encoded.charAt(i + 2)) >= 0) {
        bytes.write(hex(encoded.charAt(i + 1)) << 4 | hex(encoded.charAt(i + 2)));
        i += 2;
      } else {
        // The spec sends ASCII here; anything else is passed on as it came.
        int cp = encoded.codePointAt(i);
        byte[] raw = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
        i += Character.charCount(cp) - 1;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }
}
