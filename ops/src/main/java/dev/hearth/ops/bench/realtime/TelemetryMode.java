package dev.hearth.ops.bench.realtime;

import io.vertx.core.json.JsonObject;

/** What a node of {@code hearth bench telemetry} runs with. */
enum TelemetryMode {
  /** {@code metrics.enabled=false}, no tracing: the baseline. */
  OFF("off"),
  /** The default node: meters on, {@code /metrics} scraped during the measurement. */
  METRICS("metrics"),
  /** Meters as above, and every call traced (sample ratio 1) to an OTLP/HTTP endpoint in this process. */
  TRACING("metrics+tracing");

  final String label;

  TelemetryMode(String label) {
    this.label = label;
  }

  JsonObject metrics() {
    return new JsonObject().put("enabled", this != OFF);
  }

  JsonObject telemetry(String endpoint) {
    return this == TRACING ? new JsonObject().put("otlpEndpoint", endpoint).put("serviceName", "hearth-bench")
        .put("sampleRatio", 1.0) : new JsonObject();
  }
}
