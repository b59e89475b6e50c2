package dev.hearth.kernel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.config.FilesOptions;
import dev.hearth.module.ModuleException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentTypesTest {

  private final ContentTypes types = new ContentTypes(List.of("image/*", "text/plain", "application/vnd.oasis.*"));

  @Test
  void patterns_matchExactWildcardAndPrefix() {
    assertThat(types.allows("image/png")).isTrue();
    assertThat(types.allows("text/plain")).isTrue();
    assertThat(types.allows("application/vnd.oasis.opendocument.text")).isTrue();
    assertThat(types.allows("text/html")).isFalse();
    assertThat(new ContentTypes(List.of("*/*")).allows("application/x-anything")).isTrue();
  }

  @Test
  void declaredTypes_areNormalized_andRefusedNamingTheType() {
    assertThat(ContentTypes.normalize("Text/Plain; charset=UTF-8")).isEqualTo("text/plain");
    assertThat(ContentTypes.normalize("")).isEqualTo("application/octet-stream");
    assertThatThrownBy(() -> ContentTypes.normalize("not a type")).isInstanceOf(ModuleException.class);
    assertThatThrownBy(() -> types.checkDeclared("text/html")).isInstanceOfSatisfying(ModuleException.class, e -> {
      assertThat(e.code()).isEqualTo(ModuleException.Code.INVALID_ARGUMENT);
      assertThat(e.getMessage()).contains("text/html").contains("declared").contains("files.allowedTypes");
    });
  }

  @Test
  void magicBytes_revealExecutablesWhateverTheirName() {
    assertThat(ContentTypes.sniff(new byte[] {0x7f, 'E', 'L', 'F', 2, 1}, 6)).isEqualTo("application/x-executable");
    assertThat(ContentTypes.sniff(new byte[] {'M', 'Z', 0, 0}, 4)).isEqualTo("application/x-msdownload");
    assertThat(ContentTypes.sniff(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, 8)).isEqualTo("image/png");
    assertThat(ContentTypes.sniff("plain words".getBytes(StandardCharsets.UTF_8), 11)).isNull();
    byte[] elf = {0x7f, 'E', 'L', 'F'};
    assertThatThrownBy(() -> types.checkSniffed(elf, 4)).hasMessageContaining("application/x-executable (sniffed");
  }

  @Test
  void badPatterns_areRefusedAtStart() {
    assertThatThrownBy(() -> new FilesOptions(1, List.of("image"), 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("image");
  }
}
