package dev.hearth.kernel.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ModuleMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ModuleMeters meters = new ModuleMeters(registry, "my-mod");

  @Test
  void meters_areNamedUnderTheModule_andTheSameNameAddsToTheSameSeries() {
    meters.counter("posted", "kind", "reply").increment();
    meters.counter("posted", "kind", "reply").increment(2);
    meters.timer("lookup").record(Duration.ofMillis(5));
    meters.gauge("queued", () -> 7);

    assertThat(registry.get("hearth.module.my_mod.posted").tag("kind", "reply").counter().count()).isEqualTo(3);
    assertThat(registry.get("hearth.module.my_mod.lookup").timer().count()).isEqualTo(1);
    assertThat(registry.get("hearth.module.my_mod.queued").gauge().value()).isEqualTo(7);
  }

  @Test
  void aGaugeRegisteredAgain_readsTheNewSupplier() {
    meters.gauge("queued", () -> 1);
    meters.gauge("queued", () -> 2);
    assertThat(registry.get("hearth.module.my_mod.queued").gauge().value()).isEqualTo(2);
  }

  @Test
  void badNamesAndOddTags_areRefusedNamingTheProblem() {
    assertThatThrownBy(() -> meters.counter("Posted")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Posted'");
    assertThatThrownBy(() -> meters.counter("posted", "kind")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key/value pairs");
    assertThatThrownBy(() -> meters.counter("posted", "Kind", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pastTheLimit_metersRecordNothing_andNothingThrows() {
    for (int i = 0; i < ModuleMeters.MAX_METERS + 10; i++) {
      meters.counter("by_id", "id", Integer.toString(i)).increment();
    }
    assertThat(registry.find("hearth.module.my_mod.by_id").counters()).hasSize(ModuleMeters.MAX_METERS);
  }

  @Test
  void close_removesEveryMeter_andLaterOnesAreNotRegistered() {
    meters.counter("posted").increment();
    meters.gauge("queued", () -> 1);
    meters.close();
    meters.counter("late").increment();

    assertThat(registry.getMeters()).isEmpty();
  }
}
