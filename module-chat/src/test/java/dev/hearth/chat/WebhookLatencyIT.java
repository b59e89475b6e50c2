package dev.hearth.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testkit.ModuleNode.User;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliveries at a gentle, steady rate (10 messages a second): every message arrives once, in the
 * order posted, signed, and never before it was written. It also prints how long deliveries took
 * (write accepted -> receiver has it) for docs/webhooks.md; the figures are printed, not asserted.
 */
class WebhookLatencyIT {

  @Test
  void paced_messages_arrive_once_in_order_signed_and_the_latency_is_printed(@TempDir Path dir) throws Exception {
    JsonObject settings = new JsonObject().put("allowPrivateAddresses", true);
    try (WebhookReceiver receiver = new WebhookReceiver(); WebhookNode n = new WebhookNode(dir, settings)) {
      User ann = n.signUp("ann@example.com");
      String project = n.project(ann, n.org(ann, "Acme"), "Ops");
      String channel = n.channel(ann, project, "general");
      receiver.secret(n.createProjectHook(ann, project, receiver.url(), "chat/channel/*").ok().getString("secret"));
      int count = 40;
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        sent.add(n.post(ann, project, channel, "m" + i));
        Thread.sleep(100); // pacing: a gentle rate, not a wait for anything
      }
      assertThat(WebhookNode.idsBefore(receiver, n.post(ann, project, channel, "marker"))).containsExactlyElementsOf(sent);
      assertThat(receiver.badSignatures).isEmpty();
      assertThat(receiver.received).allSatisfy(r -> assertThat(r.atMillis())
          .isGreaterThanOrEqualTo(Instant.parse(r.body().getString("occurredAt")).toEpochMilli()));
      List<Long> ms = receiver.received.stream().map(r -> r.atMillis()
          - Instant.parse(r.body().getString("occurredAt")).toEpochMilli()).sorted().toList();
      System.out.println("WEBHOOK LATENCY ms (write accepted -> receiver): p50=" + ms.get(ms.size() / 2) + " p90="
          + ms.get(ms.size() * 9 / 10) + " max=" + ms.get(ms.size() - 1) + " all=" + ms);
    }
  }
}
