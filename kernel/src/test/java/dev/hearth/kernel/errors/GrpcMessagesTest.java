package dev.hearth.kernel.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GrpcMessagesTest {

  @Test
  void encode_leavesPrintableAsciiAlone_andEscapesOnlyPercentAndTheRest() {
    assertThat(GrpcMessages.encode("channel_id: join channel 0193 first, then post (a+b=c?) #1 ~*"))
        .isEqualTo("channel_id: join channel 0193 first, then post (a+b=c?) #1 ~*");
    assertThat(GrpcMessages.encode("100% done")).isEqualTo("100%25 done");
    assertThat(GrpcMessages.encode("line\nbreak\ttab")).isEqualTo("line%0Abreak%09tab");
    assertThat(GrpcMessages.encode("текст: пусто")).isEqualTo("%D1%82%D0%B5%D0%BA%D1%81%D1%82: %D0%BF%D1%83%D1%81%D1%82%D0%BE");
  }

  @Test
  void decode_undoesEncode_keepsPlus_andPassesMalformedEscapesThrough() {
    for (String s : new String[] {"a+b: 100% ,/?#[]", "текст: пусто 😀", "", "%%%"}) {
      assertThat(GrpcMessages.decode(GrpcMessages.encode(s))).isEqualTo(s);
    }
    assertThat(GrpcMessages.decode("a+b")).isEqualTo("a+b");
    assertThat(GrpcMessages.decode("50%zz %4")).isEqualTo("50%zz %4");
  }
}
