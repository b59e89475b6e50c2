package dev.hearth.kernel.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.errors.ApiErrors;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 8259 and nothing else, in our words. */
class JsonIntakeTest {

  static String refused(String json) {
    try {
      JsonIntake.object(json.getBytes(StandardCharsets.UTF_8), "request body");
    } catch (ModuleException e) {
      assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
      assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("jackson")
          .doesNotContain("StreamReadConstraints");
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + json);
  }

  @Test
  void nesting_upTo64Levels_isFine_andDeeperIsRefused() {
    String ok = "{\"a\":" + "[".repeat(63) + "]".repeat(63) + "}";
    assertThat(JsonIntake.object(ok, "body").getJsonArray("a")).hasSize(1);
    assertThat(refused("{\"a\":" + "[".repeat(64) + "]".repeat(64) + "}")).contains("nested deeper than 64");
    assertThat(refused("[".repeat(100_000))).contains("nested deeper than 64");
  }

  @Test
  void whatRfc8259DoesNotAllow_isRefused() {
    for (String bad : new String[] {"{\"a\":1} x", "{} {}", "{\"a\":1,}", "{'a':1}", "{a:1}", "{\"a\":NaN}",
        "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":01}", "{/*c*/}", "{} // c", "{\"a\":\"\t\"}", "{\"a\":\"\\x\"}",
        "", " ", "{", "{\"a\":", "[1]", "null", "1"}) {
      refused(bad);
    }
    assertThat(refused("{\"a\":1,\"a\":2}")).contains("'a' appears twice");
    assertThat(refused("{\"o\":{\"a\":1,\"a\":1}}")).contains("'a' appears twice in o");
    assertThat(refused("{\"a\":\"\\ud800\"}")).contains("unpaired UTF-16 surrogate");
    assertThat(refused("{\"\\udfff\":1}")).contains("unpaired UTF-16 surrogate");
  }

  @Test
  void invalidUtf8_isRefused() {
    assertThatThrownBy(() -> JsonIntake.object(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'}, "request body"))
        .isInstanceOf(ModuleException.class).hasMessage("request body: is not valid UTF-8 text");
  }

  @Test
  void validJson_readsIntoATree() {
    JsonObject o = JsonIntake.object("\uFEFF{\"a\":[1,2.5,\"x\",true,null,{\"b\":{}}],\"c\":\"\\ud83d\\udd25\"}"
        .getBytes(StandardCharsets.UTF_8), "body");
    assertThat(o.getJsonArray("a").encode()).isEqualTo("[1,2.5,\"x\",true,null,{\"b\":{}}]");
    assertThat(o.getString("c")).isEqualTo("\uD83D\uDD25");
  }

  @Test
  void aPathThroughKeysThatAreNotPlainNames_quotesThem_soNoKeyRunsIntoTheNext() {
    // FuzzRunIT: keys "a@b.c" and "U9+]xLu" joined with dots read as a.b.c.U9, a class-like name nobody sent.
    ModuleException e = refusedWith("{\"a@b.c\":{\"U9+]xLu\":\"\\ud800\"}}");
    assertThat(e.getMessage()).startsWith("[\"a@b.c\"][\"U9+]xLu\"]: ");
    assertThat(e.details()).containsEntry("field", "[\"a@b.c\"][\"U9+]xLu\"]");
    assertThat(refusedWith("{\"outer_key\":{\"x.y\":{\"inner\":\"\\udfff\"}}}").details())
        .containsEntry("field", "outer_key[\"x.y\"].inner");
  }

  @Test
  void lowerCamel_leavesAQuotedKeyAsSent() {
    assertThat(ApiErrors.lowerCamel("outer_key[\"a_b.c_d\"].inner_key"))
        .isEqualTo("outerKey[\"a_b.c_d\"].innerKey");
    assertThat(ApiErrors.lowerCamel("[\"x\\\"_y\"].a_b")).isEqualTo("[\"x\\\"_y\"].aB");
  }

  static ModuleException refusedWith(String json) {
    try {
      JsonIntake.object(json.getBytes(StandardCharsets.UTF_8), "request body");
    } catch (ModuleException e) {
      return e;
    }
    throw new AssertionError("accepted: " + json);
  }
}
