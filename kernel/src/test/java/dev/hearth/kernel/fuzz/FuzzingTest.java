package dev.hearth.kernel.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The harness's internal-name check: a field path built from the client's own keys is not a finding, a class name is. */
class FuzzingTest {

  private static byte[] sent(String body) {
    return ("POST /v1/user-modules/x/upgrade HTTP/1.1\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFieldPathOfTheClientsOwnKeys_isNotAnInternalName() {
    // FuzzRunIT's finding of 7 December: nested "a" keys and "DEFINITION_JSON", named back without the underscore.
    String answer = "{\"code\":\"INVALID_ARGUMENT\",\"message\":\"a.a.DEFINITIONJSON: the text holds an unpaired UTF-16 surrogate\"}";
    assertThat(Fuzzing.internals(answer, sent("{\"a\":{\"a\":{\"DEFINITION_JSON\":\"\\udaf1\"}}}"))).isNull();
  }

  @Test
  void aClassName_isAFinding_evenWhenSomeOfItsPartsAreKeysTheClientSent() {
    String answer = "{\"message\":\"failed in dev.hearth.KernelThing\"}";
    assertThat(Fuzzing.internals(answer, sent("{\"a\":1}"))).isEqualTo("dev.hearth.KernelThing");
    assertThat(Fuzzing.internals(answer, sent("{\"dev\":{\"hearth\":1}}"))).isEqualTo("dev.hearth.KernelThing");
    // A part sent as a value, not as a key, does not make it the client's path either.
    assertThat(Fuzzing.internals(answer, sent("{\"dev\":{\"hearth\":\"kernel_thing x\"}}"))).isEqualTo("dev.hearth.KernelThing");
  }
}
