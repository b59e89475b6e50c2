package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hearth.testkit.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The realtime WebSocket from outside, fuzzed: each input is a few messages on a fresh connection to
 * {@code /v1/realtime}, separated by a line {@code --}; a message starts with its kind — {@code text},
 * {@code binary}, {@code frag} (a text message in two fragments) or {@code ping} (a control ping) —
 * and a space, then its payload, any bytes ({@code $TOKEN} and the like filled in). Each message must
 * get an answer (a JSON frame in our words, a pong) or a close with a code; the connection never just
 * drops. When nothing closed it, a last {@code ping} must still be answered. Nothing is logged at ERROR.
 */
@ExtendWith(Fuzzing.Shared.class)
class RealtimeFuzzIT {

  /** Close codes the node may end a connection with (docs/realtime.md; 1002 is RFC 6455's protocol error). */
  private static final Set<Integer> CLOSE_CODES = Set.of(1000, 1002, 1007, 1009, 4001, 4008);
  private static final byte[] SEPARATOR = "\n--\n".getBytes(StandardCharsets.ISO_8859_1);

  static TestNode node;
  static Fuzzing.Target target;
  static Fuzzing.Tenant tenant;
  static Fuzzing.ErrorLog errors;
  static final Map<String, AtomicLong> outcomes = new TreeMap<>();
  static long started;

  @BeforeAll
  static void start(Fuzzing.Target shared) {
    target = shared;
    node = shared.node();
    tenant = shared.tenant();
    errors = shared.errors();
    started = System.nanoTime();
  }

  @AfterAll
  static void stop() throws Exception {
    long cases = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
    System.out.printf("RealtimeFuzzIT: %d connections in %.1f s, outcomes %s%n", cases,
        (System.nanoTime() - started) / 1e9, outcomes);
    assertThat(target.health()).as("the node is healthy after the run").isEqualTo(200);
  }

  record Message(String kind, byte[] payload) {}

  @FuzzTest(maxDuration = "2m")
  void realtimeFrames(byte[] input) throws IOException {
    try (SilentCloseable network = Fuzzing.allowNetwork()) {
      byte[] filled = tenant.fill(input);
      List<Message> messages = messages(filled);
      int mark = errors.size();
      String show = new String(filled, StandardCharsets.UTF_8);
      try (RawWebSocket ws = new RawWebSocket(node.port(), 15_000)) {
        for (Message m : messages) {
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
          Reply reply = answer(ws, m.kind().equals("ping") ? 10 : 1, filled, show);
          if (reply.closeCode() != null) {
            count("close " + reply.closeCode());
            assertThat(errors.size()).as("ERROR lines after %s:%n%s", show, errors.since(mark)).isEqualTo(mark);
            return;
          }
        }
        // Still open: it must still be usable.
        ws.frame(1, true, "{\"type\":\"ping\",\"id\":\"fuzz-end\"}".getBytes(StandardCharsets.UTF_8));
        while (true) {
          Reply reply = answer(ws, 1, filled, show);
          if (reply.closeCode() != null) {
            count("close " + reply.closeCode() + " at the end");
            break;
          }
          if (reply.text().contains("\"fuzz-end\"")) {
            count("open");
            break;
          }
        }
      } catch (IOException e) {
        if (RawWebSocket.dropped(e)) fail("the connection dropped without a close frame after %s", show);
        throw e;
      }
      assertThat(errors.size()).as("ERROR lines after %s:%n%s", show, errors.since(mark)).isEqualTo(mark);
    }
  }

  /** An answer: a text frame (or a pong, with empty text), or a close and its code. */
  record Reply(Integer closeCode, String text) {}

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

  private static void count(String outcome) {
    outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
  }

  /** At most four messages, split at the separator lines. */
  static List<Message> messages(byte[] input) {
    List<Message> out = new ArrayList<>();
    int from = 0;
    while (from <= input.length && out.size() < 4) {
      int at = indexOf(input, SEPARATOR, from);
      int to = at < 0 ? input.length : at;
      out.add(message(Arrays.copyOfRange(input, from, to)));
      if (at < 0) break;
      from = at + SEPARATOR.length;
    }
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

  private static int indexOf(byte[] data, byte[] what, int from) {
    outer:
    for (int i = from; i + what.length <= data.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (data[i + j] != what[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}
