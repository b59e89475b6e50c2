package dev.hearth.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateNamesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void namesOfTheSourcesAndTheShell_areKnown_andItemNamesInsideDataLoopsAreNotChecked() throws Exception {
    String card = """
        {"type": "AdaptiveCard", "version": "1.6", "body": [
          {"type": "TextBlock", "text": "${channel.name} ${strings['x']} ${params.id} ${project} ${user} ${count(messages)}"},
          {"type": "Container", "$data": "${messages}", "items": [
            {"type": "TextBlock", "text": "${body} by ${authorId}, ${$root.user} ${$index}", "$when": "${!deleted}"}]},
          {"type": "TextBlock", "text": "${if(true, 'a word', \\"another\\")}"}]}
        """;
    assertThat(TemplateNames.unknown(JSON.readTree(card), Set.of("channel", "messages"))).isEmpty();
  }

  @Test
  void theItemNamesOfLambdaFunctions_areKnownInsideTheirExpression_only() throws Exception {
    String card = """
        {"type": "AdaptiveCard", "version": "1.6", "body": [
          {"type": "TextBlock", "text": "${count(where(channels, c, c.kind != 'DIRECT'))}"},
          {"type": "TextBlock", "text": "${join(foreach(where(members, m, contains(channel.ids, m.userId)), n, n.displayName), ', ')}"},
          {"type": "TextBlock", "text": "${c.kind} ${any(first(channels), x, x)}"}]}
        """;
    assertThat(TemplateNames.unknown(JSON.readTree(card), Set.of("channels", "members", "channel")))
        .isEqualTo(Map.of("/body/2/text", Set.of("c")));
  }

  @Test
  void aNameNoSourceHas_isReported_atItsString() throws Exception {
    String card = """
        {"type": "AdaptiveCard", "version": "1.6", "body": [
          {"type": "TextBlock", "text": "${chanel.name}"},
          {"type": "Container", "$data": "${mesages}", "items": [{"type": "TextBlock", "text": "${anything}"}]}]}
        """;
    assertThat(TemplateNames.unknown(JSON.readTree(card), Set.of("channel", "messages")))
        .isEqualTo(Map.of("/body/0/text", Set.of("chanel"), "/body/1/$data", Set.of("mesages")));
  }
}
