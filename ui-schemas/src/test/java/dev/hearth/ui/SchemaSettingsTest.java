package dev.hearth.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The card schema's patterns are compiled once each, however many {@code $ref}s lead to them. */
class SchemaSettingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void equalPatterns_shareOneCompiledExpression() {
    assertThat(SchemaSettings.SHARED_PATTERNS.getRegularExpression("^([lL][eE][fF][tT])$"))
        .isSameAs(SchemaSettings.SHARED_PATTERNS.getRegularExpression("^([lL][eE][fF][tT])$"));
  }

  @Test
  void validatingEveryTestCard_compilesNoMorePatternsThanTheSchemaSpellsOut() throws Exception {
    Set<String> distinct = new HashSet<>();
    try (InputStream in = CardValidator.class.getResourceAsStream(CardValidator.SCHEMA_RESOURCE)) {
      collectPatterns(JSON.readTree(in), distinct);
    }
    List<Path> cards;
    try (Stream<Path> files = Files.walk(Path.of(SchemaSettingsTest.class.getResource("/cards").toURI()))) {
      cards = files.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(cards).hasSizeGreaterThan(30);
    for (Path card : cards) CardValidator.problems(JSON.readTree(card.toFile()));

    // Compiled where met, the schema's 252 pattern keywords became ~12,000 Patterns (one per $ref path).
    assertThat(distinct).hasSizeGreaterThan(10);
    assertThat(SchemaSettings.compiledPatterns()).isBetween(1, distinct.size() + 1); // + the test's own above
  }

  private static void collectPatterns(JsonNode node, Set<String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> {
        if (e.getKey().equals("pattern") && e.getValue().isTextual()) into.add(e.getValue().asText());
        collectPatterns(e.getValue(), into);
      });
    } else if (node.isArray()) {
      node.forEach(n -> collectPatterns(n, into));
    }
  }
}
