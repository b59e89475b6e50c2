package dev.hearth.kernel.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a raw socket (RFC 6455, masked frames out), so a fuzz input can send what
 * browsers never would: any opcode, fragments, bytes that are not UTF-8.
 */
final class RawWebSocket implements AutoCloseable {

  /** A frame from the node: its opcode and payload. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame, -1 without one. */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawWebSocket(int port, int timeoutMillis) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(timeoutMillis);
    out = socket.getOutputStream();
    out.write(("GET /v1/realtime HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    in = new DataInputStream(socket.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
    if (!head.toString().startsWith("HTTP/1.1 101")) throw new IOException("no upgrade: " + head);
  }

  /** One frame: opcode 1 text, 2 binary, 0 continuation, 8-10 control. */
  void frame(int opcode, boolean fin, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | (opcode & 0x0f));
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int i = 7; i >= 0; i--) f.write((int) ((long) payload.length >> (8 * i)) & 0xff);
    }
    byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
    f.write(mask);
    for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i % 4]);
    out.write(f.toByteArray());
    out.flush();
  }

  /** The next frame from the node; EOFException when the connection ended without one. */
  Frame next() throws IOException {
    int b0 = in.readUnsignedByte();
    int len = in.readUnsignedByte() & 0x7f;
    long n = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
    if (n > 16 << 20) throw new IOException("a frame of " + n + " bytes");
    byte[] payload = new byte[(int) n];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  static boolean dropped(IOException e) {
    return e instanceof EOFException || e instanceof SocketException;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
