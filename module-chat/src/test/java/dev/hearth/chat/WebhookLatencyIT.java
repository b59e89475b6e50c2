package dev.hearth.chat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not a check: prints how long deliveries take at a gentle rate (write accepted -> receiver has it). */
class WebhookLatencyIT {

  @Test
  void prints_delivery_latency(@TempDir Path dir) throws Exception {
    JsonObject settings = new JsonObject().put("allowPrivateAddresses", true);
    try (WebhookReceiver receiver = new WebhookReceiver(); WebhookNode n = new WebhookNode(dir, settings)) {
      ChatNode.User ann = n.signUp("ann@example.com");
      String project = n.project(ann, n.org(ann, "Acme"), "Ops");
      String channel = n.channel(ann, project, "general");
      receiver.secret(n.createProjectHook(ann, project, receiver.url(), "chat/channel/*").ok().getString("secret"));
      int count = 40;
      for (int i = 0; i < count; i++) {
        n.post(ann, project, channel, "m" + i);
        Thread.sleep(100);
      }
      WebhookNode.await("all", Duration.ofSeconds(30), () -> receiver.received.size() >= count);
      List<Long> ms = receiver.received.stream().map(r -> r.atMillis()
          - Instant.parse(r.body().getString("occurredAt")).toEpochMilli()).sorted().toList();
      System.out.println("WEBHOOK LATENCY ms (write accepted -> receiver): p50=" + ms.get(ms.size() / 2) + " p90="
          + ms.get(ms.size() * 9 / 10) + " max=" + ms.get(ms.size() - 1) + " all=" + ms);
    }
  }
}
