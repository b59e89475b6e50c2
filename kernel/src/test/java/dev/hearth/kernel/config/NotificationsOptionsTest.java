package dev.hearth.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class NotificationsOptionsTest {

  private static JsonObject smtp() {
    return new JsonObject().put("host", "smtp.example.org").put("from", "Hearth <hearth@example.org>")
        .put("username", "hearth").put("password", "s3cret-pass");
  }

  @Test
  void email_is_off_without_smtp_and_on_with_it_with_starttls_by_default() {
    assertThat(NotificationsOptions.defaults().emailEnabled()).isFalse();
    NotificationsOptions o = NotificationsOptions.from(new JsonObject().put("email", new JsonObject().put("smtp", smtp())));
    assertThat(o.emailEnabled()).isTrue();
    assertThat(o.digestMinutes()).isEqualTo(15);
    assertThat(o.smtp().tls()).isEqualTo("starttls");
    assertThat(o.smtp().port()).isEqualTo(587);
  }

  @Test
  void the_password_is_in_no_log_line_the_options_make() {
    JsonObject section = new JsonObject().put("email", new JsonObject().put("smtp", smtp()));
    assertThat(NotificationsOptions.from(section).smtp().toString()).doesNotContain("s3cret-pass").contains("(set)");
    assertThat(new NodeOptions().setNotifications(section).toJson().encode()).doesNotContain("s3cret-pass");
  }

  @Test
  void bad_settings_are_refused_naming_the_key() {
    assertThatThrownBy(() -> NotificationsOptions.from(new JsonObject().put("email", new JsonObject().put("digest", 5))))
        .hasMessageContaining("'digest'");
    assertThatThrownBy(() -> NotificationsOptions.from(new JsonObject().put("email",
        new JsonObject().put("smtp", smtp().put("tls", "ssl"))))).hasMessageContaining("notifications.email.smtp.tls");
    assertThatThrownBy(() -> NotificationsOptions.from(new JsonObject().put("email",
        new JsonObject().put("digestMinutes", 0)))).hasMessageContaining("digestMinutes");
  }

  @Test
  void push_is_off_by_default_the_list_on_and_push_settings_are_checked_naming_the_key() {
    NotificationsOptions d = NotificationsOptions.defaults();
    assertThat(d.pushEnabled()).isFalse();
    assertThat(d.inbox()).isTrue();
    NotificationsOptions o = NotificationsOptions.from(new JsonObject().put("push", new JsonObject().put("enabled", true)));
    assertThat(o.push().attempts()).isEqualTo(5);
    assertThat(o.push().ttlSeconds()).isEqualTo(86_400);
    assertThat(o.push().subject()).isNull();
    assertThat(NotificationsOptions.from(new JsonObject().put("inbox", new JsonObject().put("enabled", false))).inbox()).isFalse();
    assertThatThrownBy(() -> NotificationsOptions.from(new JsonObject().put("push",
        new JsonObject().put("enabled", true).put("subject", "ops@example.org")))).hasMessageContaining("notifications.push.subject");
    assertThatThrownBy(() -> NotificationsOptions.from(new JsonObject().put("push",
        new JsonObject().put("enabled", true).put("attempts", 0)))).hasMessageContaining("notifications.push.attempts");
    assertThatThrownBy(() -> NotificationsOptions.from(new JsonObject().put("push", new JsonObject().put("vapid", "x"))))
        .hasMessageContaining("'vapid'");
  }
}
