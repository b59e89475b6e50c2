package dev.hearth.kernel.access;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.module.ModuleException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  @Test
  void eleventhAttemptInAMinute_isRefusedWithARetryHint_otherAccountsUnaffected() {
    RateLimits limits = new RateLimits(10, 1000, 1000);
    for (int i = 0; i < 10; i++) limits.attemptOn("a@x.test");
    assertThatThrownBy(() -> limits.attemptOn("a@x.test"))
        .isInstanceOfSatisfying(ModuleException.class, e -> {
          assertThatCode(() -> Integer.parseInt(e.details().get("retryAfterSeconds"))).doesNotThrowAnyException();
          Assertions.assertThat(e.code()).isEqualTo(ModuleException.Code.RESOURCE_EXHAUSTED);
        });
    assertThatCode(() -> limits.attemptOn("b@x.test")).doesNotThrowAnyException();
  }

  @Test
  void successfulAttempts_giveTheirTokenBack() {
    RateLimits limits = new RateLimits(3, 1000, 1000);
    for (int i = 0; i < 20; i++) {
      limits.attemptOn("ok@x.test");
      limits.succeeded("ok@x.test");
    }
    assertThatCode(() -> limits.attemptOn("ok@x.test")).doesNotThrowAnyException();
  }

  @Test
  void writesPerUser_areLimitedPerUser() {
    RateLimits limits = new RateLimits(10, 10, 3);
    for (int i = 0; i < 3; i++) limits.write("u1");
    assertThatThrownBy(() -> limits.write("u1")).isInstanceOf(ModuleException.class).hasMessageContaining("too many changes");
    assertThatCode(() -> limits.write("u2")).doesNotThrowAnyException();
  }

  @Test
  void perAddressLimit_isSeparateFromAccounts() {
    RateLimits limits = new RateLimits(1000, 2, 1000);
    limits.attemptFrom("10.0.0.1");
    limits.attemptFrom("10.0.0.1");
    assertThatThrownBy(() -> limits.attemptFrom("10.0.0.1")).isInstanceOf(ModuleException.class);
    assertThatCode(() -> limits.attemptFrom("10.0.0.2")).doesNotThrowAnyException();
  }
}
