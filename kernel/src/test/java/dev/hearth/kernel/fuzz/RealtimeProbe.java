package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A few realtime WebSocket messages from outside, checked: an input is up to four messages on a
 * fresh connection to {@code /v1/realtime}, separated by a line {@code --}; a message starts with its
 * kind — {@code text}, {@code binary}, {@code frag} (a text message in two fragments) or {@code ping}
 * (a control ping) — and a space, then its payload, any bytes ({@code $TOKEN} and the like filled in).
 * Each message must get an answer (a JSON frame in our words, a pong) or a close with a code; the
 * connection never just drops. When nothing closed it, a last {@code ping} must still be answered.
 * Nothing is logged at ERROR.
 */
final class RealtimeProbe {

  /** Close codes the node may end a connection with (docs/realtime.md; 1002 is RFC 6455's protocol error). */
  private static final Set<Integer> CLOSE_CODES = Set.of(1000, 1002, 1007, 1009, 4001, 4008);

  record Message(String kind, byte[] payload) {}

  /** An answer: a text frame (or a pong, with empty text), or a close and its code. */
  private record Reply(Integer closeCode, String text) {}

  private final Fuzzing.Target target;

  RealtimeProbe(Fuzzing.Target target) {
    this.target = target;
  }

  /** Sends the messages {@code input} stands for; returns how the connection ended ("open", "close 1009"). */
  String check(byte[] input) throws IOException {
    byte[] filled = target.tenant().fill(input);
    List<Message> messages = messages(filled);
    Fuzzing.ErrorLog errors = target.errors();
    int mark = errors.size();
    String show = new String(filled, StandardCharsets.UTF_8);
    String outcome = null;
    try (RawWebSocket ws = new RawWebSocket(target.node().port(), 15_000)) {
      for (Message m : messages) {
        Integer closed = exchange(ws, m, filled, show);
        if (closed != null) {
          outcome = "close " + closed;
          break;
        }
      }
      if (outcome == null) {
        // Still open: it must still be usable.
        ws.frame(1, true, "{\"type\":\"ping\",\"id\":\"fuzz-end\"}".getBytes(StandardCharsets.UTF_8));
        while (outcome == null) {
          Reply reply = answer(ws, 1, filled, show);
          if (reply.closeCode() != null) outcome = "close " + reply.closeCode() + " at the end";
          else if (reply.text().contains("\"fuzz-end\"")) outcome = "open";
        }
      }
    } catch (IOException e) {
      if (RawWebSocket.dropped(e)) fail("the connection dropped without a close frame after %s", show);
      throw e;
    }
    assertThat(errors.size()).as("ERROR lines after %s:%n%s", show, errors.since(mark)).isEqualTo(mark);
    return outcome;
  }

  /**
   * Sends {@code m} on an open connection and reads its answer (every frame before it checked);
   * returns the close code when the node closed the connection instead, else null.
   */
  static Integer exchange(RawWebSocket ws, Message m, byte[] sent, String show) throws IOException {
    switch (m.kind()) {
      case "binary" -> ws.frame(2, true, m.payload());
      case "ping" -> ws.frame(9, true, Arrays.copyOf(m.payload(), Math.min(125, m.payload().length)));
      case "frag" -> {
        int half = m.payload().length / 2;
        ws.frame(1, false, Arrays.copyOf(m.payload(), half));
        ws.frame(0, true, Arrays.copyOfRange(m.payload(), half, m.payload().length));
      }
      default -> ws.frame(1, true, m.payload());
    }
    return answer(ws, m.kind().equals("ping") ? 10 : 1, sent, show).closeCode();
  }

  /**
   * Reads frames until one of {@code opcode} (1 text, 10 pong) or a close. Every text frame must be a
   * JSON object with a type and without internal names.
   */
  private static Reply answer(RawWebSocket ws, int opcode, byte[] sent, String show) throws IOException {
    while (true) {
      RawWebSocket.Frame f = ws.next();
      if (f.opcode() == 8) {
        assertThat(f.closeCode()).as("the close code after %s", show).isIn(CLOSE_CODES);
        return new Reply(f.closeCode(), "");
      }
      if (f.opcode() == 1) {
        String text = f.text();
        assertThat(Fuzzing.internals(text, sent)).as("an internal name in %s after %s", text, show).isNull();
        JsonObject frame = new JsonObject(text);
        assertThat(frame.getString("type")).as("a frame's type after %s", show).isNotNull();
        if (opcode == 1) return new Reply(null, text);
      }
      if (f.opcode() == 10 && opcode == 10) return new Reply(null, "");
    }
  }

  /** At most four messages, split at the separator lines. */
  static List<Message> messages(byte[] input) {
    List<Message> out = new ArrayList<>();
    for (byte[] raw : Fuzzing.split(input, 4)) out.add(message(raw));
    return out;
  }

  private static Message message(byte[] raw) {
    for (String kind : List.of("text", "binary", "frag", "ping")) {
      byte[] prefix = (kind + " ").getBytes(StandardCharsets.ISO_8859_1);
      if (raw.length >= prefix.length && Arrays.equals(Arrays.copyOf(raw, prefix.length), prefix)) {
        return new Message(kind, Arrays.copyOfRange(raw, prefix.length, raw.length));
      }
    }
    return new Message("text", raw);
  }
}
