package dev.hearth.kernel.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The realtime endpoint's limits, with a WebSocket client written on a raw socket so it can send
 * what browsers never would: a message over {@code realtime.maxFrameBytes} (whole or in fragments)
 * gets an {@code error} frame and close 1009, invalid UTF-8 close 1007, and every failed {@code auth}
 * counts toward the five that close the connection, empty and null tokens included.
 */
class WsLimitsIT {

  @TempDir static Path tmp;
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(tmp);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A minimal RFC 6455 client: masked frames out, frames in until the node's close frame. */
  static final class RawWs implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;

    RawWs() throws IOException {
      socket = new Socket("127.0.0.1", node.port());
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      out.write(("GET /v1/realtime HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      in = new DataInputStream(socket.getInputStream());
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
      assertThat(head.toString()).startsWith("HTTP/1.1 101");
    }

    /** One frame: opcode 1 text, 2 binary, 0 continuation. */
    void frame(int opcode, boolean fin, byte[] payload) throws IOException {
      ByteArrayOutputStream f = new ByteArrayOutputStream();
      f.write((fin ? 0x80 : 0) | opcode);
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
      byte[] mask = {1, 2, 3, 4};
      f.write(mask);
      for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i % 4]);
      out.write(f.toByteArray());
      out.flush();
    }

    void text(String s) throws IOException {
      frame(1, true, s.getBytes(StandardCharsets.UTF_8));
    }

    /** The next text frame the node sends. */
    String nextText() throws IOException {
      while (true) {
        int b0 = in.readUnsignedByte();
        int len = in.readUnsignedByte() & 0x7f;
        long n = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
        byte[] payload = new byte[(int) n];
        in.readFully(payload);
        if ((b0 & 0x0f) == 1) return new String(payload, StandardCharsets.UTF_8);
        if ((b0 & 0x0f) == 8) throw new EOFException("closed");
      }
    }

    /** The text frames the node sent, and its close code (-1 if the socket ended without one). */
    Closed readUntilClose() throws IOException {
      List<String> texts = new ArrayList<>();
      try {
        while (true) {
          int b0 = in.readUnsignedByte();
          int len = in.readUnsignedByte() & 0x7f;
          long n = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
          byte[] payload = new byte[(int) n];
          in.readFully(payload);
          int opcode = b0 & 0x0f;
          if (opcode == 1) texts.add(new String(payload, StandardCharsets.UTF_8));
          if (opcode == 8) {
            int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
            return new Closed(texts, code);
          }
        }
      } catch (EOFException | SocketException e) {
        return new Closed(texts, -1);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  record Closed(List<String> texts, int code) {}

  @Test
  void aMessageOverTheLimitGetsAnErrorFrameAndClose1009() throws Exception {
    int max = node.options().realtimeOptions().maxFrameBytes();
    String big = "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(max) + "\"}";
    try (RawWs ws = new RawWs()) {
      ws.text(big);
      Closed c = ws.readUntilClose();
      assertThat(c.code()).isEqualTo(1009);
      assertThat(c.texts()).singleElement().satisfies(t -> assertThat(new JsonObject(t).getString("type")).isEqualTo("error"))
          .satisfies(t -> assertThat(t).contains("realtime.maxFrameBytes").doesNotContain("Exception"));
    }
  }

  @Test
  void aFragmentedMessageOverTheLimitIsRefusedAtTheFragmentThatCrossesIt() throws Exception {
    byte[] part = "x".repeat(40 * 1024).getBytes(StandardCharsets.UTF_8);
    try (RawWs ws = new RawWs()) {
      ws.frame(1, false, "{\"type\":\"ping\",\"pad\":\"".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 16; i++) { // 640 KiB in 40 KiB fragments, as in the probe
        try {
          ws.frame(0, false, part);
        } catch (SocketException e) {
          break; // closed while we were still sending
        }
      }
      Closed c = ws.readUntilClose();
      assertThat(c.code()).isEqualTo(1009);
      assertThat(String.join("", c.texts())).contains("\"type\":\"error\"");
    }
  }

  @Test
  void aSingleFrameFarOverTheLimitIsClose1009FromItsLength() throws Exception {
    try (RawWs ws = new RawWs()) {
      // The head of a 1 MiB text frame and a few bytes of it: its declared length alone ends the
      // connection, at the WebSocket layer, with a close 1009 (Vert.x alone dropped it without one).
      ws.out.write(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4, 'x', 'x'});
      ws.out.flush();
      long start = System.nanoTime();
      Closed c = ws.readUntilClose();
      assertThat(c.texts()).isEmpty();
      assertThat(c.code()).isEqualTo(1009);
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
    }
  }

  @Test
  void aMessageJustUnderTheLimitIsServed() throws Exception {
    int max = node.options().realtimeOptions().maxFrameBytes();
    String head = "{\"type\":\"ping\",\"id\":\"p\",\"pad\":\"";
    try (RawWs ws = new RawWs()) {
      String message = head + "x".repeat(max - head.length() - 2) + "\"}";
      assertThat(message.getBytes(StandardCharsets.UTF_8)).hasSize(max);
      ws.text(message);
      assertThat(ws.nextText()).contains("\"type\":\"pong\"").contains("\"id\":\"p\"");
    }
  }

  @Test
  void anArrayNestedSixtyDeepGetsAnErrorFrameAndTheConnectionStaysUsable() throws Exception {
    // Under the depth limit (64), and not an object: it used to drop the connection, no close, no log line.
    try (RawWs ws = new RawWs()) {
      ws.text("[".repeat(60) + "1" + "]".repeat(60));
      JsonObject error = new JsonObject(ws.nextText());
      assertThat(error.getString("type")).isEqualTo("error");
      assertThat(error.getString("code")).isEqualTo("INVALID_ARGUMENT");
      assertThat(error.getString("message")).contains("one JSON object").doesNotContain("Exception");
      ws.text("{\"type\":\"ping\",\"id\":\"after\"}");
      assertThat(ws.nextText()).contains("\"type\":\"pong\"").contains("\"id\":\"after\"");
    }
  }

  @Test
  void invalidUtf8InATextFrameIsClose1007() throws Exception {
    try (RawWs ws = new RawWs()) {
      byte[] bad = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
      ws.frame(1, true, bad);
      Closed c = ws.readUntilClose();
      assertThat(c.code()).isEqualTo(1007);
      assertThat(c.texts()).isEmpty();
    }
  }

  @Test
  void everyFailedAuthCountsEmptyAndNullTokensIncluded() throws Exception {
    try (RawWs ws = new RawWs()) {
      ws.text("{\"type\":\"auth\",\"token\":\"\",\"id\":1}");
      ws.text("{\"type\":\"auth\",\"token\":null,\"id\":2}");
      ws.text("{\"type\":\"auth\",\"id\":3}");
      ws.text("{\"type\":\"auth\",\"token\":\"   \",\"id\":4}");
      ws.text("{\"type\":\"auth\",\"token\":\"wrong\",\"id\":5}");
      Closed c = ws.readUntilClose();
      assertThat(c.code()).isEqualTo(4001);
      assertThat(c.texts()).hasSize(5).allSatisfy(t -> assertThat(new JsonObject(t).getString("type")).isEqualTo("error"));
    }
  }
}
