package dev.hearth.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdentityAndModulesOptionsTest {

  @Test
  void identityDefaults_areTheDocumentedOnes() {
    IdentityOptions o = new NodeOptions().identityOptions();
    assertThat(o.accessTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(o.writesPerUserPerMinute()).isEqualTo(600);
    assertThat(o.incomingHookPostsPerMinute()).isEqualTo(60);
    assertThat(o.passwordHashMemoryKiB()).isEqualTo(19 * 1024);
    assertThat(o.sso().providers()).isEmpty();
  }

  @Test
  void identityKeys_areRead() {
    IdentityOptions o = IdentityOptions.from(new JsonObject().put("accessTtlSeconds", 60).put("incomingHookPostsPerMinute", 5));
    assertThat(o.accessTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.incomingHookPostsPerMinute()).isEqualTo(5);
  }

  @Test
  void aMisspelledIdentityKey_isRefusedByName() {
    assertThatThrownBy(() -> IdentityOptions.from(new JsonObject().put("acessTtlSeconds", 60)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'acessTtlSeconds'");
  }

  @Test
  void identityOptions_neverShowSsoSecretsWhenPrinted() {
    JsonObject sso = new JsonObject().put("publicUrl", "https://hearth.example.com").put("providers", new JsonArray()
        .add(new JsonObject().put("id", "corp").put("issuer", "https://login.example.com").put("clientId", "hearth")
            .put("clientSecret", "s3cret-value")));
    assertThat(IdentityOptions.from(new JsonObject().put("sso", sso)).toString()).doesNotContain("s3cret-value");
    IdentityOptions read = IdentityOptions.from(new JsonObject().put("sso", sso));
    assertThat(read.sso().toString()).doesNotContain("s3cret-value");
    assertThat(read.sso().providers().get("corp").toString()).doesNotContain("s3cret-value").contains("clientSecret=(set)");
  }

  @Test
  void modulesDefault_andBounds() {
    assertThat(ModulesOptions.defaults().maxArchiveBytes()).isEqualTo(64L << 20);
    assertThatThrownBy(() -> ModulesOptions.from(new JsonObject().put("maxArchiveBytes", 10)))
        .hasMessageContaining("maxArchiveBytes must be between 1024");
  }

  @Test
  void aMisspelledModulesKey_isRefusedByName() {
    assertThatThrownBy(() -> ModulesOptions.from(new JsonObject().put("maxArchiveByte", 4096)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'maxArchiveByte'");
  }
}
