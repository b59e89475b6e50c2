package dev.hearth.kernel.metrics;

import dev.hearth.kernel.api.rpc.CallObserver;
import dev.hearth.kernel.api.rpc.Transport;
import dev.hearth.module.ModuleException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code hearth_rpc_requests_total{method, transport, code}} and {@code
 * hearth_rpc_request_duration_seconds{method, transport}}. The method label is a served RPC's full
 * name, so its values are bounded by what the node serves. The histogram has no code label: buckets
 * times codes would multiply the series for little (failures are mostly fast); the counter has it.
 */
final class RpcMetrics implements CallObserver {

  private record CountKey(String method, Transport transport, ModuleException.Code code) {}

  private record TimeKey(String method, Transport transport) {}

  private final MeterRegistry registry;
  // The registry finds meters by id too, but building the id on every call allocates; these don't.
  private final Map<CountKey, Counter> counters = new ConcurrentHashMap<>();
  private final Map<TimeKey, Timer> timers = new ConcurrentHashMap<>();

  RpcMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void ended(String method, Transport transport, ModuleException.Code code, long nanos) {
    counters.computeIfAbsent(new CountKey(method, transport, code), k -> Counter.builder("hearth.rpc.requests")
        .description("RPCs the node ran, by how they ended (OK or the error code the client got)")
        .tags("method", k.method(), "transport", k.transport().label(), "code", k.code() == null ? "OK" : k.code().name())
        .register(registry)).increment();
    timers.computeIfAbsent(new TimeKey(method, transport), k -> Timer.builder("hearth.rpc.request.duration")
        .description("Time from the dispatcher taking an RPC to its answer (authorization, handler, forwarding)")
        .tags("method", k.method(), "transport", k.transport().label())
        .serviceLevelObjectives(Buckets.LATENCY)
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }
}
