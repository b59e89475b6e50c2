package dev.hearth.ops.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PayloadTest {

  @Test
  void value_parses_back_to_what_made_it() {
    String v = Payload.make(3, 7, 123, "alpha", "w3-0017", 4711, "abc");
    Payload p = Payload.parse(v);
    assertThat(p).extracting(Payload::writer, Payload::run, Payload::op, Payload::collection, Payload::key, Payload::amount)
        .containsExactly(3, 7, 123, "alpha", "w3-0017", 4711L);
    assertThat(v).endsWith(p.sha());
  }

  @Test
  void changed_or_cut_value_is_rejected() {
    String v = Payload.make(3, 7, 123, "alpha", "w3-0017", 4711, "abc");
    assertThatThrownBy(() -> Payload.parse(v.replace("abc", "abd"))).hasMessageContaining("digest mismatch");
    assertThatThrownBy(() -> Payload.parse(v.substring(0, 20))).hasMessageContaining("no digest");
    assertThat(Payload.amountOrNull("garbage")).isNull();
  }

  @Test
  void tags_round_trip() {
    Tag t = new Tag(7, 12, 345, 4);
    assertThat(Tag.parse(t.actor())).isEqualTo(t);
    assertThatThrownBy(() -> Tag.parse("system")).isInstanceOf(IllegalArgumentException.class);
    assertThat(OpId.describe(t.id())).isEqualTo("r12/w7/op345");
  }
}
