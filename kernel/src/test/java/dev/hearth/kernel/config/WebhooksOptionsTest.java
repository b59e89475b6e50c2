package dev.hearth.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class WebhooksOptionsTest {

  @Test
  void defaults_refuse_private_addresses_and_turn_shell_hooks_off() {
    WebhooksOptions o = WebhooksOptions.defaults();
    assertThat(o.allowPrivateAddresses()).isFalse();
    assertThat(o.shellHooksDir()).isNull();
    assertThat(o.minBackoffMillis()).isEqualTo(1_000);
    assertThat(o.maxBackoffMillis()).isEqualTo(300_000);
  }

  @Test
  void bad_settings_are_named() {
    assertThatThrownBy(() -> WebhooksOptions.from(new JsonObject().put("maxBackof", 1)))
        .hasMessageContaining("unknown webhooks setting 'maxBackof'");
    assertThatThrownBy(() -> WebhooksOptions.from(new JsonObject().put("minBackoffMillis", 500).put("maxBackoffMillis", 100)))
        .hasMessageContaining("maxBackoffMillis");
    assertThatThrownBy(() -> WebhooksOptions.from(new JsonObject().put("shellHooks", "/bin")))
        .hasMessageContaining("webhooks.shellHooks");
    assertThat(WebhooksOptions.from(new JsonObject().put("shellHooks", new JsonObject().put("dir", "/srv/hooks")))
        .shellHooksDir()).hasToString("/srv/hooks");
  }
}
