package dev.hearth.kernel.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The config file's {@code telemetry} section (env {@code HEARTH_OTLP_ENDPOINT} sets
 * {@code otlpEndpoint}). Without an endpoint the node creates no tracer at all.
 *
 * <ul>
 *   <li>{@code otlpEndpoint}: an OTLP/HTTP collector, e.g. {@code http://collector:4318}; spans go to
 *       {@code <endpoint>/v1/traces} (an endpoint already ending in {@code /v1/traces} is used as is).
 *   <li>{@code serviceName}: the {@code service.name} resource attribute, default {@code hearth}.
 *   <li>{@code sampleRatio}: the share of new traces recorded, 0..1, default 1 (a call that carries a
 *       sampled parent is always recorded).
 *   <li>{@code exportDelayMillis}: how long finished spans wait to be sent in one batch, default 2000.
 * </ul>
 */
public record TelemetryOptions(String otlpEndpoint, String serviceName, double sampleRatio, long exportDelayMillis) {

  public static final String DEFAULT_SERVICE_NAME = "hearth";
  public static final long DEFAULT_EXPORT_DELAY_MILLIS = 2000;

  public TelemetryOptions {
    if (otlpEndpoint != null) {
      try {
        URI u = new URI(otlpEndpoint);
        if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) {
          throw new IllegalArgumentException("otlpEndpoint '" + otlpEndpoint + "' must be http(s)://HOST[:PORT]");
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("otlpEndpoint '" + otlpEndpoint + "' is not a URL: " + e.getMessage());
      }
    }
    if (serviceName == null || serviceName.isBlank()) throw new IllegalArgumentException("serviceName must not be empty");
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) throw new IllegalArgumentException("sampleRatio must be between 0 and 1");
    if (exportDelayMillis < 1 || exportDelayMillis > 60_000) {
      throw new IllegalArgumentException("exportDelayMillis must be between 1 and 60000");
    }
  }

  /** From the config section; unknown keys are refused by the option sources before this. */
  public static TelemetryOptions from(JsonObject json) {
    String endpoint = json.getString("otlpEndpoint");
    return new TelemetryOptions(endpoint == null || endpoint.isBlank() ? null : endpoint.trim(),
        json.getString("serviceName", DEFAULT_SERVICE_NAME), json.getNumber("sampleRatio", 1.0).doubleValue(),
        json.getNumber("exportDelayMillis", DEFAULT_EXPORT_DELAY_MILLIS).longValue());
  }

  public static TelemetryOptions defaults() {
    return from(new JsonObject());
  }

  /** Every key with its value (defaults included), for the start-up log and the known keys. */
  public JsonObject toJson() {
    return new JsonObject().put("otlpEndpoint", otlpEndpoint).put("serviceName", serviceName).put("sampleRatio", sampleRatio)
        .put("exportDelayMillis", exportDelayMillis);
  }

  public boolean enabled() {
    return otlpEndpoint != null;
  }

  /** Where the exporter posts: {@code <endpoint>/v1/traces}. */
  public String tracesUrl() {
    String base = otlpEndpoint.replaceAll("/+$", "");
    return base.endsWith("/v1/traces") ? base : base + "/v1/traces";
  }
}
