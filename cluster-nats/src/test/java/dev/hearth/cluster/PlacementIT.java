package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.nats.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A placement entry counts every write acknowledged before its {@code heartbeatAt}: a reader who
 * saw a write acknowledged at T and then an entry with {@code heartbeatAt > T} finds the store at
 * that write's sequence or later (ReplicatedLogIT relies on it). Against a real nats-server; the
 * clock is the test's, so a write can land while the heartbeat reads the stores.
 */
class PlacementIT {

  @TempDir Path dir;

  /** Milliseconds that move only when the test says. */
  private static final class StepClock extends Clock {
    final AtomicLong millis = new AtomicLong(1_000);

    @Override
    public long millis() {
      return millis.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void heartbeat_countsEveryWriteAcknowledgedBeforeItsTime() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "placement").start();
        Connection nc = Nats.connect(nats.url())) {
      nc.keyValueManagement().create(KeyValueConfiguration.builder().name(Placement.BUCKET).storageType(StorageType.File).build());
      KeyValue kv = nc.keyValue(Placement.BUCKET);
      StepClock clock = new StepClock();
      // The chat store's sequence by the time it was reached; one write is acknowledged while the
      // heartbeat reads the sequences, a millisecond after they were read.
      TreeMap<Long, Long> chatAt = new TreeMap<>(Map.of(clock.millis() - 1, 7L));
      Placement placement = new Placement(ClusterOptions.from(new JsonObject().put("natsUrls", nats.url())
          .put("owns", new JsonArray().add("chat"))), "p1", clock, "http://127.0.0.1:0", () -> {
            long seq = chatAt.lastEntry().getValue();
            chatAt.put(clock.millis.incrementAndGet(), seq + 1);
            clock.millis.incrementAndGet();
            return Map.of("chat", seq);
          });

      placement.heartbeat(kv, Map.of());

      JsonObject entry = new JsonObject(new String(kv.get("p1").getValue(), StandardCharsets.UTF_8));
      long at = entry.getLong("heartbeatAt");
      long ackedBefore = chatAt.floorEntry(at - 1).getValue();
      assertThat(entry.getJsonObject("stores").getLong("chat"))
          .as("the entry's chat sequence (heartbeatAt %d; by %d the store was at %d)", at, at - 1, ackedBefore)
          .isGreaterThanOrEqualTo(ackedBefore);
    }
  }
}
