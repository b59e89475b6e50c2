package dev.hearth.kernel.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.module.ModuleException;
import dev.hearth.settings.v1.UserSettings;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

  private static QuietHours of(String start, String end, String zone) {
    return QuietHours.of(UserSettings.newBuilder().setQuietHoursStart(start).setQuietHoursEnd(end).setTimeZone(zone).build());
  }

  @Test
  void a_span_past_midnight_holds_the_night_in_the_users_zone_start_in_end_out() {
    QuietHours q = of("22:00", "07:00", "Europe/Moscow"); // UTC+3
    assertThat(q.contains(Instant.parse("2026-01-10T19:00:00Z"))).isTrue();   // 22:00 there
    assertThat(q.contains(Instant.parse("2026-01-10T03:59:00Z"))).isTrue();   // 06:59
    assertThat(q.contains(Instant.parse("2026-01-10T04:00:00Z"))).isFalse();  // 07:00
    assertThat(q.contains(Instant.parse("2026-01-10T12:00:00Z"))).isFalse();
  }

  @Test
  void a_daytime_span_and_no_span() {
    QuietHours q = of("12:00", "13:00", "");
    assertThat(q.contains(Instant.parse("2026-01-10T12:30:00Z"))).isTrue();
    assertThat(q.contains(Instant.parse("2026-01-10T13:00:00Z"))).isFalse();
    assertThat(QuietHours.of(UserSettings.getDefaultInstance())).isNull();
  }

  @Test
  void bad_times_and_zones_name_their_field() {
    assertThatThrownBy(() -> QuietHours.checkTime("quiet_hours_start", "25:00"))
        .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.getMessage()).startsWith("quiet_hours_start:"));
    assertThatThrownBy(() -> QuietHours.checkZone("Mars/Olympus"))
        .isInstanceOfSatisfying(ModuleException.class, e -> assertThat(e.getMessage()).startsWith("time_zone:"));
  }
}
