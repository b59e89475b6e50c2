package dev.hearth.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FederationOptionsTest {

  @Test
  void offWithoutANatsUrl_defaultsOtherwise() {
    assertThat(FederationOptions.from(new JsonObject()).enabled()).isFalse();
    FederationOptions o = FederationOptions.from(new JsonObject().put("natsUrl", "nats://127.0.0.1:4222"));
    assertThat(o.enabled()).isTrue();
    assertThat(o.publishWindow()).isEqualTo(1024);
    assertThat(o.forwardTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.cdcRetention()).isEqualTo(Duration.ofDays(7));
    assertThat(o.cdcMaxMessages()).isZero();
  }

  @Test
  void badSettings_nameTheSetting() {
    assertThatThrownBy(() -> FederationOptions.from(new JsonObject().put("natsURL", "x")))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("natsURL");
    assertThatThrownBy(() -> FederationOptions.from(new JsonObject().put("nodeId", "a.b")))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("nodeId");
    assertThatThrownBy(() -> FederationOptions.from(new JsonObject().put("publishWindow", 0)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("publishWindow");
    assertThatThrownBy(() -> FederationOptions.from(new JsonObject().put("forwardTimeoutSeconds", "5")))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("forwardTimeoutSeconds");
  }
}
