package dev.hearth.kernel.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doubles_from_the_minimum_up_to_the_cap_with_jitter_in_the_upper_half() {
    for (int i = 0; i < 200; i++) {
      assertThat(Backoff.delayMillis(1, 1_000, 300_000)).isBetween(500L, 1_000L);
      assertThat(Backoff.delayMillis(2, 1_000, 300_000)).isBetween(1_000L, 2_000L);
      assertThat(Backoff.delayMillis(5, 1_000, 300_000)).isBetween(8_000L, 16_000L);
      assertThat(Backoff.delayMillis(30, 1_000, 300_000)).isBetween(150_000L, 300_000L);
      assertThat(Backoff.delayMillis(10_000, 1_000, 300_000)).isBetween(150_000L, 300_000L);
    }
  }
}
