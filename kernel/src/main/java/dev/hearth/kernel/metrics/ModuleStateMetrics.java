package dev.hearth.kernel.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/** {@code hearth_module_up{module, kind}}: 1 while a module is started, 0 when stopped or failed. */
final class ModuleStateMetrics {

  private final MultiGauge up;

  ModuleStateMetrics(MeterRegistry registry) {
    this.up = MultiGauge.builder("hearth.module.up")
        .description("1 while the module is started, 0 while it is installed but stopped or failed")
        .register(registry);
  }

  void refresh(List<ModuleState> modules) {
    // overwrite: a module that went away loses its series; one that changed state gets the new value.
    up.register(modules.stream()
        .map(m -> MultiGauge.Row.of(Tags.of("module", m.id(), "kind", m.kind()), m.up() ? 1 : 0))
        .toList(), true);
  }
}
