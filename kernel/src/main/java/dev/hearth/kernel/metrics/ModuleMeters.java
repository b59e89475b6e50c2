package dev.hearth.kernel.metrics;

import dev.hearth.module.metrics.Metrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK's {@link Metrics} of one running module: meters named {@code hearth.module.<id>.<name>}
 * in the node's registry, all removed by {@link #close} when the module stops (a gauge's supplier
 * is the module's code: keeping it would keep the module's class loader).
 */
public final class ModuleMeters implements Metrics, AutoCloseable {

  /** Series one module may register; past it, meters are no-ops (a tag with an id in it must not swamp the node). */
  static final int MAX_METERS = 500;

  private static final Logger log = LoggerFactory.getLogger(ModuleMeters.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final MeterRegistry registry;
  private final String moduleId;
  private final String prefix;
  private final Set<Meter> meters = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private volatile boolean warned;

  ModuleMeters(MeterRegistry registry, String moduleId) {
    this.registry = registry;
    this.moduleId = moduleId;
    this.prefix = "hearth.module." + moduleId.replace('-', '_') + ".";
  }

  /** Meters in a registry of their own that nobody scrapes: for a module host without node metrics. */
  public static ModuleMeters detached(String moduleId) {
    return new ModuleMeters(new SimpleMeterRegistry(), moduleId);
  }

  @Override
  public Counter counter(String name, String... tags) {
    Tags t = tags(name, tags);
    Meter m = add(() -> io.micrometer.core.instrument.Counter.builder(prefix + name).tags(t).register(registry));
    return m instanceof io.micrometer.core.instrument.Counter c ? new CounterView(c) : Metrics.none().counter(name);
  }

  @Override
  public Timer timer(String name, String... tags) {
    Tags t = tags(name, tags);
    Meter m = add(() -> io.micrometer.core.instrument.Timer.builder(prefix + name).tags(t)
        .serviceLevelObjectives(Buckets.LATENCY).register(registry));
    return m instanceof io.micrometer.core.instrument.Timer tm ? new TimerView(tm) : Metrics.none().timer(name);
  }

  @Override
  public void gauge(String name, DoubleSupplier value, String... tags) {
    Tags t = tags(name, tags);
    Objects.requireNonNull(value, "value");
    Gauge old = registry.find(prefix + name).tags(t).gauge();
    if (old != null && meters.remove(old)) registry.remove(old); // the contract: registering again replaces
    add(() -> Gauge.builder(prefix + name, value, DoubleSupplier::getAsDouble).tags(t).strongReference(true)
        .register(registry));
  }

  /** Registers unless closed or over the limit; a registration the registry refuses is logged, not thrown. */
  private Meter add(Supplier<Meter> register) {
    if (closed) return null;
    if (meters.size() >= MAX_METERS) {
      if (!warned) {
        warned = true;
        log.warn("module {} registered {} meters, the limit; further ones record nothing (tags must take few values)",
            moduleId, MAX_METERS);
      }
      return null;
    }
    try {
      Meter m = register.get();
      meters.add(m);
      return m;
    } catch (RuntimeException e) {
      log.warn("module {}: meter not registered: {}", moduleId, e.getMessage());
      return null;
    }
  }

  private static Tags tags(String name, String... tags) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("metric name '" + name + "' must match " + NAME.pattern());
    }
    if (tags.length % 2 != 0) {
      throw new IllegalArgumentException("tags of " + name + " must be key/value pairs, got " + tags.length + " strings");
    }
    for (int i = 0; i < tags.length; i += 2) {
      if (tags[i] == null || !NAME.matcher(tags[i]).matches() || tags[i + 1] == null) {
        throw new IllegalArgumentException("tag '" + tags[i] + "' of " + name + " must match " + NAME.pattern()
            + " and have a value");
      }
    }
    return Tags.of(tags);
  }

  /** Removes every meter of the module; later calls register nothing. */
  @Override
  public void close() {
    closed = true;
    for (Meter m : meters) registry.remove(m);
    meters.clear();
  }

  private record CounterView(io.micrometer.core.instrument.Counter counter) implements Counter {
    @Override
    public void increment() {
      counter.increment();
    }

    @Override
    public void increment(double amount) {
      if (amount > 0) counter.increment(amount);
    }
  }

  private record TimerView(io.micrometer.core.instrument.Timer timer) implements Timer {
    @Override
    public void record(Duration duration) {
      if (!duration.isNegative()) timer.record(duration);
    }
  }
}
