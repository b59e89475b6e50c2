package dev.hearth.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.module.ModuleException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CardValidatorTest {

  private static final String VALID = """
      {
        "type": "AdaptiveCard", "version": "1.5",
        "body": [
          {"type": "TextBlock", "text": "${title}", "size": "large", "weight": "bolder"},
          {"type": "TextBlock", "text": "${name}: ${count}", "$data": "${greeters}", "size": "${size}",
           "wrap": "${long}", "maxLines": "${lines}"},
          {"type": "TextBlock", "text": "nobody yet", "$when": "${count(greeters) == 0}", "isSubtle": true},
          {"type": "FactSet", "facts": [{"$data": "${facts}", "title": "${k}", "value": "${v}"}]},
          {"type": "Container", "items": "${containerItems}"}
        ],
        "actions": [{"type": "Action.Submit", "title": "Greet"}]
      }
      """;

  @Test
  void aCardWithBindings_$dataAnd$when_isValid() {
    assertThat(CardValidator.validate("t", bytes(VALID)).path("version").asText()).isEqualTo("1.5");
  }

  @Test
  void notJson_isRefused() {
    assertRefused("{\"type\": ", "not JSON");
  }

  @Test
  void notACard_isRefused() {
    assertRefused("[1, 2]", "(root): must be a JSON object");
    assertRefused("{\"type\": \"Card\", \"version\": \"1.5\"}", "/type: must be \"AdaptiveCard\"");
  }

  @Test
  void aMissingOrNewerVersion_isRefused() {
    assertRefused("{\"type\": \"AdaptiveCard\"}", "/version: must be a card version");
    assertRefused("{\"type\": \"AdaptiveCard\", \"version\": \"1.7\"}", "/version: 1.7 is newer than 1.6");
    assertRefused("{\"type\": \"AdaptiveCard\", \"version\": \"2.0\"}", "/version: 2.0 is newer");
  }

  @Test
  void aWrongEnum_isRefused_withItsPointer_evenAfterTheFirstElement() {
    assertRefused(card("{\"type\": \"TextBlock\", \"text\": \"a\"}, {\"type\": \"TextBlock\", \"text\": \"b\", \"size\": \"huge\"}"),
        "/body/1/size: ");
  }

  @Test
  void aLiteralOfTheWrongType_isRefused_thoughABindingThereIsFine() {
    assertRefused(card("{\"type\": \"TextBlock\", \"text\": \"a\", \"wrap\": \"yes\"}"), "/body/0/wrap: ");
    CardValidator.validate("t", bytes(card("{\"type\": \"TextBlock\", \"text\": \"a\", \"wrap\": \"${w}\"}")));
  }

  @Test
  void anUnknownElementOrAMissingRequiredProperty_isRefused() {
    assertRefused(card("{\"type\": \"Blink\", \"text\": \"a\"}"), "/body/0/type: 'Blink' is not an element type");
    assertRefused(card("{\"type\": \"TextBlock\", \"size\": \"large\"}"), "/body/0: TextBlock needs 'text'");
  }

  @Test
  void theMessage_namesTheTemplate() {
    assertThatThrownBy(() -> CardValidator.validate("module m: page 'p' (pages/p.json)", bytes("{}")))
        .hasMessageStartingWith("module m: page 'p' (pages/p.json) is not a valid Adaptive Card: /type");
  }

  private static String card(String body) {
    return "{\"type\": \"AdaptiveCard\", \"version\": \"1.6\", \"body\": [" + body + "]}";
  }

  private static void assertRefused(String json, String expected) {
    assertThatThrownBy(() -> CardValidator.validate("t", bytes(json)))
        .isInstanceOfSatisfying(ModuleException.class, e -> {
          assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
          assertThat(e.getMessage()).startsWith("t is not a valid Adaptive Card: ").contains(expected);
        });
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
