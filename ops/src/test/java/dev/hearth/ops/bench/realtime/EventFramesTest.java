package dev.hearth.ops.bench.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EventFramesTest {

  /** Built the way the node's Frame.of builds it. */
  private static String frame(long seq, String event, String text, long ts) {
    JsonObject f = new JsonObject().put("type", "event").put("topic", "chat/channel/c1");
    if (seq > 0) f.put("seq", seq);
    return f.put("event", event).put("data", new JsonObject().put("id", "m1").put("text", text).put("revision", "0"))
        .put("ts", ts).encode();
  }

  @Test
  void aBenchMessage_givesItsNumberSequenceAndTs() {
    EventFrames.Event e = EventFrames.parse(frame(42, "message.created", "bench 1234 xxxx", 1_763_000_000_123_456L));
    assertThat(e).isEqualTo(new EventFrames.Event(42, 1234, 1_763_000_000_123_456L));
  }

  @Test
  void otherEvents_haveNoMessage_andOtherFramesAreNotEvents() {
    assertThat(EventFrames.parse(frame(7, "message.updated", "bench 5 x", 1)).message()).isEqualTo(-1);
    assertThat(EventFrames.parse(frame(8, "message.created", "hello", 1)).message()).isEqualTo(-1);
    assertThat(EventFrames.parse(frame(0, "typing", "", 3)).seq()).isZero();
    String cutoff = new JsonObject().put("type", "cutoff").put("resume", new JsonObject()).encode();
    assertThat(EventFrames.parse(cutoff)).isNull();
    assertThat(EventFrames.type(cutoff)).isEqualTo("cutoff");
  }

  @Test
  void aBatch_splitsIntoItsEvents_inOrder() {
    String a = frame(10, "message.created", "bench 1 x {\"type\":\"event\" in the text", 100);
    String b = frame(11, "message.created", "bench 2 x", 200);
    String batch = "{\"type\":\"batch\",\"frames\":[" + a + "," + b + "]}";
    var parsed = EventFrames.split(batch).stream().map(EventFrames::parse).toList();
    assertThat(parsed).containsExactly(new EventFrames.Event(10, 1, 100), new EventFrames.Event(11, 2, 200));
    assertThat(EventFrames.split(a)).containsExactly(a);
  }
}
