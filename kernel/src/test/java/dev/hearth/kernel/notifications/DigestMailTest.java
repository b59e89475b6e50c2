package dev.hearth.kernel.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestMailTest {

  private static final long AT = 1_780_000_000_000L; // 2026-05-28T20:26:40Z

  private static Notice notice(String kind, String channelName, String text) {
    return new Notice("u2", "chat", kind, "p1", "c1", channelName, "u1", "m1", AT, AT, text);
  }

  @Test
  void every_language_has_every_key_of_the_english_template() {
    assertThat(DigestMail.templates("ru").stringPropertyNames())
        .containsExactlyInAnyOrderElementsOf(DigestMail.templates("en").stringPropertyNames());
  }

  @Test
  void a_digest_lists_when_who_and_where_in_the_users_zone_and_text_only_when_the_notice_has_it() {
    DigestMail.Rendered r = DigestMail.render("en", ZoneId.of("Europe/Moscow"),
        List.of(notice(Notice.MENTION, "general", ""), notice(Notice.DIRECT, "", "lunch?\nat one")),
        Map.of("u1", "Ann")::get, Map.of("p1", "Ops")::get);
    assertThat(r.subject()).isEqualTo("Hearth: 2 things you missed");
    assertThat(r.text()).contains("- 2026-05-28 23:26 Ann mentioned you in #general (Ops)\n")
        .contains("- 2026-05-28 23:26 Ann sent you a direct message (Ops)\n    > lunch?\n    > at one\n")
        .contains("Times are in Europe/Moscow.");
  }

  @Test
  void a_language_without_templates_gets_english_and_russian_gets_russian() {
    assertThat(DigestMail.render("de", ZoneOffset.UTC, List.of(notice(Notice.MENTION, "", "")), id -> "Ann", id -> "Ops")
        .subject()).isEqualTo("Hearth: 1 thing you missed");
    DigestMail.Rendered ru = DigestMail.render("ru", ZoneOffset.UTC, List.of(notice(Notice.MENTION, "general", "")),
        id -> "Аня", id -> "Ops");
    assertThat(ru.subject()).isEqualTo("Hearth: пропущено — 1");
    assertThat(ru.text()).contains("Аня упомянул(а) вас в #general (Ops)");
  }
}
