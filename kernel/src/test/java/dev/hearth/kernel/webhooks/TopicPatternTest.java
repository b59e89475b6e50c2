package dev.hearth.kernel.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.module.ModuleException;
import org.junit.jupiter.api.Test;

class TopicPatternTest {

  @Test
  void star_matches_one_whole_segment() {
    TopicPattern p = TopicPattern.parse("topics", "chat/channel/*");
    assertThat(p.module()).isEqualTo("chat");
    assertThat(p.matches("chat/channel/0193a")).isTrue();
    assertThat(p.matches("chat/channel")).isFalse();
    assertThat(p.matches("chat/channel/a/b")).isFalse();
    assertThat(p.matches("chat/project/0193a")).isFalse();
    assertThat(p.matches("survey/channel/0193a")).isFalse();
  }

  @Test
  void last_double_star_matches_any_rest_of_at_least_one_segment() {
    TopicPattern p = TopicPattern.parse("topics", "chat/**");
    assertThat(p.matches("chat/channel/1")).isTrue();
    assertThat(p.matches("chat/user/1")).isTrue();
    assertThat(p.matches("chat")).isFalse();
    assertThat(TopicPattern.parse("topics", "chat/channel/x1").matches("chat/channel/x1")).isTrue();
  }

  @Test
  void bad_patterns_name_the_field_and_the_problem() {
    assertThatThrownBy(() -> TopicPattern.parse("topics", "chat")).isInstanceOf(ModuleException.class)
        .hasMessageContaining("topics").hasMessageContaining("<module>/<topic>");
    assertThatThrownBy(() -> TopicPattern.parse("topics", "*/channel/x")).hasMessageContaining("module id");
    assertThatThrownBy(() -> TopicPattern.parse("topics", "chat/**/x")).hasMessageContaining("segment '**'");
    assertThatThrownBy(() -> TopicPattern.parse("topics", "chat//x")).hasMessageContaining("segment ''");
    assertThatThrownBy(() -> TopicPattern.parse("topics", "chat/ch*")).hasMessageContaining("segment 'ch*'");
    assertThatThrownBy(() -> TopicPattern.parse("topics", " ")).hasMessageContaining("1 to 256");
  }
}
