package dev.hearth.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.ui.CardValidator.CardProblem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The card test set (src/test/resources/cards, also run through the renderer by
 * web/test/card-set.test.mjs): one card per element, action and input type of 1.6 and per host
 * element, each property used; scenario cards; templates; and invalid cards, each refused with
 * exactly the problems it lists, at their JSON pointers. Also the pages the kernel ships.
 */
class CardSetTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> validCards() throws Exception {
    return Stream.of("elements", "actions", "scenarios").flatMap(CardSetTest::files);
  }

  static Stream<Path> templates() throws Exception {
    return files("templates");
  }

  static Stream<Path> invalidCards() throws Exception {
    return files("invalid");
  }

  static Stream<Path> kernelPages() throws Exception {
    return list(Path.of(CardSetTest.class.getResource("pages").toURI()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"validCards", "kernelPages"})
  void aValidCard_hasNoProblems(Path file) throws IOException {
    assertThat(CardValidator.problems(JSON.readTree(file.toFile()))).as(file.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void aTemplate_hasNoProblems_whateverItsBindingsExpandTo(Path file) throws IOException {
    JsonNode template = JSON.readTree(file.toFile()).get("template");
    assertThat(CardValidator.problems(template)).as(file.toString()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidCards")
  void anInvalidCard_isRefused_withExactlyItsProblems_atTheirPointers(Path file) throws IOException {
    JsonNode test = JSON.readTree(file.toFile());
    List<CardProblem> problems = CardValidator.problems(test.get("card"));
    Map<String, String> expected = new LinkedHashMap<>();
    test.get("problems").forEach(p -> expected.put(p.get("at").asText(), p.get("says").asText()));
    Map<String, String> found = problems.stream()
        .collect(Collectors.toMap(CardProblem::pointer, CardProblem::problem, (a, b) -> a + " | " + b, LinkedHashMap::new));
    assertThat(found.keySet()).as(file + ": " + found).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((at, says) -> assertThat(found.get(at)).as(file + " at " + at).contains(says));
  }

  private static Stream<Path> files(String dir) {
    try {
      return list(Path.of(CardSetTest.class.getResource("/cards/" + dir).toURI()));
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stream<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
    }
  }
}
