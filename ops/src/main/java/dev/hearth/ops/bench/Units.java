package dev.hearth.ops.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option converters: durations like {@code 300ms}, {@code 10s}, {@code 2m}; counts like {@code 100k}, {@code 1m}. */
public final class Units {

  private Units() {}

  /** Durations: {@code 300ms}, {@code 10s}, {@code 2m}, or a plain number of seconds. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
          return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a duration (e.g. 300ms, 10s, 2m)");
      }
    }
  }

  /** Counts: {@code 200}, {@code 100k}, {@code 1m}. */
  public static final class CountConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT).replace("_", "");
      long factor = 1;
      if (v.endsWith("k")) {
        factor = 1_000;
      } else if (v.endsWith("m")) {
        factor = 1_000_000;
      }
      try {
        long n = Long.parseLong(factor == 1 ? v : v.substring(0, v.length() - 1)) * factor;
        if (n <= 0 || n > Integer.MAX_VALUE) {
          throw new TypeConversionException("'" + value + "' must be between 1 and " + Integer.MAX_VALUE);
        }
        return (int) n;
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a count (e.g. 200, 100k, 1m)");
      }
    }
  }

  /** The system load average over the last minute, rounded to 2 decimals; null where the OS has none. */
  public static Double loadAverage() {
    double l = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return l < 0 ? null : Math.round(l * 100) / 100.0;
  }

  /** "30 s", or "250 ms" when not whole seconds. */
  public static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
