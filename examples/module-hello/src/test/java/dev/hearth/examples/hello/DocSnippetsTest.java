package dev.hearth.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The walk-through of docs/modules.md quotes this module: every fenced block after a
 * {@code <!-- verbatim: path -->} line must be in that file as written, its {@code ...} lines
 * standing for omitted lines (the parts in order). So the guide cannot quote code that is gone.
 */
class DocSnippetsTest {

  static final Path ROOT = Path.of("../..");
  static final Pattern BLOCK = Pattern.compile("<!-- verbatim: (\\S+) -->\\n```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);

  @Test
  void everyQuotedBlock_isInTheFileItNames() throws Exception {
    String guide = Files.readString(ROOT.resolve("docs/modules.md"));
    Matcher m = BLOCK.matcher(guide);
    List<String> wrong = new ArrayList<>();
    int blocks = 0;
    while (m.find()) {
      blocks++;
      String source = Files.readString(ROOT.resolve(m.group(1)));
      int from = 0;
      for (String part : m.group(2).split("\\n\\s*\\.\\.\\.\\s*(\\n|$)")) {
        int at = source.indexOf(part, from);
        if (at < 0) {
          wrong.add(m.group(1) + " has no\n" + part);
          break;
        }
        from = at + part.length();
      }
    }
    assertThat(blocks).as("verbatim blocks in docs/modules.md").isGreaterThanOrEqualTo(6);
    assertThat(wrong).isEmpty();
  }

  @Test
  void theModule_staysUnder100Lines() throws Exception {
    Path java = Path.of("src/main/java/dev/hearth/examples/hello/HelloModule.java");
    assertThat(Files.readAllLines(java)).hasSizeLessThan(100);
    try (var files = Files.walk(Path.of("src/main/java"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".java")).toList()).containsExactly(java);
    }
  }
}
